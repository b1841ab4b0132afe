"""demo_setup: what `make run` shows, built through the services, once, and only where allowed."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from accounts.models import User
from articles.models import Article
from comments.importing import parse_seed_text
from comments.models import Comment, Reaction
from demo import build
from moderation.models import Finding, Flag, ModerationEvent, UserModeration
from tests.comments.test_import import SEED_SLUG, logins, seed_file

pytestmark = pytest.mark.django_db

DEMO_LOGINS = {"reader", "moderator", "editor", "amira", "tom", "lena"}
SMALL = ("--busy-comments", "60")  # the busy thread's size in most tests: quick


def demo_setup(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("demo_setup", "--force", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def cards(html: str) -> int:
    return html.count('<section class="card ')


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Article, Comment, Reaction, Flag, Finding, ModerationEvent, User)
    }


def test_the_queue_opens_on_real_reports_and_holds_with_highlighted_findings():
    out, err = demo_setup(*SMALL)
    assert err == ""
    moderator = signed_in("moderator")
    reported = moderator.get("/moderation/").content.decode()
    counts = dict(re.findall(r"(Reported|Pending) <span[^>]*>(\d+)", reported))
    assert int(counts.get("Reported", 0)) >= 5, counts
    assert int(counts.get("Pending", 0)) >= 5, counts
    assert cards(reported) >= 5
    assert '<mark class="finding"' in reported  # the detector's span, highlighted
    pending = moderator.get("/moderation/?tab=pending").content.decode()
    assert cards(pending) >= 5 and '<mark class="finding"' in pending
    # Why each waits: the detector, readers' reports, the article's and the author's
    # pre-moderation.
    held = set(Comment.objects.filter(status="pending").values_list("held_because", flat=True))
    assert held >= {"detector", "flags", "premoderated_article", "premoderated_user"}
    # Reports come from several demo readers, besides the detector's own.
    reporters = set(
        Flag.objects.filter(is_detector=False).values_list("reporter__username", flat=True)
    )
    assert len(reporters & DEMO_LOGINS) >= 3
    assert Flag.objects.filter(is_detector=True).exists()
    assert set(logins(out)) == DEMO_LOGINS
    # The generalisations come from the crowd, never from the readers one signs in as.
    assert not Finding.objects.filter(comment__author__username__in=DEMO_LOGINS).exists()


def test_the_audit_log_has_moderators_decisions():
    demo_setup(*SMALL)
    log = signed_in("editor").get("/moderation/log/?actor=moderator").content.decode()
    for action in ("Approved", "Rejected", "Featured", "Branch locked"):
        assert f"<td>{action}</td>" in log, action
    decided = Comment.objects.exclude(decided_by=None).values_list(
        "decided_by__username", flat=True
    )
    assert set(decided) == {"moderator"}
    standing = UserModeration.objects.get(user__username="pete-r")
    assert standing.premoderated
    assert UserModeration.objects.filter(standing=UserModeration.Standing.SUSPENDED).exists()


def test_the_pre_moderated_article_has_comments_waiting():
    demo_setup(*SMALL)
    article = Article.objects.get(comment_mode=Article.CommentMode.PREMODERATED)
    waiting = Comment.objects.filter(
        article=article, status="pending", held_because="premoderated_article"
    )
    assert waiting.count() >= 5
    # Some were approved, so readers see a discussion, told that new comments are reviewed.
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "reviewed by a moderator before they appear" in page
    assert Comment.objects.filter(article=article, status="published").count() >= 3
    assert f'id="c{waiting.first().pk}"' not in page
    assert Article.objects.filter(comment_mode=Article.CommentMode.CLOSED).exists()


def test_seed_comments_are_spread_over_the_days_after_publication_replies_after_parents():
    before = timezone.now()
    demo_setup(*SMALL)
    article = Article.objects.get(slug=SEED_SLUG)
    comments = list(Comment.objects.filter(article=article).order_by("tree_id", "lft"))
    assert len(comments) == 17
    times = [c.created_at for c in comments]
    assert article.published_at < min(times) and max(times) < before
    assert len(set(times)) == 17
    assert max(times) - min(times) > dt.timedelta(hours=12)
    by_pk = {c.pk: c for c in comments}
    previous_sibling: dict[int | None, dt.datetime] = {}
    for c in comments:
        if c.parent_id is not None:
            assert c.created_at > by_pk[c.parent_id].created_at
        assert c.created_at > previous_sibling.get(c.parent_id, article.published_at)
        previous_sibling[c.parent_id] = c.created_at
    # The page shows how long ago, not "just now" for every comment.
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "just now" not in page and "days ago" in page


def test_generated_threads_have_every_kind_of_comment_and_no_time_in_the_future():
    demo_setup(*SMALL)
    generated = Comment.objects.filter(article__slug__startswith="demo-")
    assert generated.filter(is_featured=True).exists()
    assert generated.filter(is_locked=True).exists()
    assert generated.exclude(edited_at=None).exists()
    assert generated.filter(status="deleted").exists()
    assert generated.filter(status="rejected").exists()
    assert generated.filter(reaction_count__gt=0).count() >= 10
    assert not Comment.objects.filter(created_at__gt=timezone.now()).exists()
    for c in generated.exclude(parent=None).select_related("parent"):
        assert c.created_at > c.parent.created_at
    for c in generated.exclude(edited_at=None):
        assert c.created_at < c.edited_at < timezone.now()
    # Each article's comments come after its publication, none "just now".
    for article in Article.objects.filter(slug__startswith="demo-"):
        first = Comment.objects.filter(article=article).order_by("created_at").first()
        assert first.created_at > article.published_at
        assert "just now" not in Client().get(article.get_absolute_url()).content.decode()


def test_the_default_demo_has_a_thread_of_over_a_thousand_comments_deeper_than_the_indent():
    demo_setup()
    busiest = (
        Article.objects.annotate(n=Count("comments")).order_by("-n").values_list("slug", "n")[0]
    )
    assert busiest[1] >= 1000
    thread = Comment.objects.filter(article__slug=busiest[0])
    assert thread.filter(level__gt=settings.NEWSROOM["MAX_RENDER_DEPTH"]).exists()
    assert thread.filter(parent=None).count() > settings.NEWSROOM["TOP_LEVEL_PAGE_SIZE"]
    page = Client().get(f"/articles/{busiest[0]}/").content.decode()
    assert "Continue this thread" in page


def test_running_it_again_duplicates_nothing_and_only_rotates_passwords():
    first, _ = demo_setup(*SMALL)
    counts = row_counts()
    second, _ = demo_setup(*SMALL)
    assert row_counts() == counts
    assert "exists, skipped" in second
    for username, password in logins(second).items():
        assert logins(first)[username] != password
        assert User.objects.get(username=username).check_password(password)


def test_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo_setup", stdout=StringIO(), stderr=StringIO())
    assert row_counts() == dict.fromkeys(row_counts(), 0)

    settings.DEBUG = True  # as under `make run`
    out = StringIO()
    call_command("demo_setup", "--no-generated", stdout=out, stderr=StringIO())
    assert set(logins(out.getvalue())) == DEMO_LOGINS


@pytest.mark.parametrize("size", ["19", "-1", "0"])
def test_a_too_small_busy_thread_is_refused_and_nothing_written(size):
    with pytest.raises(CommandError, match="at least 20"):
        demo_setup("--busy-comments", size)
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_demo_accounts_are_members_for_a_while_and_the_crowd_cannot_sign_in():
    out, _ = demo_setup(*SMALL)
    printed = logins(out)
    for user in User.objects.all():
        assert timezone.now() - user.date_joined > dt.timedelta(days=7), user.username
        assert user.has_usable_password() == (user.username in printed)


def test_seed_times_are_the_same_every_run():
    thread = parse_seed_text(seed_file().read_text(encoding="utf-8"))
    now = timezone.now()
    once, again = (build.spread_seed_times(thread, now=now) for _ in range(2))
    assert once == again
    # A thread with its own times (a JSON export) keeps them.
    assert build.spread_seed_times(once, now=now + dt.timedelta(days=1)) == once
