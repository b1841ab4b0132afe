"""newsroom.postgresql: timestamptz values read with psycopg's C loader, exactly as Django reads them."""

import datetime as dt
import zoneinfo

import pytest
from django.db import DataError, connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format

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
    created_at, edited_at = Comment.objects.values_list("created_at", "edited_at").get(pk=comment.pk)
    assert created_at == berlin and created_at.tzinfo is dt.UTC and edited_at is None
