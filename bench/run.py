"""`make bench`: figures and query counts for the hot paths, never pass/fail on time.

Prints one line per measurement:
    BENCH <name> n=<comments> db=<sqlite|postgresql> median_ms=<float> queries=<int>
Runs against a throwaway test database on whatever DATABASE_URL selects (SQLite by default).
and with --split, under each one, how much of the median request was spent inside database calls:
    SPLIT <name> n=<comments> db=<...> db_calls_ms=<float> rest_ms=<float>
(database calls are the queries; a transaction's COMMIT falls under rest_ms)
Before and after the measurements, one line on how fast the machine was meanwhile:
    CALIBRATION fixed_work_ms=<float>
the same pure-Python work every run; on a shared VM it moves with the neighbours, and so do
all the figures between the two lines.
Usage: bench/run.py [--sizes 100,1000,10000] [--queue-n 100000] [--reps 15] [--profile] [--split]
"""

import argparse
import contextlib
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("NEWSROOM_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.threads import make_thread  # noqa: E402
from comments import importing  # noqa: E402

DB = "postgresql" if connection.vendor == "postgresql" else "sqlite"


SPLIT = False  # --split: also time the database calls inside each request
_db_calls_ms = []  # per database call of the request being timed
_split_samples = []  # per timed request: (total ms, ms inside database calls)


def report(name, n, samples_ms, queries):
    print(
        f"BENCH {name} n={n} db={DB} median_ms={statistics.median(samples_ms):.2f} "
        f"queries={queries}",
        flush=True,
    )
    if SPLIT and _split_samples:
        # The request nearest the median, so both figures describe one real request.
        total, in_db = sorted(_split_samples)[len(_split_samples) // 2]
        print(
            f"SPLIT {name} n={n} db={DB} db_calls_ms={in_db:.2f} rest_ms={total - in_db:.2f}",
            flush=True,
        )


def _time_db_call(execute, sql, params, many, context):
    t0 = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        _db_calls_ms.append((time.perf_counter() - t0) * 1000)


def timed(fn, reps):
    fn()  # warm-up
    samples = []
    _split_samples.clear()
    for _ in range(reps):
        _db_calls_ms.clear()
        with connection.execute_wrapper(_time_db_call) if SPLIT else contextlib.nullcontext():
            t0 = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t0) * 1000)
        _split_samples.append((samples[-1], sum(_db_calls_ms)))
    return samples


