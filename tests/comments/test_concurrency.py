"""Concurrent writers on a real PostgreSQL server: no lost rows, valid trees, bounded waits."""

import random
import threading
import time

import pytest
from django.db import connection, transaction

from comments import services
from comments.locks import TreeBusy
from comments.models import Comment
from comments.tree_check import find_tree_problems
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

THREADS = 12
PER_THREAD = 15


@pytest.fixture(autouse=True)
def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def run_threads(target, count=THREADS):
    """Start `count` threads at the same moment; re-raise the first error any of them hit."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def worker(index):
        try:
            barrier.wait(timeout=30)
            target(index)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection: close it

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a writer thread hung"
    if errors:
        raise errors[0]


def assert_valid_forest(article):
    problems = find_tree_problems()
    assert problems == [], problems[:10]
    rows = list(
        Comment.objects.filter(article=article).values_list(
            "pk", "parent_id", "tree_id", "lft", "rght", "level"
        )
    )
    by_pk = {r[0]: r for r in rows}
    trees: dict[int, list] = {}
    for r in rows:
        trees.setdefault(r[2], []).append(r)
    descendants = {pk: 0 for pk in by_pk}
    for _pk, parent_id, *_ in rows:
        while parent_id is not None:
            descendants[parent_id] += 1
            parent_id = by_pk[parent_id][1]
    for tree_id, members in trees.items():
        roots = [m for m in members if m[1] is None]
        assert len(roots) == 1, f"tree {tree_id} has {len(roots)} roots"
        values = [v for m in members for v in (m[3], m[4])]
        assert sorted(values) == list(range(1, 2 * len(members) + 1)), f"tree {tree_id}"
    for pk, parent_id, tree_id, lft, rght, level in rows:
        assert rght - lft - 1 == 2 * descendants[pk]
        if parent_id is None:
            assert level == 0
        else:
            parent = by_pk[parent_id]
            assert tree_id == parent[2]
            assert level == parent[5] + 1
            assert parent[3] < lft and rght < parent[4]


def test_twelve_writers_replying_at_once_lose_nothing_and_keep_the_tree_valid():
    article = ArticleFactory()
    authors = [UserFactory() for _ in range(THREADS)]
    seeds = [
        services.comment_create(article=article, author=authors[0], body=f"Seed {i}")
        for i in range(3)
    ]
    seeds.append(
        services.comment_create(
            article=article, author=authors[1], body="Seed reply", parent=seeds[0]
        )
    )

    def write(index):
        rng = random.Random(index)
        for n in range(PER_THREAD):
            # Random parents among the article's comments as they are now, others' new ones too.
            pks = list(Comment.objects.filter(article=article).values_list("pk", flat=True))
            services.comment_create(
                article=article,
                author=authors[index],
                body=f"Writer {index}, reply {n}",
                parent=rng.choice(pks),
            )

    run_threads(write)
    expected = len(seeds) + THREADS * PER_THREAD
    assert Comment.objects.filter(article=article).count() == expected
    assert Comment.objects.filter(article=article, parent=None).count() == 3
    for index in range(THREADS):
        bodies = set(
            Comment.objects.filter(author=authors[index], parent__isnull=False).values_list(
                "body_raw", flat=True
            )
        )
        assert {f"Writer {index}, reply {n}" for n in range(PER_THREAD)} <= bodies
    assert_valid_forest(article)
    article.refresh_from_db()
    assert article.thread_version == expected  # every post bumped it, none was lost


def test_twelve_writers_starting_threads_at_once_get_distinct_tree_ids():
    article = ArticleFactory()
    authors = [UserFactory() for _ in range(THREADS)]

    def write(index):
        for n in range(5):
            root = services.comment_create(
                article=article, author=authors[index], body=f"Top-level {index}/{n}"
            )
            services.comment_create(
                article=article, author=authors[index], body=f"Own reply {index}/{n}", parent=root
            )

    run_threads(write)
    roots = list(
        Comment.objects.filter(article=article, parent=None).values_list("tree_id", flat=True)
    )
    assert len(roots) == THREADS * 5
    assert len(set(roots)) == len(roots), "two top-level comments share a tree_id"
    assert Comment.objects.filter(article=article).count() == THREADS * 10
    assert_valid_forest(article)


def test_writers_in_two_articles_do_not_corrupt_each_other():
    articles = [ArticleFactory(), ArticleFactory()]
    authors = [UserFactory() for _ in range(THREADS)]
    roots = [services.comment_create(article=a, author=authors[0], body="Root") for a in articles]

    def write(index):
        article, root = articles[index % 2], roots[index % 2]
        parent = root
        for n in range(8):
            if n % 3 == 2:
                services.comment_create(article=article, author=authors[index], body="New top")
            else:
                parent = services.comment_create(
                    article=article, author=authors[index], body=f"Chain {n}", parent=parent
                )

    run_threads(write)
    for article in articles:
        assert Comment.objects.filter(article=article).count() == 1 + (THREADS // 2) * 8
        assert_valid_forest(article)


class HeldLock:
    """Hold pg_advisory_xact_lock(namespace, key) in another connection until released."""

    def __init__(self, namespace, key):
        self.namespace, self.key = namespace, key
        self.taken, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [self.namespace, self.key])
                self.taken.set()
                self.release.wait(timeout=60)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.taken.wait(timeout=10), "could not take the lock in the helper connection"
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(timeout=30)


@pytest.fixture
def short_lock_wait(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "TREE_LOCK_TIMEOUT_MS": 300}


def test_a_tree_held_too_long_raises_tree_busy_quickly(short_lock_wait):
    article = ArticleFactory()
    author = UserFactory()
    root = services.comment_create(article=article, author=author, body="Root")
    before = Comment.objects.count()
    with HeldLock(7301, root.tree_id):
        started = time.monotonic()
        with pytest.raises(TreeBusy, match="try again"):
            services.comment_create(article=article, author=author, body="Blocked", parent=root)
        assert time.monotonic() - started < 3
        # Another tree is not blocked by it.
        other = services.comment_create(article=article, author=author, body="Elsewhere")
        services.comment_create(article=article, author=author, body="Fine", parent=other)
    assert Comment.objects.count() == before + 2
    # Once the lock is released the same reply goes through.
    services.comment_create(article=article, author=author, body="Now", parent=root)
    assert_valid_forest(article)


def test_new_top_level_comments_wait_boundedly_for_the_roots_lock(short_lock_wait):
    article = ArticleFactory()
    author = UserFactory()
    with HeldLock(7302, 0):
        started = time.monotonic()
        with pytest.raises(TreeBusy):
            services.comment_create(article=article, author=author, body="Blocked")
        assert time.monotonic() - started < 3
    assert not Comment.objects.exists()


def test_busy_tree_answers_503_try_again(short_lock_wait, client):
    article = ArticleFactory()
    author = UserFactory()
    root = services.comment_create(article=article, author=author, body="Root")
    client.force_login(author)
    before = Comment.objects.count()
    with HeldLock(7301, root.tree_id):
        started = time.monotonic()
        response = client.post(f"/comments/{root.pk}/reply/", {"body": "Blocked reply"})
        assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert "try again" in response.content.decode().lower()
    assert response["Retry-After"]
    assert Comment.objects.count() == before
    # The connection is usable again: the retry succeeds.
    response = client.post(f"/comments/{root.pk}/reply/", {"body": "Retried reply"})
    assert response.status_code == 302
    assert Comment.objects.count() == before + 1


def test_lock_timeout_does_not_leak_into_later_transactions(short_lock_wait):
    article = ArticleFactory()
    author = UserFactory()
    services.comment_create(article=article, author=author, body="Root")
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] in ("0", "0ms")
