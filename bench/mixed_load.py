"""Bounded HTTP load client for `make loadtest`: standard library only, loopback only.

    mixed_load.py run --base http://127.0.0.1:PORT --setup SETUP.json --password PW \
        [--users 50] [--seconds 60] [--think-ms 500] --out RESULT.json
    mixed_load.py scaleout --a http://127.0.0.1:PA --b http://127.0.0.1:PB --slug S \
        --user U1 --user2 U2 --password PW [--rate-limits on|off]
    mixed_load.py poll --base http://127.0.0.1:PORT --setup SETUP.json --writer USER \
        [--pollers 1000] [--seconds 60] [--interval 10] [--write-every 6] [--show-share 0.05]

The server runs production settings behind an imagined TLS proxy (BEHIND_PROXY=1): every
request carries ``X-Forwarded-Proto: https``, POSTs an https ``Origin`` and ``Referer``, so
HTTPS redirects, Secure cookies and CSRF origin checks stay exactly as in production. Cookies
are kept per simulated user in a plain dict (http.cookiejar would withhold Secure cookies on an
http:// URL). --form-logins users (default 2) sign in through the real login form (GET for the
CSRF token, POST); the rest use sessions that `loadtest.py setup-users` created server-side the
way auth.login() does, because the production PBKDF2 hasher costs 1-2 s of CPU per login here.

`run`: each user loops until the deadline: 90% reads of the thread (GET of the default page;
one read in five is the whole thread, ?all=1), 9% replies (one in ten a new top-level comment;
the rest answer a random comment, including replies posted during the run) and 1% flags. A user
posts at most once per --post-spacing seconds (default 5.5, above the 5 s comment rate limit);
a post drawn earlier than that becomes a read. Every acknowledged post (302 to ``...#c<pk>``)
is recorded with a marker from its body for `loadtest.py verify`.

`poll`: --pollers anonymous readers with the thread open, each polling its live updates
(GET /articles/<slug>/updates?since=<version>) the way static/js/live.js does: every --interval
seconds while the version moves, up to six times that while it does not, each starting at a
random moment within the first interval, all from the version the page had when the run began.
A poller that is told of new comments fetches them (the Show fragment) with probability
--show-share and moves on to its version. Meanwhile one signed-in --writer posts a comment every
--write-every seconds, so the count grows and the cached answers expire and are recomputed.
Pollers run as asyncio tasks on one connection per request (gunicorn's sync workers close it).
Prints one `LOAD updates_poll ...` line (requests/s, p50 and p99 latency, non-2xx, transport
errors); exit status 1 if any poll failed.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACK_RE = re.compile(r"#c(\d+)$")
BODIES = (
    "The council should publish the full budget report before the vote, not after it.",
    "Bus route changes need a proper consultation; residents were not told in time.",
    "Housing costs went up again this year and the report shows it clearly.",
    "I would like to see the data on school places by district before deciding.",
    "Good point about energy prices, though transport is the bigger cost for most.",
)


class Client:
    """One simulated browser: its own cookies, a fresh connection per request."""

    def __init__(self, base: str, timeout: float = 30.0):
        url = urllib.parse.urlsplit(base)
        if url.hostname not in ("127.0.0.1", "localhost"):
            raise SystemExit(f"refusing a non-loopback target: {base}")
        self.host, self.port = url.hostname, url.port or 80
        self.origin = f"https://{self.host}:{self.port}"
        self.cookies: dict[str, str] = {}
        self.timeout = timeout

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Host": f"{self.host}:{self.port}",
            "User-Agent": "newsroom-mixed-load",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": self.origin,
                    "Referer": self.origin + path,
                }
            )
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        for raw in resp.msg.get_all("Set-Cookie") or []:
            first, _, attrs = raw.partition(";")
            name, _, value = first.strip().partition("=")
            if "max-age=0" in attrs.lower().replace(" ", "") or value in ("", '""'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return resp.status, resp.getheader("Location", ""), data

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def login(self, username: str, password: str) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        m = CSRF_RE.search(page.decode("utf-8", "replace"))
        if status != 200 or not m:
            raise RuntimeError(f"login page: {status}")
        status, location, _ = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": m.group(1), "username": username, "password": password},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed: {status} {location}")

    def post_comment(self, path: str, body: str):
        return self.request("POST", path, {"csrfmiddlewaretoken": self.csrf(), "body": body})


def pct(samples: list[float], q: float):
    if not samples:
        return None
    s = sorted(samples)
    return round(s[min(len(s) - 1, int(round(q * (len(s) - 1))))], 1)


# --- run -------------------------------------------------------------------------------------


def run(args) -> None:
    setup = json.loads(open(args.setup, encoding="utf-8").read())
    users = setup["users"][: args.users]
    if len(users) < args.users:
        raise SystemExit(f"setup has only {len(users)} users")
    slug = setup["slug"]
    article_path = f"/articles/{slug}/"
    original = list(setup["parents"])
    parents = list(original)  # grows with the replies acknowledged during the run
    run_id = uuid.uuid4().hex[:8]
    lock = threading.Lock()
    counts = dict(
        reads=0,
        replies=0,
        top_level=0,
        flags=0,
        errors_5xx=0,
        rate_limited=0,
        nudged=0,
        other_4xx=0,
        transport=0,
        deferred_posts=0,
    )
    lat: dict[str, list[float]] = {"read": [], "reply": [], "flag": []}
    acked: list[tuple[int, str]] = []
    problems: list[str] = []

    clients = [Client(args.base) for _ in users]
    n_form = len(users) if args.form_logins < 0 else min(args.form_logins, len(users))
    t0 = time.perf_counter()

    def sign_in(i: int) -> None:
        client = clients[i]
        if i < n_form:
            client.login(users[i], args.password)
        else:
            client.cookies["sessionid"] = setup["sessions"][users[i]]
        # The thread page carries the comment form, so it sets the CSRF cookie.
        status, _, page = client.request("GET", article_path)
        if status != 200 or not client.csrf() or b'action="/accounts/logout/' not in page:
            raise RuntimeError(f"{users[i]} is not signed in ({status})")

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(sign_in, range(len(users))))
    print(
        f"mixed_load: {len(users)} users signed in ({n_form} through the login form, the rest "
        f"with sessions made server-side) in {time.perf_counter() - t0:.1f}s",
        file=sys.stderr,
    )

    start = time.monotonic()
    deadline = start + args.seconds

    def bump(key, n=1):
        with lock:
            counts[key] += n

    def note(status, what, location=""):
        if status >= 500:
            bump("errors_5xx")
            with lock:
                if len(problems) < 20:
                    problems.append(f"{status} on {what} {location}")
        elif status == 429:
            bump("rate_limited")
        elif status >= 400:
            bump("other_4xx")

    def user_loop(i: int) -> None:
        rng = random.Random(f"{run_id}-{i}")
        client, name = clients[i], users[i]
        last_post = -1e9
        seq = 0
        while True:
            now = time.monotonic()
            if now >= deadline:
                return
            roll = rng.random()
            kind = "read" if roll < 0.90 else "reply" if roll < 0.99 else "flag"
            if kind == "reply" and now - last_post < args.post_spacing:
                kind = "read"
                bump("deferred_posts")
            t = time.perf_counter()
            try:
                if kind == "read":
                    path = article_path + ("?all=1" if rng.random() < 0.2 else "")
                    status, location, page = client.request("GET", path)
                    ms = (time.perf_counter() - t) * 1000
                    bump("reads")
                    if status != 200:
                        note(status, path, location)
                elif kind == "reply":
                    seq += 1
                    marker = f"[lt {run_id} {name} {seq}]"
                    body = f"{rng.choice(BODIES)} {marker}"
                    if rng.random() < 0.1:
                        path, top = f"/articles/{slug}/comment/", True
                    else:
                        with lock:
                            parent = rng.choice(parents)
                        path, top = f"/comments/{parent}/reply/", False
                    status, location, _ = client.post_comment(path, body)
                    ms = (time.perf_counter() - t) * 1000
                    last_post = time.monotonic()
                    m = ACK_RE.search(location) if status == 302 else None
                    if m:
                        pk = int(m.group(1))
                        with lock:
                            acked.append((pk, marker))
                            parents.append(pk)
                            counts["replies"] += 1
                            counts["top_level"] += top
                    elif status == 200:
                        bump("nudged")
                    else:
                        note(status, path, location)
                else:
                    path = f"/comments/{rng.choice(original)}/flag/"
                    status, location, _ = client.request(
                        "POST",
                        path,
                        {"csrfmiddlewaretoken": client.csrf(), "reason": "off_topic", "note": ""},
                    )
                    ms = (time.perf_counter() - t) * 1000
                    bump("flags")
                    if status != 200:
                        note(status, path, location)
            except (OSError, http.client.HTTPException) as exc:
                bump("transport")
                with lock:
                    if len(problems) < 20:
                        problems.append(f"{type(exc).__name__} on {kind}: {exc}")
                continue
            with lock:
                lat[kind].append(ms)
            if args.think_ms:
                time.sleep(rng.uniform(0, args.think_ms) / 1000)

    threads = [
        threading.Thread(target=user_loop, args=(i,), daemon=True) for i in range(len(users))
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=max(1.0, deadline - time.monotonic() + 60))  # bounded: 60 s grace
    elapsed = time.monotonic() - start
    total = counts["reads"] + counts["replies"] + counts["flags"] + counts["nudged"]
    result = {
        "users": len(users),
        "seconds": args.seconds,
        "elapsed_s": round(elapsed, 1),
        "requests_per_s": round(total / elapsed, 1) if elapsed else 0,
        "counts": counts,
        "latency_ms": {
            k: {
                "p50": pct(v, 0.5),
                "p99": pct(v, 0.99),
                "n": len(v),
                "mean": round(statistics.fmean(v), 1) if v else None,
            }
            for k, v in lat.items()
        },
        "acked": acked,
        "problems": problems,
        "run_id": run_id,
    }
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(result, fh)
    for p in problems:
        print(f"mixed_load: {p}", file=sys.stderr)
    print(
        "mixed_load: "
        f"{json.dumps({k: v for k, v in result.items() if k not in ('acked', 'problems')})}",
        file=sys.stderr,
    )


# --- poll ------------------------------------------------------------------------------------


async def _get(host: str, port: int, path: str, timeout: float) -> tuple[int, bytes]:
    """One GET on a fresh connection: (status, body)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nX-Forwarded-Proto: https\r\n"
            "User-Agent: newsroom-pollers\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)  # to EOF: the server closes
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


