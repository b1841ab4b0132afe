"""A/B of newsroom.postgresql's timestamptz loader against Django's, in one process.

    bash scripts/with_postgres.sh .venv/bin/python bench/timestamptz_ab.py [N]

Imports an N-comment thread (default 1,000), then alternates the two loaders on the same
connection, six rounds each, and prints per loader the median of each round (ten uncached
whole-thread page views):
    AB timestamptz loader=<django|newsroom> n=<N> rounds_ms=<…> median_ms=<float>
Alternating on one connection keeps the VM's drift out of the comparison.
"""

import statistics
import sys
import time

from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.test import Client
from django.test.utils import setup_test_environment
from run import clear_caches, connection, get_ok, import_thread  # sets Django up

from newsroom.postgresql.base import TIMESTAMPTZ_OID


def main(n: int) -> None:
    if connection.vendor != "postgresql":
        sys.exit("timestamptz_ab: needs PostgreSQL (run it under scripts/with_postgres.sh)")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        article = import_thread(n, "ab")
        page = get_ok(Client(HTTP_ACCEPT_ENCODING="gzip"), article.get_absolute_url() + "?all=1")
        connection.ensure_connection()
        adapters = connection.connection.adapters
        loaders = {"django": None, "newsroom": adapters.get_loader(TIMESTAMPTZ_OID, 0)}
        rounds = {name: [] for name in loaders}
        for _ in range(6):
            for name, loader in loaders.items():
                if loader is None:
                    register_tzloader(connection.timezone, connection.connection)
                else:
                    adapters.register_loader("timestamptz", loader)
                times = []
                for _ in range(11):
                    clear_caches()
                    start = time.perf_counter()
                    page()
                    times.append((time.perf_counter() - start) * 1000)
                rounds[name].append(statistics.median(times[1:]))  # the first warms up
        for name, found in rounds.items():
            print(
                f"AB timestamptz loader={name} n={n} "
                f"rounds_ms={','.join(f'{t:.1f}' for t in found)} "
                f"median_ms={statistics.median(found):.1f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
