#!/usr/bin/env bash
# The whole test suite, twice: on a throwaway PostgreSQL server, then on SQLite.
#
#   scripts/run_tests.sh [PYTEST_ARGS...]      (what `make test` runs)
#
# Pass 1: every test, DATABASE_URL pointing at scripts/with_postgres.sh's server.
# Pass 2: no DATABASE_URL (SQLite), tests marked `postgresql` deselected.
# Both passes always run; exits non-zero if either failed. A pass that selected no test at all
# (pytest exit 5, e.g. `-k` matching only PostgreSQL tests) is not a failure unless neither
# pass ran any test.
#
# PYTHON selects the interpreter (default .venv/bin/python).
set -uo pipefail

cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
export NEWSROOM_TESTING=1

pg_status=0
bash scripts/with_postgres.sh "$PY" -m pytest "$@" || pg_status=$?

sqlite_status=0
env -u DATABASE_URL "$PY" -m pytest -m "not postgresql" "$@" || sqlite_status=$?

if [[ $pg_status -eq 5 && $sqlite_status -eq 5 ]]; then
    echo "run_tests: no test was collected in either pass" >&2
    exit 5
fi
[[ $pg_status -eq 5 ]] && pg_status=0
[[ $sqlite_status -eq 5 ]] && sqlite_status=0

if [[ $pg_status -ne 0 || $sqlite_status -ne 0 ]]; then
    echo "run_tests: FAILED (postgresql pass: exit $pg_status, sqlite pass: exit $sqlite_status)" >&2
    exit 1
fi
exit 0
