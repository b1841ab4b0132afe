#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server.
#
#   scripts/with_postgres.sh CMD [ARGS...]
#
# Starts a fresh cluster in a new `mktemp -d` directory under /tmp, listening only on a unix
# socket in that directory (no TCP), with trust auth and a SUPERUSER role `newsroom` that owns
# a database `newsroom`. Exports DATABASE_URL (plus PGHOST/PGPORT/PGUSER/PGDATABASE for psql),
# runs CMD, then stops the server and deletes the directory, whatever CMD did. Exits with
# CMD's status.
#
# Durability is switched off (fsync, synchronous_commit, full_page_writes): the data is thrown
# away anyway. max_connections is 200 for the concurrency tests.
#
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
# (created if missing). The socket directory is mode 0700, so trust auth admits only that
# user and root. Environment knobs:
#   PG_BINDIR          directory with initdb/pg_ctl (default: newest /usr/lib/postgresql/*/bin)
#   PG_MAX_CONNECTIONS (default 200)
#   PG_KEEP_LOG=1      copy the server log to stderr at teardown
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

log() { echo "with_postgres: $*" >&2; }

find_bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then
        echo "$PG_BINDIR"
        return 0
    fi
    local d
    # Debian layout: /usr/lib/postgresql/<major>/bin; take the newest major version.
    while read -r d; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
            echo "$d"
            return 0
        fi
    done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -V -r)
    if command -v pg_config >/dev/null 2>&1; then
        d="$(pg_config --bindir 2>/dev/null || true)"
        if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
            echo "$d"
            return 0
        fi
    fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
        return 0
    fi
    return 1
}

if ! BINDIR="$(find_bindir)"; then
    log "no PostgreSQL server binaries found (initdb/pg_ctl); run scripts/install_system_deps.sh"
    exit 127
fi

# Nothing from the caller's libpq environment may redirect initdb/pg_ctl/psql.
unset PGDATA PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS

AS_ROOT=0
if [[ "$(id -u)" -eq 0 ]]; then
    AS_ROOT=1
    if ! id -u postgres >/dev/null 2>&1; then
        log "creating system user postgres"
        useradd --system --user-group --home-dir /nonexistent --no-create-home \
            --shell /usr/sbin/nologin postgres
    fi
fi

# Always under /tmp: the checkout may live somewhere the postgres user cannot traverse.
PGTMP="$(mktemp -d /tmp/newsroom-pg.XXXXXX)"
DATADIR="$PGTMP/data"
PGLOG="$PGTMP/server.log"
PORT=5432  # only names the socket file; nothing listens on TCP
ROLE=newsroom
DBNAME=newsroom
STARTED=0

# Run a PostgreSQL binary as the server's owner, from a directory it can read.
as_pg() {
    if [[ $AS_ROOT -eq 1 ]]; then
        (cd "$PGTMP" && runuser -u postgres -- "$@")
    else
        (cd "$PGTMP" && "$@")
    fi
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    if [[ $STARTED -eq 1 ]]; then
        if ! as_pg "$BINDIR/pg_ctl" -D "$DATADIR" -m immediate -w -t 30 stop >/dev/null 2>&1; then
            # pg_ctl failed: stop the postmaster we started, by its pid.
            local pid
            pid="$(head -n1 "$DATADIR/postmaster.pid" 2>/dev/null || true)"
            if [[ "$pid" =~ ^[0-9]+$ ]]; then
                log "pg_ctl stop failed; killing postmaster $pid"
                kill -QUIT "$pid" 2>/dev/null || true
                sleep 1
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    if [[ "${PG_KEEP_LOG:-0}" == 1 && -f "$PGLOG" ]]; then
        log "server log:"
        cat "$PGLOG" >&2 || true
    fi
    rm -rf "$PGTMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

chmod 0700 "$PGTMP"
if [[ $AS_ROOT -eq 1 ]]; then
    chown postgres:postgres "$PGTMP"
fi

# The bootstrap superuser is the test role itself; trust auth, socket only.
if ! as_pg "$BINDIR/initdb" -D "$DATADIR" -U "$ROLE" --auth=trust -E UTF8 --no-locale \
        --no-sync >"$PGTMP/initdb.log" 2>&1; then
    log "initdb failed:"
    cat "$PGTMP/initdb.log" >&2
    exit 1
fi

cat >>"$DATADIR/postgresql.conf" <<EOF

# --- throwaway test server (scripts/with_postgres.sh) ---
listen_addresses = ''
unix_socket_directories = '$PGTMP'
port = $PORT
max_connections = ${PG_MAX_CONNECTIONS:-200}
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

if ! as_pg "$BINDIR/pg_ctl" -D "$DATADIR" -l "$PGLOG" -w -t 60 start >/dev/null 2>&1; then
    STARTED=1  # it may be half up; let cleanup try to stop it
    log "PostgreSQL failed to start; server log:"
    cat "$PGLOG" >&2 || true
    exit 1
fi
STARTED=1

if ! as_pg "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGTMP" -p "$PORT" -U "$ROLE" \
        -d postgres -c "CREATE DATABASE $DBNAME OWNER $ROLE" >/dev/null; then
    log "could not create database $DBNAME"
    exit 1
fi

# Percent-encoded socket directory as the host: dj-database-url puts it in HOST, libpq accepts it.
ENC_DIR="${PGTMP//\//%2F}"
export DATABASE_URL="postgres://$ROLE@$ENC_DIR:$PORT/$DBNAME"
export PGHOST="$PGTMP" PGPORT="$PORT" PGUSER="$ROLE" PGDATABASE="$DBNAME"
log "PostgreSQL $("$BINDIR/postgres" --version | awk "{print \$3}") up on $PGTMP (DATABASE_URL=$DATABASE_URL)"

status=0
"$@" || status=$?
exit "$status"
