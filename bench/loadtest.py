"""Server-side helpers for `make loadtest` (scripts/loadtest.sh); the HTTP client is mixed_load.py.

    loadtest.py write-thread N PATH [--slug S]   make_thread(N) as import_thread JSON
    loadtest.py setup-users COUNT PREFIX PASSWORD OUT.json --slug S
                                                 COUNT readers joined 3 days ago (so the 30 s
                                                 new-account comment interval does not apply)
                                                 and a signed-in session for each; writes
                                                 {"slug", "users", "sessions", "parents",
                                                  "rate_limits"}
    loadtest.py wrk-summary N FULL.txt DEFAULT.txt FULL_IDENTITY.txt TRIVIAL.txt [TRIVIAL2.txt]
                            [--one-query READYZ.txt] [--updates UPDATES.txt] [--rounds FOLDER N]
                                                 the LOAD thread_* lines from wrk --latency output;
                                                 the baseline is the mean of the TRIVIAL runs;
                                                 with --rounds, LOAD interleaved from N rounds
    loadtest.py verify RESULT.json --check-trees clean|corrupted
                                                 every acknowledged reply is in the database;
                                                 prints the LOAD mixed line; exit 1 on a failure

The Django subcommands use whatever settings the environment selects (the load test's own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()


# --- thread ----------------------------------------------------------------------------------


def write_thread(args) -> None:
    from bench.threads import make_thread

    data = {
        "article": {
            "title": f"Load test thread of {args.n}",
            "slug": args.slug,
            "body": "A synthetic article for the load test.",
        },
        "comments": make_thread(args.n),
    }
    Path(args.path).write_text(json.dumps(data), encoding="utf-8")


# --- users -----------------------------------------------------------------------------------


def setup_users(args) -> None:
    _django()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from articles.models import Article
    from comments.models import Comment

    joined = timezone.now() - dt.timedelta(days=3)
    password = make_password(args.password)  # hashed once: the production hasher is slow on purpose
    names = [f"{args.prefix}{i}" for i in range(args.count)]
    User.objects.bulk_create(
        [
            User(username=n, display_name=n.capitalize(), password=password, date_joined=joined)
            for n in names
        ]
    )
    # Signed-in sessions made the way django.contrib.auth.login() makes them, for the users the
    # mixed run does not sign in through the form (PBKDF2 at ~1-2 s a login would eat the run).
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts import backends

    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = {}
    for user in User.objects.filter(username__in=names):
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = backends.PATH
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions[user.username] = session.session_key
    article = Article.objects.get(slug=args.slug)
    parents = list(
        Comment.objects.filter(article=article, status=Comment.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    limits = settings.NEWSROOM.get("RATE_LIMITS") or {}
    Path(args.out).write_text(
        json.dumps(
            {
                "slug": args.slug,
                "users": names,
                "sessions": sessions,
                "parents": parents,
                "rate_limits": {
                    "enabled": bool(limits.get("ENABLED")),
                    "comment_seconds": limits.get("COMMENT_SECONDS"),
                },
            }
        ),
        encoding="utf-8",
    )
    print(
        f"loadtest: {len(names)} users (joined {joined:%Y-%m-%d}), {len(parents)} comments on "
        f"/{args.slug}; rate limits {'on' if limits.get('ENABLED') else 'off'}",
        file=sys.stderr,
    )


# --- wrk -------------------------------------------------------------------------------------

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(text: str) -> dict:
    def grab(pattern, cast=float, default=None):
        m = re.search(pattern, text)
        return cast(m.group(1)) if m else default

    out = {
        "rps": grab(r"Requests/sec:\s+([\d.]+)"),
        "requests": grab(r"(\d+) requests in", int),
        "non2xx": grab(r"Non-2xx or 3xx responses:\s+(\d+)", int, 0),
        "socket_errors": (re.search(r"Socket errors:.*", text) or [""])[0],
    }
    for q in ("50", "90", "99"):
        m = re.search(rf"\s{q}(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\b", text)
        out[f"p{q}_ms"] = round(float(m.group(1)) * _UNIT_MS[m.group(2)], 2) if m else None
    return out


def wrk_summary(args) -> None:
    full, default, identity = (
        parse_wrk(Path(p).read_text()) for p in (args.full, args.default, args.identity)
    )
    trivials = [parse_wrk(Path(p).read_text()) for p in args.trivial]
    # The runs on /healthz bracket the thread runs; their mean is the baseline (see loadtest.sh).
    trivial_rps = round(statistics.fmean(t["rps"] or 0 for t in trivials), 2)

    def of_trivial(r: dict) -> float:
        return (r["rps"] or 0) / trivial_rps if trivial_rps else 0.0

    ok = True
    for name, r in (
        ("thread_full", full),
        ("thread_default", default),
        ("thread_full_identity", identity),
    ):
        ratio = of_trivial(r)
        if name != "thread_full_identity":  # the target is for pages as browsers get them
            ok &= ratio >= 0.5 and r["non2xx"] == 0 and not r["socket_errors"]
        print(
            f"LOAD {name} n={args.n} rps={r['rps']} p50_ms={r['p50_ms']} p99_ms={r['p99_ms']} "
            f"trivial_rps={trivial_rps} ratio={ratio:.3f} non2xx={r['non2xx']}"
            + (f' socket_errors="{r["socket_errors"]}"' if r["socket_errors"] else "")
        )
    for i, t in enumerate(trivials, 1):  # in the order they ran: before, after the thread pages
        print(
            f"LOAD trivial_{i} /healthz rps={t['rps']} p50_ms={t['p50_ms']} "
            f"p99_ms={t['p99_ms']} non2xx={t['non2xx']}"
        )
    if args.one_query:
        q = parse_wrk(Path(args.one_query).read_text())
        print(
            f"LOAD one_query /readyz rps={q['rps']} p50_ms={q['p50_ms']} p99_ms={q['p99_ms']} "
            f"ratio={of_trivial(q):.3f} "
            f"thread_full_of_it={(full['rps'] or 0) / q['rps'] if q['rps'] else 0:.3f} "
            f"non2xx={q['non2xx']}"
        )
    if args.updates:  # a thread's live updates, polled as fast as wrk can: what a poll costs
        u = parse_wrk(Path(args.updates).read_text())
        print(
            f"LOAD updates_wrk rps={u['rps']} p50_ms={u['p50_ms']} p99_ms={u['p99_ms']} "
            f"ratio={of_trivial(u):.3f} non2xx={u['non2xx']}"
        )
    print(f"LOAD thread_target ratio>=0.5_and_non2xx=0 {'met' if ok else 'NOT met'}")
    if args.rounds:
        rounds_summary(Path(args.rounds[0]), int(args.rounds[1]))


def rounds_summary(folder: Path, rounds: int) -> None:
    """The interleaved rounds: each page run against the mean of the /healthz runs either side.

    Files: healthz_1 … healthz_{rounds+1}, full_i and default_i, as loadtest.sh names them.
    """
    runs = {p.stem: parse_wrk(p.read_text()) for p in folder.glob("*.txt")}
    ratios: dict[str, list[float]] = {"full": [], "default": []}
    for i in range(1, rounds + 1):
        trivial = statistics.fmean(runs[f"healthz_{k}"]["rps"] or 0 for k in (i, i + 1))
        for page, found in ratios.items():
            found.append((runs[f"{page}_{i}"]["rps"] or 0) / trivial if trivial else 0.0)
    non2xx = sum(r["non2xx"] for r in runs.values())
    medians = {page: statistics.median(found) for page, found in ratios.items()}
    print(
        f"LOAD interleaved rounds={rounds} "
        + " ".join(f"{page}_ratio_median={m:.3f}" for page, m in medians.items())
        + " "
        + " ".join(
            f"{page}_ratios={','.join(f'{r:.2f}' for r in found)}" for page, found in ratios.items()
        )
        + f" non2xx={non2xx}"
    )
    met = min(medians.values()) >= 0.5 and non2xx == 0
    print(
        "LOAD thread_target_interleaved ratio_median>=0.5_and_non2xx=0 "
        f"{'met' if met else 'NOT met'}"
    )


# --- verify ----------------------------------------------------------------------------------


def verify(args) -> None:
    result = json.loads(Path(args.result).read_text())
    _django()
    from comments.models import Comment

    acked = {int(pk): marker for pk, marker in result["acked"]}
    found = dict(Comment.objects.filter(pk__in=acked).values_list("pk", "body_raw"))
    lost = sorted(pk for pk in acked if pk not in found)
    wrong = sorted(pk for pk, marker in acked.items() if pk in found and marker not in found[pk])
    for pk in lost[:10]:
        print(
            f"loadtest: LOST reply #c{pk} (acknowledged with 302, not in the database)",
            file=sys.stderr,
        )
    for pk in wrong[:10]:
        print(f"loadtest: reply #c{pk} holds another body than the one posted", file=sys.stderr)
    c, lat = result["counts"], result["latency_ms"]
    print(
        f"LOAD mixed users={result['users']} seconds={result['seconds']} reads={c['reads']} "
        f"replies={c['replies']} flags={c['flags']} errors_5xx={c['errors_5xx']} "
        f"lost_replies={len(lost)} reply_p99_ms={lat['reply']['p99']} "
        f"read_p99_ms={lat['read']['p99']} check_trees={args.check_trees}"
    )
    print(
        f"LOAD mixed_detail reply_p50_ms={lat['reply']['p50']} read_p50_ms={lat['read']['p50']} "
        f"flag_p50_ms={lat['flag']['p50']} flag_p99_ms={lat['flag']['p99']} "
        f"top_level={c['top_level']} rate_limited_429={c['rate_limited']} "
        f"nudged={c['nudged']} other_4xx={c['other_4xx']} transport_errors={c['transport']} "
        f"wrong_body={len(wrong)} requests_per_s={result['requests_per_s']}"
    )
    failed = c["errors_5xx"] or c["transport"] or lost or wrong or args.check_trees != "clean"
    sys.exit(1 if failed else 0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("write-thread")
    p.add_argument("n", type=int)
    p.add_argument("path")
    p.add_argument("--slug", default="loadtest-thread")
    p.set_defaults(fn=write_thread)
    p = sub.add_parser("setup-users")
    p.add_argument("count", type=int)
    p.add_argument("prefix")
    p.add_argument("password")
    p.add_argument("out")
    p.add_argument("--slug", default="loadtest-thread")
    p.set_defaults(fn=setup_users)
    p = sub.add_parser("wrk-summary")
    p.add_argument("n", type=int)
    p.add_argument("full")
    p.add_argument("default")
    p.add_argument("identity")
    p.add_argument("trivial", nargs="+", help="/healthz runs: before and after the thread pages")
    p.add_argument("--one-query", help="the /readyz run: a trivial view plus one query")
    p.add_argument("--updates", help="the run on the thread's live updates (updates?since=0)")
    p.add_argument(
        "--rounds",
        nargs=2,
        metavar=("FOLDER", "N"),
        help="the interleaved short runs (healthz_i, full_i, default_i .txt)",
    )
    p.set_defaults(fn=wrk_summary)
    p = sub.add_parser("verify")
    p.add_argument("result")
    p.add_argument("--check-trees", default="unknown")
    p.set_defaults(fn=verify)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
