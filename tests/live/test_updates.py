"""Live updates: GET /articles/<slug>/updates?since=<version> answers {"version", "new"}, the
comments published since the version a page was built from, from the shared cache; the
fragment behind "Show" holds exactly those comments, rendered for the viewer."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments import services, thread_cache
from comments.models import Comment
from moderation import services as moderation_services
from tests.factories import ArticleFactory, UserFactory, comment_elements, parse_html, post

pytestmark = pytest.mark.django_db


def version_of(article) -> int:
    return Article.objects.values_list("thread_version", flat=True).get(pk=article.pk)


def updates(client, article, since, **extra):
    return client.get(f"/articles/{article.slug}/updates", {"since": since}, **extra)


def new_comments(client, article, since):
    return client.get(f"/articles/{article.slug}/updates/comments", {"since": since})


# --- the count ---------------------------------------------------------------------------------


def test_nothing_new_since_the_current_version(client, article):
    post(article)
    now = version_of(article)
    response = updates(client, article, now)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"version": now, "new": 0}


def test_counts_the_comments_published_since_the_version_sent(client, article):
    root = post(article)
    before = version_of(article)
    post(article, parent=root)
    post(article)
    post(article, parent=root)
    assert updates(client, article, before).json() == {"version": before + 3, "new": 3}
    # From an older page, the first comment is new too; from version 0, every one.
    assert updates(client, article, before - 1).json()["new"] == 4
    assert updates(client, article, 0).json()["new"] == 4


def test_a_version_from_the_future_counts_nothing(client, article):
    post(article)
    assert updates(client, article, 10**12).json() == {"version": version_of(article), "new": 0}


def test_held_comments_count_only_once_published(client, moderator):
    article = ArticleFactory(comment_mode=Article.CommentMode.PREMODERATED)
    before = version_of(article)
    held = post(article)
    assert held.status == Comment.Status.PENDING
    # The version moved (the thread changed for moderators), but nothing new for readers.
    assert updates(client, article, before).json() == {"version": before + 1, "new": 0}
    moderation_services.comment_approve(comment=held, acting_user=moderator)
    cache.clear()
    assert updates(client, article, before).json() == {"version": before + 2, "new": 1}
    # A page built while it was held lacks it: it is new there too.
    assert updates(client, article, before + 1).json()["new"] == 1
    # A page built after the approval has it.
    assert updates(client, article, before + 2).json()["new"] == 0


def test_removed_comments_do_not_count_until_restored(client, article, moderator):
    before = version_of(article)
    removed = post(article)
    kept = post(article)
    moderation_services.comment_reject(comment=removed, acting_user=moderator, reason="spam")
    assert updates(client, article, before).json() == {"version": before + 3, "new": 1}
    moderation_services.comment_restore(comment=removed, acting_user=moderator)
    cache.clear()
    # Back in the thread: new to every page built before, the one that showed it removed too.
    assert updates(client, article, before + 3).json() == {"version": before + 4, "new": 1}
    assert updates(client, article, before).json()["new"] == 2
    assert kept.pk != removed.pk


def test_comments_deleted_by_their_author_do_not_count(client, article, reader):
    before = version_of(article)
    mine = post(article, reader)
    post(article)
    services.comment_delete_own(comment=mine, acting_user=reader)
    assert updates(client, article, before).json()["new"] == 1


def test_approving_a_comment_already_published_does_not_make_it_new(client, article, moderator):
    comment = post(article)
    seen = version_of(article)
    moderation_services.comment_approve(comment=comment, acting_user=moderator)
    assert updates(client, article, seen).json() == {"version": seen + 1, "new": 0}


def test_each_published_comment_carries_the_version_it_became_visible_at(article, moderator):
    first = post(article)
    assert Comment.objects.get(pk=first.pk).published_version == version_of(article)
    reply = post(article, parent=first)
    assert Comment.objects.get(pk=reply.pk).published_version == version_of(article)
    held = post(ArticleFactory(comment_mode=Article.CommentMode.PREMODERATED))
    assert Comment.objects.get(pk=held.pk).published_version == 0
    moderation_services.comment_approve(comment=held, acting_user=moderator)
    assert Comment.objects.get(pk=held.pk).published_version == version_of(held.article)


# --- what a poll costs -------------------------------------------------------------------------


def test_a_poll_is_one_query_then_none_from_the_shared_cache(
    client, article, django_assert_max_num_queries
):
    for _ in range(30):
        post(article)
    since = version_of(article) - 10
    with django_assert_max_num_queries(1):
        assert updates(client, article, since).json()["new"] == 10
    for _ in range(3):
        with django_assert_max_num_queries(0):
            assert updates(client, article, since).json()["new"] == 10


def test_the_answer_is_at_most_a_couple_of_seconds_old(client, article):
    since = version_of(article)
    assert updates(client, article, since).json()["new"] == 0
    post(article)
    # Within UPDATES_SECONDS the shared answer stands; once it expires the poll sees the post.
    assert updates(client, article, since).json()["new"] == 0
    cache.delete(f"updates:{article.slug}:{since}")
    assert updates(client, article, since).json()["new"] == 1
    assert thread_cache.UPDATES_SECONDS <= 2


def test_the_answer_is_public_briefly_and_the_same_for_everyone(
    client, client_for, article, reader, moderator
):
    post(article, reader, "Visible to all.")
    since = version_of(article) - 1
    anonymous = updates(client, article, since)
    cache.clear()  # each viewer's own answer, not the one the first request stored
    as_author = updates(client_for(reader), article, since)
    cache.clear()
    as_moderator = updates(client_for(moderator), article, since)
    assert anonymous.content == as_author.content == as_moderator.content
    for response in (anonymous, as_author, as_moderator):
        assert response["Cache-Control"] == f"public, max-age={thread_cache.UPDATES_SECONDS}"
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({}, "Missing 'since'"),
        ({"since": ""}, "Missing 'since'"),
        ({"since": "abc"}, "must be a whole number"),
        ({"since": "1.5"}, "must be a whole number"),
        ({"since": " 7"}, "must be a whole number"),
        ({"since": "+7"}, "must be a whole number"),
        ({"since": "٣"}, "must be a whole number"),  # a digit, but not an ASCII one
        ({"since": "-1"}, "cannot be negative"),
        ({"since": str(2**63)}, "larger than any thread version"),
        ({"since": "9" * 5000}, "larger than any thread version"),
    ],
)
@pytest.mark.parametrize("url", ["/articles/{slug}/updates", "/articles/{slug}/updates/comments"])
def test_bad_since_is_a_400_with_a_clear_message_and_reads_and_writes_nothing(
    client, article, url, query, says
):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url.format(slug=article.slug), query)
    assert response.status_code == 400
    assert says in response.json()["error"]
    assert ctx.captured_queries == []  # refused before any read, and nothing written


@pytest.mark.parametrize("url", ["/articles/no-such/updates", "/articles/no-such/updates/comments"])
def test_an_unknown_article_is_404(client, url):
    assert client.get(url, {"since": "0"}).status_code == 404


@pytest.mark.parametrize("url", ["/articles/{slug}/updates", "/articles/{slug}/updates/comments"])
def test_post_is_405_and_changes_nothing(client_for, article, reader, url):
    post(article)
    before = version_of(article)
    response = client_for(reader).post(url.format(slug=article.slug), {"since": "0"})
    assert response.status_code == 405
    assert version_of(article) == before


def test_a_post_over_http_without_a_csrf_token_is_405_too(article):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(f"/articles/{article.slug}/updates")
    assert response.status_code == 405


# --- the thread page -----------------------------------------------------------------------------


def test_the_page_names_its_version_and_the_urls_the_script_polls(client, article):
    post(article)
    doc = parse_html(client.get(article.get_absolute_url()).content)
    live = doc.by_id("live-updates")
    assert live.attrs["data-version"] == str(version_of(article))
    assert live.attrs["data-updates-url"] == f"/articles/{article.slug}/updates"
    assert live.attrs["data-comments-url"] == f"/articles/{article.slug}/updates/comments"
    assert live.attrs["data-poll-seconds"] == "10"
    assert live.find("button", class_="live-show").attrs.get("hidden") is not None
    scripts = [s.attrs.get("src", "") for s in doc.find_all("script")]
    assert any(src.endswith("js/live.js") for src in scripts)


def test_live_updates_can_be_turned_off(client, article, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "UPDATES_POLL_SECONDS": 0}
    html = client.get(article.get_absolute_url()).content.decode()
    assert "live-updates" not in html and "live.js" not in html


def test_the_shared_anonymous_page_moves_to_the_new_version(client, article):
    post(article)
    first = parse_html(client.get(article.get_absolute_url()).content).by_id("live-updates")
    post(article)
    again = parse_html(client.get(article.get_absolute_url()).content).by_id("live-updates")
    assert int(again.attrs["data-version"]) == int(first.attrs["data-version"]) + 1


# --- Show: the new comments themselves ----------------------------------------------------------


def test_the_fragment_holds_the_new_comments_in_tree_order_with_their_parents(client, article):
    root = post(article, body="Old root.")
    since = version_of(article)
    reply = post(article, body="A reply.", parent=root)
    nested = post(article, body="A reply to it.", parent=reply)
    other = post(article, body="A new thread.")
    held_article_comment = post(ArticleFactory(), body="Elsewhere.")
    response = new_comments(client, article, since)
    assert response.status_code == 200
    doc = parse_html(response.content)
    batch = doc.find("div", class_="live-batch")
    assert batch.attrs["data-version"] == str(version_of(article))
    els = comment_elements(doc)
    assert list(els) == [reply.pk, nested.pk, other.pk]
    assert els[reply.pk].attrs["data-parent"] == str(root.pk)
    assert els[nested.pk].attrs["data-parent"] == str(reply.pk)
    assert els[other.pk].attrs["data-parent"] == ""
    # Each stands alone: the script nests them by data-parent.
    assert not els[nested.pk].is_inside(els[reply.pk])
    assert held_article_comment.pk not in els


def test_the_fragment_leaves_out_held_comments_and_is_rendered_for_the_viewer(
    client, client_for, reader, moderator
):
    article = ArticleFactory()
    since = version_of(article)
    mine = post(article, reader, "My new words.")
    moderation_services.article_set_comment_mode(
        article=article, mode=Article.CommentMode.PREMODERATED, acting_user=moderator
    )
    held = post(article, UserFactory(), "Held words.")
    as_author = new_comments(client_for(reader), article, since).content.decode()
    as_anonymous = new_comments(client, article, since)
    assert "Held words." not in as_author and f'id="c{held.pk}"' not in as_author
    els = comment_elements(parse_html(as_author))
    assert list(els) == [mine.pk]
    assert els[mine.pk].find("a", class_="edit") is not None
    anonymous_els = comment_elements(parse_html(as_anonymous.content))
    assert anonymous_els[mine.pk].find("a", class_="edit") is None
    assert "private" in as_anonymous["Cache-Control"]


def test_the_fragment_stops_at_the_render_depth(client, article, settings):
    depth = settings.NEWSROOM["MAX_RENDER_DEPTH"]
    parent = post(article)
    since = version_of(article)
    chain = []
    for _ in range(depth + 2):
        parent = post(article, parent=parent)
        chain.append(parent)
    els = comment_elements(parse_html(new_comments(client, article, since).content))
    assert list(els) == [c.pk for c in chain if c.level <= depth]


def test_the_fragment_costs_the_same_queries_for_any_number_of_new_comments(client_for, reader):
    counts = []
    for n in (1, 20):
        article = ArticleFactory()
        since = version_of(article)
        for _ in range(n):
            post(article)
        with CaptureQueriesContext(connection) as ctx:
            assert new_comments(client_for(reader), article, since).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- concurrent writers (PostgreSQL) -------------------------------------------------------------


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_get_one_version_each_in_commit_order():
    """Posts into different trees run side by side; each is stamped, under the article row's
    lock, with the version its own bump made, so no two share one and a page at any version
    holds exactly the comments stamped at or below it."""
    from tests.comments.test_concurrency import run_threads

    article = ArticleFactory()
    roots = [post(article) for _ in range(6)]
    authors = [UserFactory() for _ in roots]

    def writer(i):
        for n in range(5):
            post(article, authors[i], f"Reply {n} from writer {i}.", parent=roots[i])

    start = version_of(article)
    run_threads(writer, count=len(roots))
    stamps = list(
        Comment.objects.filter(article=article, published_version__gt=start).values_list(
            "published_version", flat=True
        )
    )
    assert len(stamps) == 30
    assert sorted(stamps) == list(range(start + 1, start + 31))
    assert version_of(article) == start + 30
