"""Faults: the database connection dying mid-reply, Redis going away, huge and deep threads.

A tree lock held past the bounded wait (503 "busy") is covered by
tests/comments/test_concurrency.py::test_busy_tree_answers_503_try_again.
"""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, override_settings
from django.urls import reverse

from comments import services, thread_cache
from comments.models import Comment
from comments.tree_check import find_tree_problems
from moderation import findings
from tests.e2e.availability import under_ci
from tests.factories import ArticleFactory, UserFactory, import_thread, parse_html, post

# --- (a) PostgreSQL connection killed in the middle of a reply -------------------------------


def _terminate_this_connection_on_the_server():
    """What a database restart does to this process's connection, from another connection."""
    victim = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [victim])
    finally:
        other.close()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_connection_killed_mid_reply_answers_503_and_rolls_back(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    article = ArticleFactory()
    author = UserFactory()
    root = services.comment_create(article=article, author=author, body="Root")
    client = Client()
    client.force_login(author)
    before = Comment.objects.count()
    real_store = findings.store_findings

    def killed(*args, **kwargs):
        _terminate_this_connection_on_the_server()
        return real_store(*args, **kwargs)

    monkeypatch.setattr(services, "store_findings", killed)
    response = client.post(reverse("comment_reply", args=[root.pk]), {"body": "Lost reply"})
    assert response.status_code == 503
    assert "try again" in response.content.decode().lower()
    assert response["Retry-After"]
    monkeypatch.setattr(services, "store_findings", real_store)
    connection.close()  # the dead connection is replaced on next use (as a new request would)
    assert Comment.objects.count() == before
    assert not Comment.objects.filter(body_raw="Lost reply").exists()
    assert find_tree_problems() == []
    # The next request works.
    response = client.post(reverse("comment_reply", args=[root.pk]), {"body": "Second try"})
    assert response.status_code == 302
    assert Comment.objects.filter(body_raw="Second try", parent=root).exists()
    assert find_tree_problems() == []


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_connection_lost_between_requests_costs_one_try_again(client):
    """Without CONN_HEALTH_CHECKS (the default) nothing probes a kept connection before use.

    So after a database restart the first request on each kept connection answers 503 "please
    try again", like a connection lost mid-request; Django then drops the dead connection after
    the request, and the next one works. That is the price of sparing every request a round trip.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    assert not settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    article = ArticleFactory()
    post(article, body="Still here")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    _terminate_this_connection_on_the_server()
    response = client.get(url)
    assert response.status_code == 503
    assert "try again" in response.content.decode().lower() and response["Retry-After"]
    connection.close_if_unusable_or_obsolete()  # what Django runs after every request
    response = client.get(url)
    assert response.status_code == 200
    assert "Still here" in response.content.decode()


# --- (c) Redis goes away ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_caches(port: int) -> dict:
    redis = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
    # As settings.py does with REDIS_URL: the rate limits share the same Redis.
    return {**settings.CACHES, "default": redis, "ratelimits": {**redis, "KEY_PREFIX": "rl"}}


@pytest.fixture
def redis_settings(settings):
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    settings.NEWSROOM = {
        **settings.NEWSROOM,
        "RATE_LIMITS": {**settings.NEWSROOM["RATE_LIMITS"], "ENABLED": True},
    }
    return settings


def _reset_caches():
    """override_settings(CACHES=...) already swaps the cache handlers (Django's test signals)."""


@pytest.mark.django_db
def test_redis_down_pages_still_served_and_posting_works(
    redis_settings, client_for, reader, monkeypatch
):
    article = ArticleFactory()
    post(article, body="Already here.")

    def wait_for_another_renderer(seconds):
        raise AssertionError("with Redis down nobody can be rendering for us: render at once")

    monkeypatch.setattr(thread_cache, "sleep", wait_for_another_renderer)
    port = _free_port()  # nothing listens there
    with override_settings(CACHES=_redis_caches(port)):
        _reset_caches()
        from django.core.cache import caches

        assert type(caches["default"]).__name__ == "RedisCache"
        try:
            started = time.monotonic()
            for _ in range(2):
                response = Client().get(article.get_absolute_url())
                assert response.status_code == 200
                assert "Already here." in response.content.decode()
            client = client_for(reader)
            response = client.post(
                reverse("comment_create", args=[article.slug]),
                {"body": "Posted while Redis is down."},
            )
            assert response.status_code == 302  # rate limits fail open
            response = client.post(
                reverse("comment_create", args=[article.slug]), {"body": "And again at once."}
            )
            assert response.status_code == 302
            assert Comment.objects.filter(article=article).count() == 3
            assert (
                "Posted while Redis is down."
                in Client().get(article.get_absolute_url()).content.decode()
            )
            assert time.monotonic() - started < 20
        finally:
            _reset_caches()
    _reset_caches()


@pytest.mark.django_db
def test_live_redis_killed_and_restarted(redis_settings, tmp_path):
    server = shutil.which("redis-server")
    if server is None:  # .ci/run installs it; under CI its absence fails rather than hides
        (pytest.fail if under_ci() else pytest.skip)(
            "redis-server is not on PATH: install it with make system-deps"
        )
    port = _free_port()

    def start():
        proc = subprocess.Popen(  # noqa: S603 - the redis-server found on PATH
            [
                server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                return proc
            except OSError:
                time.sleep(0.05)
        proc.kill()
        pytest.fail("redis-server did not start")

    article = ArticleFactory()
    post(article, body="Cached thread.")
    proc = start()
    try:
        with override_settings(CACHES=_redis_caches(port)):
            _reset_caches()
            from django.core.cache import cache, caches

            assert Client().get(article.get_absolute_url()).status_code == 200
            assert any(
                k.startswith(b":1:thread:") or b"thread:" in k
                for k in cache.client.get_client().keys("*")
            ), "the page was not cached"
            proc.terminate()
            proc.wait(timeout=10)
            response = Client().get(article.get_absolute_url())
            assert response.status_code == 200
            assert "Cached thread." in response.content.decode()
            proc = start()
            cache.client.get_client().flushall()
            caches["local_pages"].clear()  # as on an app server that never saw the page
            assert Client().get(article.get_absolute_url()).status_code == 200
            assert cache.client.get_client().keys("*"), "the cache is not used again after restart"
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        _reset_caches()


# --- (d) deep and huge threads
# ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_500_deep_reply_chain_renders_everywhere():
    article = import_thread("deep-chain", roots=1, replies_per_root=499, depth=500)
    deepest = Comment.objects.filter(article=article).order_by("-level").first()
    assert deepest.level == 499
    response = Client().get(article.get_absolute_url() + "?all=1")
    assert response.status_code == 200
    assert response.content.decode().count('class="comment') >= 500
    response = Client().get(reverse("comment_detail", args=[deepest.pk]))
    assert response.status_code == 200
    doc = parse_html(response.content)
    assert doc.find(class_="context") is not None
    assert f'id="c{deepest.pk}"' in response.content.decode()
    out = io.StringIO()
    call_command("export_thread", article.slug, stdout=out)
    assert len(json.loads(out.getvalue())["comments"]) == 500


@pytest.mark.django_db
def test_a_5000_comment_thread_renders_with_show_all():
    article = import_thread("huge-thread", roots=500, replies_per_root=9, depth=3)
    assert Comment.objects.filter(article=article).count() == 5000
    started = time.monotonic()
    response = Client().get(article.get_absolute_url() + "?all=1")
    assert response.status_code == 200
    assert response.content.decode().count('class="comment') >= 5000
    assert time.monotonic() - started < 60
    first = Client().get(article.get_absolute_url())
    assert first.status_code == 200
    out = io.StringIO()
    call_command("export_thread", article.slug, stdout=out)
    assert len(json.loads(out.getvalue())["comments"]) == 5000


# --- (d) readiness probe -----------------------------------------------------------------------


@pytest.mark.django_db
def test_readyz_says_whether_the_database_answers(client, monkeypatch):
    """/healthz only says the process is up; /readyz asks the database, for the load balancer."""
    from django.db import OperationalError
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert [q["sql"] for q in ctx.captured_queries] == ["SELECT 1"]

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"database unavailable"
    assert client.get("/healthz").status_code == 200  # alive, but not ready
