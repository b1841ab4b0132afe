"""Django's PostgreSQL backend, reading timestamptz columns with psycopg's C loader.

Django 5.2 reads every timestamptz through a loader that subclasses psycopg's pure-Python one
(django.db.backends.postgresql.psycopg_any.BaseTzLoader; Django ticket #36960), because the C
loader cannot be subclassed. That costs ~10 µs a value: 10 ms of a 1,000-comment thread's
62 ms render went to its `created_at` column alone. This backend registers a loader that
calls the C one and then does exactly what Django's does (set the connection's time zone).
Everything else is Django's backend, unchanged.
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