VERSION_RE = re.compile(rb'class="live-batch" data-version="(\d+)"')


def poll(args) -> None:
    setup = json.loads(open(args.setup, encoding="utf-8").read())
    slug = setup["slug"]
    base = Client(args.base)
    status, _, page = base.request("GET", f"/articles/{slug}/")
    found = re.search(rb'id="live-updates" data-version="(\d+)"', page)
    if status != 200 or not found:
        raise SystemExit(f"poll: the thread page has no live updates ({status})")
    start_version = int(found.group(1))
    updates = f"/articles/{slug}/updates?since="
    shown = f"/articles/{slug}/updates/comments?since="
    interval, longest = args.interval, args.interval * 6
    run_id = uuid.uuid4().hex[:8]
    lat: list[float] = []
    show_lat: list[float] = []
    counts = dict(requests=0, non2xx=0, transport=0, shows=0, writes=0, write_errors=0)
    max_new = 0
    problems: list[str] = []
    deadline = time.monotonic() + args.seconds

    def writer_loop() -> None:
        # A signed-in reader posting now and then (its session was made by setup-users).
        client = Client(args.base)
        client.cookies["sessionid"] = setup["sessions"][args.writer]
        client.request("GET", f"/articles/{slug}/")  # the CSRF cookie
        seq = 0
        while time.monotonic() + args.write_every < deadline:
            time.sleep(args.write_every)
            seq += 1
            body = f"{BODIES[seq % len(BODIES)]} [poll {run_id} {seq}]"
            try:
                status, location, _ = client.post_comment(f"/articles/{slug}/comment/", body)
            except (OSError, http.client.HTTPException):
                status, location = 0, ""
            counts["writes" if status == 302 and ACK_RE.search(location) else "write_errors"] += 1

    async def show(since: int) -> int:
        """Show: fetch the new comments; the version the page is then at (else as it was)."""
        t = time.perf_counter()
        counts["shows"] += 1
        try:
            status, body = await _get(base.host, base.port, f"{shown}{since}", 30)
        except (OSError, ValueError, IndexError):
            counts["transport"] += 1
            return since
        show_lat.append((time.perf_counter() - t) * 1000)
        found = VERSION_RE.search(body) if status == 200 else None
        if found is None:
            counts["non2xx"] += 1
            return since
        return int(found.group(1))

    async def poller(i: int) -> None:
        nonlocal max_new
        rng = random.Random(f"{run_id}-{i}")
        since = last = start_version
        wait = interval
        await asyncio.sleep(rng.uniform(0, interval))  # readers opened the page at any moment
        while time.monotonic() < deadline:
            t = time.perf_counter()
            try:
                status, body = await _get(base.host, base.port, f"{updates}{since}", 30)
            except (OSError, ValueError, IndexError) as exc:  # TimeoutError is an OSError
                counts["transport"] += 1
                if len(problems) < 10:
                    problems.append(f"{type(exc).__name__}: {exc}")
                wait = min(longest, wait * 2)
            else:
                lat.append((time.perf_counter() - t) * 1000)
                counts["requests"] += 1
                if 200 <= status < 300:
                    data = json.loads(body)
                    changed, last = data["version"] != last, data["version"]
                    max_new = max(max_new, data["new"])
                    wait = interval if changed else min(longest, wait * 1.5)
                    if data["new"] and rng.random() < args.show_share:
                        since = await show(since)
                else:
                    counts["non2xx"] += 1
                    if len(problems) < 10:
                        problems.append(f"{status} on {updates}{since}")
                    wait = min(longest, wait * 2)
            await asyncio.sleep(min(wait, max(0.0, deadline - time.monotonic())))

    async def main() -> float:
        started = time.monotonic()
        await asyncio.gather(*(poller(i) for i in range(args.pollers)))
        return time.monotonic() - started  # the run, and the answers still coming at its end

    writer = threading.Thread(target=writer_loop, daemon=True)
    writer.start()
    elapsed = asyncio.run(main())
    writer.join(timeout=30)
    for p in problems:
        print(f"mixed_load: poll: {p}", file=sys.stderr)
    rps = counts["requests"] / elapsed if elapsed else 0
    print(
        f"LOAD updates_poll pollers={args.pollers} seconds={args.seconds:g} "
        f"interval_s={interval:g} requests={counts['requests']} rps={rps:.1f} "
        f"p50_ms={pct(lat, 0.5)} p99_ms={pct(lat, 0.99)} non2xx={counts['non2xx']} "
        f"transport_errors={counts['transport']} writes={counts['writes']} "
        f"write_errors={counts['write_errors']} max_new={max_new} shows={counts['shows']} "
        f"show_p99_ms={pct(show_lat, 0.99)}"
    )
    sys.exit(1 if counts["non2xx"] or counts["transport"] or not counts["requests"] else 0)


