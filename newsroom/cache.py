"""Django's database cache with an atomic incr(), for the rate limits of servers without Redis.

Django's DatabaseCache.incr() is a get then a set: two workers counting at once both read 1
and both write 2, and the set replaces the key's expiry with the default timeout. Here the
read and the write are one transaction holding the row's lock (SELECT ... FOR UPDATE on
PostgreSQL; on SQLite, Newsroom's IMMEDIATE transactions take the write lock at BEGIN), so
concurrent increments are serialised, none is lost, and the window keeps its end, as INCR
does in Redis.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends import db as db_cache
from django.db import connections, models, router, transaction


class AtomicDatabaseCache(db_cache.DatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value, expires FROM {table} WHERE cache_key = %s{lock}",  # noqa: S608
                [key],
            )
            row = cursor.fetchone()
            if row is not None:
                value, expires = row
                for converter in converters:
                    expires = converter(expires, expression, connection)
                if expires < db_cache.tz_now():
                    row = None
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(value).encode()))  # noqa: S301
            value += delta
            pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET value = %s WHERE cache_key = %s",  # noqa: S608
                [pickled, key],
            )
        return value
