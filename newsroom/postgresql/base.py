"""Django's PostgreSQL backend, with two changes for the hot paths; everything else is Django's.

1. Timestamptz columns are read with psycopg's C loader.
Django 5.2 reads every timestamptz through a loader that subclasses psycopg's pure-Python one
(django.db.backends.postgresql.psycopg_any.BaseTzLoader; Django ticket #36960), because the C
loader cannot be subclassed, and every comment row has a timestamptz: an uncached thread
renders measurably faster with this backend (bench/timestamptz_ab.py measures it). This
backend registers a loader that calls the C one and then does exactly what Django's does
(set the connection's time zone). Without psycopg's C extension it calls the Python loader:
slower, the same.

2. prepared_cursor(): the reads that run on almost every request are prepared statements.
Planning is most of PostgreSQL's work for a one-row read by a unique key: a stored anonymous page
costs its database about half the CPU with its reads prepared (measured with prepared
statements on and off in one process, the database backend's CPU read from /proc).
"""

from __future__ import annotations

import functools

import psycopg
from django.db.backends.postgresql import base
from django.utils.asyncio import async_unsafe
from psycopg.adapt import AdaptersMap, Loader
from psycopg.pq import Format

TIMESTAMPTZ_OID = psycopg.postgres.types["timestamptz"].oid
# The global map hands out the optimised (C) class when psycopg's C extension is installed.
_FAST_LOADER = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)


class TimestamptzLoader(Loader):
    timezone = None  # set per subclass; Django's create_cursor() compares it with its own

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._load = _FAST_LOADER(oid, context).load

    def load(self, data):
        return self._load(data).replace(tzinfo=self.timezone)


@functools.cache
def adapters_template(template: AdaptersMap, tz) -> AdaptersMap:
    """Django's adapters for new connections, with the fast timestamptz loader."""

    class SpecificTimestamptzLoader(TimestamptzLoader):
        timezone = tz

    adapters = AdaptersMap(template)
    adapters.register_loader("timestamptz", SpecificTimestamptzLoader)
    return adapters


class PreparedCursor(psycopg.Cursor):
    """Binds parameters server-side and prepares every statement it runs.

    PostgreSQL then parses and plans each statement once per connection instead of on every
    execution. psycopg names and caches the statements itself, at the protocol level, so
    PgBouncer 1.21+ in transaction mode keeps them (with max_prepared_statements > 0).
    """

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseOperations(base.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        # What Django logs for its own server-side binding cursors (the parameters composed in).
        if isinstance(cursor, PreparedCursor):
            try:
                return self.compose_sql(sql, params)
            except psycopg.errors.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self):
        params = super().get_connection_params()
        if "context" in params:  # psycopg 3 (Django's psycopg2 path has no loaders to replace)
            params["context"] = adapters_template(params["context"], self.timezone)
        return params

    @async_unsafe
    def prepared_cursor(self):
        """cursor(), for the few hot reads that run on almost every request, prepared.

        Django turns prepared statements off by default (for poolers that cannot keep them),
        and its own cursors bind client-side, which never prepares. Settings switch them on
        (OPTIONS["prepare_threshold"]); without that, this is a plain cursor().
        """
        if self.settings_dict["OPTIONS"].get("prepare_threshold") is None:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = PreparedCursor(self.connection)
            if (
                self.timezone
                != self.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT).timezone
            ):
                base.register_tzloader(self.timezone, cursor)  # as Django's create_cursor() does
            return self._prepare_cursor(cursor)
