#!/usr/bin/env bash
# Install the Debian packages Newsroom's tests and tools need, but only those that are missing.
#
#   scripts/install_system_deps.sh            # the test suite's needs: postgresql, chromium, redis
#   scripts/install_system_deps.sh redis wrk  # ...plus extras (see EXTRAS below)
#
# `apt-get update` runs only when something has to be installed. Needs root (or sudo) only then.
set -euo pipefail

# name -> "debian-package check" where check is a command that must succeed when present.
have_pg_server() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && return 0
    done
    return 1
}
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }

missing=()
want() {  # want PACKAGE CHECK...
    local pkg=$1
    shift
    if ! "$@"; then
        missing+=("$pkg")
    fi
}

# Always: the PostgreSQL server (tests run against a throwaway cluster), Chromium (browser
# tests drive /usr/bin/chromium headless) and Redis (the cache-outage test starts its own).
want postgresql have_pg_server
want chromium test -x /usr/bin/chromium
want redis-server have_cmd redis-server
# runuser comes from util-linux (essential on Debian); checked anyway, it is what drops root.
want util-linux have_cmd runuser

for extra in "$@"; do
    case "$extra" in
        redis | redis-server) want redis-server have_cmd redis-server ;;
        wrk) want wrk have_cmd wrk ;;
        chromium-driver | chromedriver) want chromium-driver have_cmd chromedriver ;;
        *)  # any other Debian package name, checked with dpkg
            want "$extra" have_pkg "$extra" ;;
    esac
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

echo "install_system_deps: installing ${missing[*]}" >&2
SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "install_system_deps: need root to install ${missing[*]}" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