def profile(fn, reps):
    """Where the time goes: cProfile over `reps` calls, the top functions by cumulative time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(lambda: [fn() for _ in range(reps)])
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def calibration():
    """How long the same pure-Python work takes right now (see the module docstring)."""

    def work():
        return sum(len(f"<p id='c{i}'>{i * 7}</p>".split("'")) for i in range(20_000))

    samples = []
    for _ in range(15):
        t0 = time.perf_counter()
        work()
        samples.append((time.perf_counter() - t0) * 1000)
    print(f"CALIBRATION fixed_work_ms={statistics.median(samples):.2f}", flush=True)


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def import_thread(n, slug):
    from comments import services

    comments = make_thread(n)
    thread = importing.ImportedThread(
        title=f"Bench thread of {n}",
        slug=slug,
        body="Synthetic article.",
        comments=tuple(
            importing.ImportedComment(
                key=str(c["id"]),
                parent_key=str(c["parent"]) if c["parent"] else None,
                author=c["author"],
                body=c["body"],
                created=dt.datetime.fromisoformat(c["created"]),
            )
            for c in comments
        ),
    )
    return services.thread_import(thread=thread)


def clear_caches():
    for each in caches.all():
        each.clear()


def get_ok(client, url):
    def fn():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return fn


def bench_threads(sizes, reps):
    from accounts.models import User
    from comments.models import Comment

    anonymous = Client()
    for n in sizes:
        article = import_thread(n, f"bench-{n}")
        url = article.get_absolute_url()
        r = max(3, reps if n < 10_000 else reps // 3)
        report(
            "thread_full",
            n,
            timed(get_ok(anonymous, url + "?all=1"), r),
            count_queries(get_ok(anonymous, url + "?all=1")),
        )
        # The same page with the rendered-thread cache emptied before every request.
        full = get_ok(anonymous, url + "?all=1")
        report(
            "thread_full_uncached",
            n,
            timed(lambda full=full: (clear_caches(), full()), r),
            count_queries(lambda full=full: (clear_caches(), full())),
        )
        report(
            "thread_first_page",
            n,
            timed(get_ok(anonymous, url), reps),
            count_queries(get_ok(anonymous, url)),
        )
        user = User.objects.create_user(f"bencher{n}", password=None, display_name="Bencher")
        client = Client()
        client.force_login(user)
        # A signed-in reader: the page is assembled from the reader-class pieces in the cache.
        report(
            "thread_full_signed_in",
            n,
            timed(get_ok(client, url + "?all=1"), r),
            count_queries(get_ok(client, url + "?all=1")),
        )
        bench_reactions(article, n, r, reps, client, user)
        parents = list(Comment.objects.filter(article=article).values_list("pk", flat=True)[:200])
        since = thread_version(article)
        seq = iter(range(10**9))

        def reply(client=client, parents=parents, seq=seq):
            i = next(seq)
            response = client.post(
                f"/comments/{parents[i % len(parents)]}/reply/",
                {"body": f"Benchmark reply number {i}, thoughtful and civil."},
            )
            assert response.status_code == 302, response.status_code

        report("reply_post", n, timed(reply, reps), count_queries(reply))
        bench_updates(article, n, reps, since)


def thread_version(article):
    from articles.models import Article

    return Article.objects.values_list("thread_version", flat=True).get(pk=article.pk)


def bench_updates(article, n, reps, since):
    """What a waiting reader's poll costs: the count of the replies posted since `since` (the
    version before reply_post), from the shared cache as every poller but the first in
    UPDATES_SECONDS gets it, and with the cache emptied first (its one query)."""
    from django.urls import reverse

    url = reverse("article_updates", kwargs={"slug": article.slug}) + f"?since={since}"
    poll = get_ok(Client(), url)
    report("updates_poll", n, timed(poll, reps), count_queries(poll))
    shared = caches["default"]  # only the shared cache (clearing the rate limits' is a query)
    report(
        "updates_poll_uncached",
        n,
        timed(lambda: (shared.clear(), poll()), reps),
        count_queries(lambda: (shared.clear(), poll())),
    )


def add_reactions(article, viewer, share=0.30, seed=20261204):
    """Reactions on `share` of the article's comments (1-5 readers each, the viewer among them
    on a third), written in bulk, with each comment's count set to match."""
    from django.db.models import Count, OuterRef, Subquery

    from accounts.models import User
    from comments.models import Comment, Reaction

    rng = random.Random(seed)
    pks = list(Comment.objects.filter(article=article).order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(pks, int(len(pks) * share))
    fans = [User.objects.create_user(f"fan{article.pk}-{i}", password=None) for i in range(5)]
    rows = []
    for i, pk in enumerate(chosen):
        rows += [Reaction(comment_id=pk, user=fan) for fan in fans[: rng.randint(1, 5)]]
        if i % 3 == 0:
            rows.append(Reaction(comment_id=pk, user=viewer))
    Reaction.objects.bulk_create(rows, batch_size=5000)
    per_comment = (
        Reaction.objects.filter(comment=OuterRef("pk"))
        .order_by()
        .values("comment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Comment.objects.filter(pk__in=chosen).update(reaction_count=Subquery(per_comment))
    return chosen


def bench_reactions(article, n, r, reps, client, user):
    """thread_full with reactions on 30% of the comments, for anonymous and signed-in readers;
    the first anonymous view after a reaction (the stored page re-assembled from the cached
    pieces, nothing rendered); the most-respected sort; and the reaction itself."""
    from articles.models import Article
    from comments.models import Comment

    chosen = add_reactions(article, user)
    clear_caches()
    url = article.get_absolute_url()
    anonymous = Client()
    full = get_ok(anonymous, url + "?all=1")
    report("thread_full_reactions", n, timed(full, r), count_queries(full))
    report(
        "thread_full_reactions_uncached",
        n,
        timed(lambda: (clear_caches(), full()), r),
        count_queries(lambda: (clear_caches(), full())),
    )
    # A reaction elsewhere invalidates the stored anonymous page only (not the thread version):
    # the next view re-assembles it with fresh counts. The bump is not timed.
    bump = Article.objects.bump_reactions_version
    samples = []
    full()
    for _ in range(r):
        bump(article.pk)
        t0 = time.perf_counter()
        full()
        samples.append((time.perf_counter() - t0) * 1000)
    bump(article.pk)
    report("thread_full_reactions_reassembled", n, samples, count_queries(full))
    signed_in = get_ok(client, url + "?all=1")
    report("thread_full_reactions_signed_in", n, timed(signed_in, r), count_queries(signed_in))
    top = get_ok(client, url + "?sort=top")
    report("thread_top_page_signed_in", n, timed(top, reps), count_queries(top))
    reactor = Client()
    from accounts.models import User

    reactor.force_login(User.objects.create_user(f"reactor{n}", password=None))
    others = list(
        Comment.objects.filter(article=article, status="published")
        .exclude(author=user)
        .exclude(pk__in=chosen[:200])
        .values_list("pk", flat=True)[:50]
    )
    seq = iter(range(10**9))

    def react():
        pk = others[next(seq) % len(others)]
        response = reactor.post(f"/comments/{pk}/react/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code

    report("reaction_post", n, timed(react, reps), count_queries(react))


def bench_queue(n, flagged, reps, with_profile=False):
    """The moderation queue on a database holding n comments of which `flagged` are reported."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import MODERATORS_GROUP
    from comments.models import Comment
    from moderation.models import Flag

    per_article = 10_000
    articles = [import_thread(per_article, f"queue-{i}") for i in range(max(1, n // per_article))]
    reporters = [User.objects.create_user(f"flagger{i}", password=None) for i in range(3)]
    # A fixed sample, so every run flags (and replies to) the same comments: a reply's cost
    # depends on the size of the tree it lands in, and a random pick moved the median by ~30%.
    every = list(
        Comment.objects.filter(article__in=articles).order_by("pk").values_list("pk", flat=True)
    )
    ids = random.Random(20261126).sample(every, min(flagged, len(every)))
    Flag.objects.bulk_create(
        [
            Flag(comment_id=pk, reporter=reporters[i % 3], reason="abuse")
            for i, pk in enumerate(ids)
        ],
        batch_size=5000,
    )
    Comment.objects.filter(pk__in=ids).update(open_flag_count=1)
    if connection.vendor == "postgresql":
        # Freshly bulk-loaded tables have no planner statistics yet; a production database has
        # them (autovacuum analyzes), so measure with them too.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    moderator = User.objects.create_user("bench-moderator", password=None)
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    client = Client()
    client.force_login(moderator)
    total = Comment.objects.count()
    fn = get_ok(client, "/moderation/")
    report("queue_page", total, timed(fn, reps), count_queries(fn))
    if with_profile:
        profile(fn, reps)
    # A fixed reply into the big database: posting cost must not grow with the table.
    user = User.objects.create_user("bench-replier", password=None)
    poster = Client()
    poster.force_login(user)
    parents = ids[:100]
    seq = iter(range(10**9))

    def reply():
        i = next(seq)
        response = poster.post(
            f"/comments/{parents[i % len(parents)]}/reply/",
            {"body": f"Reply {i} into a database of {total} comments."},
        )
        assert response.status_code == 302, response.status_code

    report("reply_post", total, timed(reply, reps), count_queries(reply))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--queue-n", type=int, default=100_000)
    parser.add_argument("--queue-flagged", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--profile", action="store_true", help="also cProfile the queue page")
    parser.add_argument(
        "--split",
        action="store_true",
        help="also print how much of each median request was database calls",
    )
    args = parser.parse_args()
    global SPLIT
    SPLIT = args.split
    settings.DEBUG = False
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    calibration()
    try:
        bench_threads([int(s) for s in args.sizes.split(",") if s], args.reps)
        if args.queue_n:
            bench_queue(args.queue_n, args.queue_flagged, args.reps, with_profile=args.profile)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    calibration()


if __name__ == "__main__":
    main()
