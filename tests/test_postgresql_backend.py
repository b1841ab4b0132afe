"""newsroom.postgresql: timestamptz values read with psycopg's C loader, exactly as Django reads
them."""

import datetime as dt
import zoneinfo

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from psycopg.pq import Format

from articles.models import Article
from comments import selectors
from comments.models import Comment
from newsroom.postgresql.base import TIMESTAMPTZ_OID, TimestamptzLoader
from tests.factories import post

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

VALUES = [
    "2026-03-29 01:30:00.123456+00",
    "2026-10-25 01:59:59.999999+02",  # an offset other than the session's
    "2000-02-29 12:00:00-05:30",
    "1900-01-01 00:00:00+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


def _read(values, *, djangos_loader=False):
    with connection.cursor() as cursor:
        if djangos_loader:
            register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute("SELECT v::timestamptz FROM unnest(%s::text[]) AS v", [values])
        return [row[0] for row in cursor.fetchall()]


def test_connections_read_timestamptz_with_the_fast_loader():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert issubclass(loader, TimestamptzLoader)
    assert loader.timezone == connection.timezone  # so Django does not replace it per cursor


def test_values_are_those_djangos_own_loader_reads():
    ours, djangos = _read(VALUES), _read(VALUES, djangos_loader=True)
    assert ours == djangos
    assert [v.tzinfo for v in ours] == [v.tzinfo for v in djangos] == [dt.UTC] * len(VALUES)
    assert ours[0] == dt.datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=dt.UTC)
    assert ours[1] == dt.datetime(2026, 10, 24, 23, 59, 59, 999999, tzinfo=dt.UTC)


def test_a_value_python_cannot_hold_fails_as_it_does_in_django():
    for loader in (False, True):
        with pytest.raises(DataError):
            _read(["infinity"], djangos_loader=loader)


def test_orm_round_trip_keeps_the_instant(article):
    berlin = dt.datetime(2026, 3, 29, 3, 30, 1, 500, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    comment = post(article)
    Comment.objects.filter(pk=comment.pk).update(created_at=berlin, edited_at=None)
    created_at, edited_at = Comment.objects.values_list("created_at", "edited_at").get(
        pk=comment.pk
    )
    assert created_at == berlin and created_at.tzinfo is dt.UTC and edited_at is None


# --- prepared hot reads ------------------------------------------------------------------------


def _prepared(text):
    """How often each of this session's protocol-level prepared statements containing text ran."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements "
            "WHERE NOT from_sql AND statement LIKE %s",
            [f"%{text}%"],
        )
        return [row[0] for row in cursor.fetchall()]


def test_an_anonymous_page_reads_its_thread_version_from_one_prepared_statement(client, article):
    post(article)
    for _ in range(3):
        assert client.get(article.get_absolute_url()).status_code == 200
    # one statement, prepared by the first view and run again by the next two
    assert _prepared('"thread_version" FROM "articles_article"') == [3]


def test_the_signed_in_user_and_a_replys_parent_are_read_prepared(client, article, reader):
    parent = post(article)
    client.force_login(reader)
    response = client.post(
        reverse("comment_reply", args=[parent.pk]), {"body": "A prepared reply."}
    )
    assert response.status_code == 302
    assert Comment.objects.filter(parent=parent, body_raw="A prepared reply.").exists()
    assert _prepared('FROM "accounts_user"')
    assert _prepared('FROM "comments_comment"')


def test_a_prepared_read_still_works_after_a_rolled_back_transaction(article):
    assert selectors.thread_version(article.slug) == (
        article.pk,
        article.reactions_version,
        article.thread_version,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="Duplicate", slug=article.slug)
    assert selectors.thread_version(article.slug) == (
        article.pk,
        article.reactions_version,
        article.thread_version,
    )
    assert selectors.thread_version("no-such-article") is None


def test_the_setting_off_leaves_every_read_unprepared(article, monkeypatch):
    options = {
        k: v for k, v in connection.settings_dict["OPTIONS"].items() if k != "prepare_threshold"
    }
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    assert selectors.thread_version(article.slug) == (
        article.pk,
        article.reactions_version,
        article.thread_version,
    )
    assert _prepared('"thread_version" FROM "articles_article"') == []


def test_the_debug_log_shows_a_prepared_read_with_its_parameters(article):
    with CaptureQueriesContext(connection) as queries:
        selectors.thread_version(article.slug)
    assert len(queries) == 1
    assert f"= '{article.slug}'" in queries[0]["sql"]
