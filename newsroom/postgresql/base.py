"""Django's PostgreSQL backend, reading timestamptz columns with psycopg's C loader.

Django 5.2 reads every timestamptz through a loader that subclasses psycopg's pure-Python one
(django.db.backends.postgresql.psycopg_any.BaseTzLoader; Django ticket #36960), because the C
loader cannot be subclassed. That costs 4–10 µs a value, and every comment row has one: an
uncached 1,000-comment thread renders 8% faster with this backend, 10,000 comments 11%
(bench/timestamptz_ab.py). This backend registers a loader that calls the C one and then does
exactly what Django's does (set the connection's time zone). Everything else is Django's
backend, unchanged. Without psycopg's C extension it calls the Python loader: slower, the same.
"""

from __future__ import annotations

import functools

import psycopg
from django.db.backends.postgresql import base
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


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if "context" in params:  # psycopg 3 (Django's psycopg2 path has no loaders to replace)
            params["context"] = adapters_template(params["context"], self.timezone)
        return params