# --- scaleout --------------------------------------------------------------------------------


def scaleout(args) -> None:
    a, b = Client(args.a), Client(args.b)
    anon_a, anon_b = Client(args.a), Client(args.b)
    page = f"/articles/{args.slug}/?all=1"
    ok = True
    # Warm both servers' view of the page (the cache is shared; so is the thread version).
    for c in (anon_a, anon_b):
        status, _, _ = c.request("GET", page)
        ok &= status == 200
    a.login(args.user, args.password)  # signed in through A ...
    b.cookies = dict(a.cookies)  # ... and the same session used on B (sessions in the DB)

    def post_and_check(writer: Client, reader: Client, label: str) -> bool:
        marker = f"[scaleout {uuid.uuid4().hex[:10]}]"
        status, location, _ = writer.post_comment(
            f"/articles/{args.slug}/comment/", f"{BODIES[0]} {marker}"
        )
        m = ACK_RE.search(location) if status == 302 else None
        if not m:
            print(
                f"mixed_load: scaleout {label}: post answered {status} {location}", file=sys.stderr
            )
            return False
        status, _, html = reader.request("GET", page)
        seen = (
            status == 200
            and marker in html.decode("utf-8", "replace")
            and f'id="c{m.group(1)}"' in html.decode("utf-8", "replace")
        )
        print(
            f"mixed_load: scaleout {label}: reply #c{m.group(1)} "
            f"{'visible' if seen else 'NOT visible'} on the next request",
            file=sys.stderr,
        )
        return seen

    ok &= post_and_check(a, anon_b, "posted via A, read anonymously via B")
    limit = "n/a"
    if args.rate_limits == "on":
        # The user has just posted through A; the same user posting through B at once must be
        # refused: the limit's window lives in the shared Redis.
        status, _, _ = b.post_comment(f"/articles/{args.slug}/comment/", f"{BODIES[1]} [rl]")
        limit = "yes" if status == 429 else f"no(status={status})"
    b2 = Client(args.b)
    b2.login(args.user2, args.password)
    ok &= post_and_check(b2, anon_a, "posted via B, read anonymously via A")
    print(f"LOAD scaleout consistent={'yes' if ok else 'no'} ratelimit_shared={limit}")
    sys.exit(0 if ok and limit in ("yes", "n/a") else 1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run")
    p.add_argument("--base", required=True)
    p.add_argument("--setup", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--think-ms", type=float, default=500, help="uniform 0..N ms between actions")
    p.add_argument("--post-spacing", type=float, default=5.5)
    p.add_argument(
        "--form-logins",
        type=int,
        default=2,
        help="users signed in through the login form (-1: all); the others get a "
        "session created server-side by loadtest.py setup-users",
    )
    p.add_argument("--out", required=True)
    p.set_defaults(fn=run)
    p = sub.add_parser("scaleout")
    p.add_argument("--a", required=True)
    p.add_argument("--b", required=True)
    p.add_argument("--slug", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--user2", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--rate-limits", choices=("on", "off"), default="off")
    p.set_defaults(fn=scaleout)
    p = sub.add_parser("poll")
    p.add_argument("--base", required=True)
    p.add_argument("--setup", required=True)
    p.add_argument("--writer", required=True, help="a user of SETUP.json's sessions")
    p.add_argument("--pollers", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--interval", type=float, default=10, help="the page's data-poll-seconds")
    p.add_argument("--write-every", type=float, default=6)
    p.add_argument("--show-share", type=float, default=0.05)
    p.set_defaults(fn=poll)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
