#!/usr/bin/env bash
# `make loadtest`: the real stack on loopback, bounded in time (~4 minutes with the defaults).
#
#   scripts/loadtest.sh
#
# Starts a throwaway PostgreSQL (scripts/with_postgres.sh: unix socket only), a Redis on a free
# 127.0.0.1 port (no persistence), and gunicorn serving newsroom.wsgi on 127.0.0.1 with
# production settings; imports a 1,000-comment thread (bench/threads.py), then
#   1. wrk --latency on the whole thread (?all=1) and the default page as browsers ask for them
#      (Accept-Encoding: gzip) between two runs on /healthz, then /readyz (one query) and the
#      whole thread uncompressed, and the thread's live updates (one poll's cost);
#   2. a mixed run (bench/mixed_load.py): signed-in users reading, replying and flagging;
#      then every acknowledged reply is looked up in the database and check_trees must pass;
#   3. a second gunicorn on another port sharing the database and Redis: a reply through one
#      is visible through the other on the next request, and a rate limit hit on one holds on
#      the other;
#   4. live updates (bench/mixed_load.py poll): 1,000 anonymous readers with the thread open,
#      each polling /articles/<slug>/updates as the page's script does (every 10 s while the
#      version moves, backing off to 60 s), while a signed-in reader posts every 6 s.
# Prints `LOAD ...` summary lines. Everything it started is stopped on exit (gunicorns and Redis
# here, PostgreSQL by with_postgres.sh). Exit status 1 if the mixed run, the scale-out check or
# a poll failed (the throughput ratio target is reported, not enforced).
#
# Settings (production, DEBUG and NEWSROOM_TESTING off): a generated SECRET_KEY,
# ALLOWED_HOSTS=127.0.0.1,localhost, REDIS_URL, CONN_MAX_AGE default, manifest static files
# served by whitenoise from a collectstatic into the temp dir, rate limits on. TLS is what a
# proxy would terminate: BEHIND_PROXY=1 and every client (wrk included) sends
# `X-Forwarded-Proto: https`, so the HTTPS redirect, Secure cookies and CSRF origin checks all
# stay on, unchanged from production.
#
# Environment knobs:
#   LOADTEST_N=1000            comments in the imported thread
#   LOADTEST_WRK_SECONDS=15    per wrk run (plus a 2 s warm-up)
#   LOADTEST_WRK_CONNECTIONS=8 LOADTEST_WRK_THREADS=2
#   LOADTEST_ROUNDS=8 LOADTEST_ROUND_SECONDS=2   then that many rounds of /healthz, whole thread,
#                              default page, in short runs (ratio per round, median reported)
#   LOADTEST_WORKERS=4         gunicorn sync workers per app server
#   LOADTEST_USERS=50 LOADTEST_SECONDS=60 LOADTEST_THINK_MS=500   the mixed run
#   LOADTEST_FORM_LOGINS=2     mixed-run users signed in through the login form (-1: all); the
#                              others get sessions made server-side (PBKDF2 is 1-2 s per login)
#   LOADTEST_WRK_ONLY=1        stop after the wrk runs
#   LOADTEST_POLLERS=1000 LOADTEST_POLL_SECONDS=60 LOADTEST_POLL_INTERVAL=10   step 4
#   LOADTEST_POLL_ONLY=1       only step 4 (no wrk, mixed run or second server)
#   PYTHON=.venv/bin/python
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { echo "loadtest: [${SECONDS}s] $*" >&2; }
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[[ "$PYTHON" == /* ]] || PYTHON="$ROOT/$PYTHON"

if [[ "${1:-}" != --inner ]]; then
    bash "$ROOT/scripts/install_system_deps.sh" redis-server wrk curl
    [[ -x "$PYTHON" ]] || { log "no $PYTHON; run make install"; exit 1; }
    [[ -x "$(dirname "$PYTHON")/gunicorn" ]] || { log "no gunicorn beside $PYTHON"; exit 1; }
    started=$SECONDS
    status=0
    PYTHON="$PYTHON" bash "$ROOT/scripts/with_postgres.sh" bash "$ROOT/scripts/loadtest.sh" --inner \
        || status=$?
    log "finished in $((SECONDS - started)) s (status $status)"
    exit "$status"
fi

# ---- inside with_postgres.sh: DATABASE_URL points at the throwaway cluster -------------------
N="${LOADTEST_N:-1000}"
WRK_SECONDS="${LOADTEST_WRK_SECONDS:-15}"
WRK_C="${LOADTEST_WRK_CONNECTIONS:-8}"
WRK_T="${LOADTEST_WRK_THREADS:-2}"
ROUNDS="${LOADTEST_ROUNDS:-8}"
ROUND_SECONDS="${LOADTEST_ROUND_SECONDS:-2}"
WORKERS="${LOADTEST_WORKERS:-4}"
USERS="${LOADTEST_USERS:-50}"
MIXED_SECONDS="${LOADTEST_SECONDS:-60}"
THINK_MS="${LOADTEST_THINK_MS:-500}"
POLLERS="${LOADTEST_POLLERS:-1000}"
POLL_SECONDS="${LOADTEST_POLL_SECONDS:-60}"
POLL_INTERVAL="${LOADTEST_POLL_INTERVAL:-10}"
GUNICORN="$(dirname "$PYTHON")/gunicorn"
SLUG=loadtest-thread

TMP="$(mktemp -d /tmp/newsroom-loadtest.XXXXXX)"
PIDS=()
cleanup() {
    local status=$? pid
    trap - EXIT INT TERM HUP
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ $status -ne 0 && -d "$TMP" ]]; then
        for f in "$TMP"/gunicorn_* "$TMP"/redis.log; do
            [[ -s "$f" ]] && { log "--- tail of $f"; tail -n 30 "$f" >&2; }
        done
    fi
    rm -rf "$TMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() {  # wait_http URL PID: 0 once URL answers 200 (bounded: 30 s)
    local i
    for i in $(seq 1 150); do
        [[ "$(curl -s -o /dev/null -m 5 -H 'X-Forwarded-Proto: https' -w '%{http_code}' "$1" || true)" == 200 ]] \
            && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# ---- settings: production, with STATIC_ROOT in the temp dir --------------------------------
cat >"$TMP/loadtest_settings.py" <<'EOF'
# generated by scripts/loadtest.sh: newsroom.settings, collected static files outside the checkout
import os

from newsroom.settings import *  # noqa: F401,F403

STATIC_ROOT = os.environ["LOADTEST_STATIC_ROOT"]
EMAIL_FILE_PATH = os.environ["LOADTEST_MAIL_DIR"]
EOF
unset DEBUG NEWSROOM_TESTING NEWSROOM_RATE_LIMITS SECURE_SSL_REDIRECT
export DJANGO_SETTINGS_MODULE=loadtest_settings
export PYTHONPATH="$TMP:$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export LOADTEST_STATIC_ROOT="$TMP/static"
SECRET_KEY="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export BEHIND_PROXY=1
# Production settings refuse a backend that sends nothing (locmem, console); mail (there is none
# in these runs) goes to files in the temp dir.
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
export LOADTEST_MAIL_DIR="$TMP/mail"

REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes --save '' \
    --appendonly no --daemonize no --dir "$TMP" --logfile "$TMP/redis.log" &
PIDS+=($!)
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
for _ in $(seq 1 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
done
redis-cli -p "$REDIS_PORT" ping >/dev/null || { log "redis did not start"; exit 1; }

log "migrate, collectstatic, import a $N-comment thread"
"$PYTHON" manage.py migrate -v0 --noinput
"$PYTHON" manage.py collectstatic -v0 --noinput
"$PYTHON" bench/loadtest.py write-thread "$N" "$TMP/thread.json" --slug "$SLUG"
"$PYTHON" manage.py import_thread "$TMP/thread.json" | tail -1 >&2
PASSWORD="lt-$("$PYTHON" -c 'import secrets; print(secrets.token_hex(8))')"
# The mixed run's users, two for the scale-out check, one who writes during the poll run.
"$PYTHON" bench/loadtest.py setup-users "$((USERS + 3))" loaduser "$PASSWORD" "$TMP/setup.json" \
    --slug "$SLUG"
"$PYTHON" manage.py check --deploy --fail-level ERROR -v0 >/dev/null 2>&1 \
    || log "note: manage.py check --deploy reports errors"

start_gunicorn() {  # start_gunicorn NAME PORT -> pid in GPID
    "$GUNICORN" --workers "$WORKERS" --bind "127.0.0.1:$2" --timeout 30 --graceful-timeout 5 \
        --worker-tmp-dir /dev/shm --error-logfile "$TMP/gunicorn_$1.log" --chdir "$ROOT" \
        newsroom.wsgi:application >>"$TMP/gunicorn_$1.out" 2>&1 &
    GPID=$!
    PIDS+=("$GPID")
    wait_http "http://127.0.0.1:$2/healthz" "$GPID" || { log "gunicorn $1 did not come up"; exit 1; }
}
PORT_A="$(free_port)"
PORT_B="$(free_port)"
start_gunicorn a "$PORT_A"
A="http://127.0.0.1:$PORT_A"
log "gunicorn A: $WORKERS sync workers on $A; redis on 127.0.0.1:$REDIS_PORT"

# ---- 4. (defined first: LOADTEST_POLL_ONLY runs it alone) live updates, polled ---------------
run_pollers() {
    log "live updates: $POLLERS pollers for $POLL_SECONDS s against A (every ${POLL_INTERVAL} s)"
    "$PYTHON" bench/mixed_load.py poll --base "$A" --setup "$TMP/setup.json" \
        --writer "loaduser$((USERS + 2))" --pollers "$POLLERS" --seconds "$POLL_SECONDS" \
        --interval "$POLL_INTERVAL"
}
if [[ -n "${LOADTEST_POLL_ONLY:-}" ]]; then
    run_pollers
    exit $?
fi

# ---- 1. wrk ----------------------------------------------------------------------------------
wrk_run() {  # wrk_run NAME URL [HEADER...]
    local name="$1" url="$2" headers=(-H 'X-Forwarded-Proto: https')
    shift 2
    for h in "$@"; do headers+=(-H "$h"); done
    wrk -t"$WRK_T" -c"$WRK_C" -d2s "${headers[@]}" "$url" >/dev/null 2>&1 || true
    wrk -t"$WRK_T" -c"$WRK_C" -d"${WRK_SECONDS}s" --timeout 30s --latency \
        "${headers[@]}" "$url" >"$TMP/wrk_$name.txt" 2>&1 || true
    log "wrk $name $url: $(grep -E 'Requests/sec|Non-2xx' "$TMP/wrk_$name.txt" | tr -s ' ' | tr '\n' ' ')"
}
wrk_round() {  # wrk_round NAME URL: one short run of the interleaved rounds (server warm)
    mkdir -p "$TMP/rounds"
    wrk -t"$WRK_T" -c"$WRK_C" -d"${ROUND_SECONDS}s" --timeout 30s -H 'X-Forwarded-Proto: https' \
        -H "$BROWSER" "$2" >"$TMP/rounds/$1.txt" 2>&1 || true
}
# Every page is 200 before timing it (a 301 or 500 here would make wrk's figures meaningless).
for path in "/articles/$SLUG/?all=1" "/articles/$SLUG/" /healthz /readyz \
    "/articles/$SLUG/updates?since=0"; do
    code="$(curl -s -o /dev/null -H 'X-Forwarded-Proto: https' -w '%{http_code}' "$A$path")"
    [[ "$code" == 200 ]] || { log "GET $path -> $code"; exit 1; }
done
# Browsers always send Accept-Encoding: gzip, so the thread pages are timed that way; the whole
# thread is timed once more without it (clients that take the ~1 MB of plain HTML).
# /healthz is timed before and after the two thread pages and the ratio uses the mean of both:
# on a shared machine throughput drifts over a minute, and one trivial run at either end would
# hand that drift to the ratio.
BROWSER='Accept-Encoding: gzip, deflate, br'
wrk_run trivial_before "$A/healthz" "$BROWSER"
wrk_run thread_full "$A/articles/$SLUG/?all=1" "$BROWSER"
wrk_run thread_default "$A/articles/$SLUG/" "$BROWSER"
wrk_run trivial_after "$A/healthz" "$BROWSER"
# For the record, not the target: /readyz is a trivial view plus one database round trip, the
# least a page that must never be stale pays (the thread page asks for its version).
wrk_run one_query "$A/readyz" "$BROWSER"
# What a live-updates poll costs at most (from the shared cache, as nearly every poll is).
wrk_run updates "$A/articles/$SLUG/updates?since=0" "$BROWSER"
wrk_run thread_full_identity "$A/articles/$SLUG/?all=1"
# The same ratio again from short alternating runs: this VM's speed can change by 1.5x between
# the two 15 s /healthz runs, which no bracketing fully removes; a page run and the /healthz runs
# either side of it, seconds apart, see the same machine. The median over rounds is reported
# beside the 15 s figures.
for ((round = 1; round <= ROUNDS; round++)); do
    wrk_round "healthz_$round" "$A/healthz"
    wrk_round "full_$round" "$A/articles/$SLUG/?all=1"
    wrk_round "default_$round" "$A/articles/$SLUG/"
done
wrk_round "healthz_$((ROUNDS + 1))" "$A/healthz"
"$PYTHON" bench/loadtest.py wrk-summary "$N" "$TMP/wrk_thread_full.txt" \
    "$TMP/wrk_thread_default.txt" "$TMP/wrk_thread_full_identity.txt" \
    "$TMP/wrk_trivial_before.txt" "$TMP/wrk_trivial_after.txt" --one-query "$TMP/wrk_one_query.txt" \
    --updates "$TMP/wrk_updates.txt" \
    --rounds "$TMP/rounds" "$ROUNDS"
if [[ -n "${LOADTEST_KEEP_WRK:-}" ]]; then
    mkdir -p "$LOADTEST_KEEP_WRK" && cp -r "$TMP"/wrk_*.txt "$TMP/rounds" "$LOADTEST_KEEP_WRK/"
fi
[[ -z "${LOADTEST_WRK_ONLY:-}" ]] || exit 0

# ---- 2. mixed run ----------------------------------------------------------------------------
log "mixed run: $USERS users for $MIXED_SECONDS s against A"
mixed_status=0
"$PYTHON" bench/mixed_load.py run --base "$A" --setup "$TMP/setup.json" --password "$PASSWORD" \
    --users "$USERS" --seconds "$MIXED_SECONDS" --think-ms "$THINK_MS" --out "$TMP/mixed.json" \
    --form-logins "${LOADTEST_FORM_LOGINS:-2}" \
    || mixed_status=$?
trees=clean
"$PYTHON" manage.py check_trees >"$TMP/check_trees.txt" 2>&1 || trees=corrupted
[[ $trees == clean ]] || cat "$TMP/check_trees.txt" >&2
if [[ -f "$TMP/mixed.json" ]]; then
    "$PYTHON" bench/loadtest.py verify "$TMP/mixed.json" --check-trees "$trees" || mixed_status=1
else
    mixed_status=1
fi

# ---- 3. scale-out: a second app server on the same PostgreSQL and Redis ----------------------
start_gunicorn b "$PORT_B"
B="http://127.0.0.1:$PORT_B"
rl="$("$PYTHON" -c 'import json, sys; print("on" if json.load(open(sys.argv[1]))["rate_limits"]["enabled"] else "off")' "$TMP/setup.json")"
scale_status=0
"$PYTHON" bench/mixed_load.py scaleout --a "$A" --b "$B" --slug "$SLUG" \
    --user "loaduser$USERS" --user2 "loaduser$((USERS + 1))" --password "$PASSWORD" \
    --rate-limits "$rl" || scale_status=$?

poll_status=0
run_pollers || poll_status=$?

if grep -qE 'Traceback|\[ERROR\]|\[CRITICAL\]' "$TMP"/gunicorn_*; then
    log "gunicorn logged errors:"
    grep -hE -A3 'Traceback|\[ERROR\]|\[CRITICAL\]' "$TMP"/gunicorn_* | head -n 40 >&2
fi
[[ $mixed_status -eq 0 && $scale_status -eq 0 && $poll_status -eq 0 ]]
