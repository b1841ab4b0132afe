"""Live new comments in a real browser: two readers on one thread; one replies, the other's
page says "1 new comment" without reloading, and Show puts the reply in place under its
parent, marked New. The next visit marks only what was posted since."""

from __future__ import annotations

import re

import pytest

from comments import thread_cache
from tests.e2e.accessibility import assert_accessible
from tests.factories import ArticleFactory, UserFactory, post

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under CI) and says why
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# An hour between polls (the setting behind the page's data-poll-seconds): no poll happens on its
# own while the test runs; the test moves the page's clock on to let the next one happen.
POLL_SECONDS = 3600
LONGEST_WAIT_MS = 6 * POLL_SECONDS * 1000  # the script waits up to six times the interval


def open_page(new_context, console_problems, user, url):
    """A signed-in page on the thread whose clock the test can move on (clock.run_for): the
    script polls only then, so no poll runs while a post is being written (on SQLite the live
    server's threads share one in-memory connection) and nothing waits for real seconds."""
    page = console_problems(new_context(user).new_page())
    page.clock.install()
    page.goto(url)
    return page


def poll(page):
    """Let the page's next poll happen, however long the script waits now, and its answer
    arrive (the next one is set only once it has)."""
    with page.expect_response(lambda r: "/updates?since=" in r.url) as answer:
        page.clock.run_for(LONGEST_WAIT_MS)
    assert answer.value.status == 200


@pytest.fixture
def polls_on_demand(settings, monkeypatch):
    """Polls only when the test moves a page's clock on, and every poll reads the database: no
    answer is kept the two seconds it would be, neither in the shared cache nor (Cache-Control)
    in the browser, which would otherwise answer a poll within two real seconds of the last."""
    settings.NEWSROOM = {**settings.NEWSROOM, "UPDATES_POLL_SECONDS": POLL_SECONDS}
    monkeypatch.setattr(thread_cache, "UPDATES_SECONDS", 0)


def test_a_reply_from_one_reader_appears_for_another_when_asked(
    new_context, console_problems, polls_on_demand
):
    article = ArticleFactory(title="Live thread")
    root = post(article, UserFactory(display_name="First Poster"), "The first comment.")
    post(article, UserFactory(), "A second top-level comment.")
    writer = UserFactory(username="writer", display_name="Wren Writer")
    watcher = UserFactory(username="watcher", display_name="Walt Watcher")
    url = article.get_absolute_url()

    watching = open_page(new_context, console_problems, watcher, url)
    watching.evaluate("window.__noReload = 'still here'")
    message = watching.locator("#live-updates .live-message")
    show = watching.locator("#live-updates .live-show")
    poll(watching)
    expect(message).to_have_text("")
    expect(show).to_be_hidden()

    writing = open_page(new_context, console_problems, writer, url)
    writing.locator(f"#c{root.pk} > details > footer.comment-actions a.reply").click()
    writing.locator(f"#reply-slot-{root.pk} textarea").fill("A reply the other reader will see.")
    writing.locator(f"#reply-slot-{root.pk} button[type=submit]").click()
    reply_id = _posted(writing, f"#replies-{root.pk}", "A reply the other reader will see.")
    # The writer's own reply is not news to the writer...
    poll(writing)
    # ...but the other reader's page says so by itself, without a reload.
    poll(watching)
    expect(message).to_have_text("1 new comment —")
    expect(show).to_be_visible()
    expect(writing.locator("#live-updates .live-message")).to_have_text("")
    expect(watching.locator(f"#c{reply_id}")).to_have_count(0)
    assert_accessible(watching, context="the thread offering a new comment")

    show.click()
    placed = watching.locator(f"#replies-{root.pk} > #c{reply_id}")
    expect(placed).to_be_visible()
    expect(placed).to_contain_text("A reply the other reader will see.")
    expect(placed).to_have_class(re.compile(r"\bis-new\b"))
    expect(placed.locator("> details > summary .badge.new")).to_have_text("New")
    expect(placed).to_be_focused()
    expect(show).to_be_hidden()
    expect(message).to_have_text(re.compile(r"^1 new comment shown"))
    assert_accessible(watching, context="the thread with a new comment shown")
    # The inserted reply works like the rest: its Reply link opens the form in place (htmx).
    placed.locator("> details > footer.comment-actions a.reply").click()
    expect(watching.locator(f"#reply-slot-{reply_id} textarea")).to_be_visible()
    assert watching.evaluate("window.__noReload") == "still here", "the page reloaded"

    # Counting starts again from the version the page is now at.
    writing.locator("#comment-form-top textarea").fill("One more, at the top level.")
    writing.locator("#comment-form-top button[type=submit]").click()
    newer_id = _posted(writing, "#thread", "One more, at the top level.")
    poll(watching)
    expect(message).to_have_text("1 new comment —")

    # Next visit: only what was posted since the last one is marked New.
    watching.reload()
    expect(watching.locator(f"#c{newer_id}")).to_have_class(re.compile(r"\bis-new\b"))
    expect(watching.locator("article.comment.is-new")).to_have_count(1)
    watching.reload()
    expect(watching.locator("article.comment.is-new")).to_have_count(0)

    assert console_problems.problems == []


def test_what_was_posted_since_the_last_visit_is_new_on_later_pages_too(
    new_context, polls_on_demand, settings
):
    article = ArticleFactory()
    size = settings.NEWSROOM["TOP_LEVEL_PAGE_SIZE"]
    first_page = [post(article, body=f"Early comment {i}.") for i in range(size)]
    page = new_context(UserFactory()).new_page()
    page.goto(article.get_absolute_url())  # the first visit: nothing is New
    expect(page.locator(f"#c{first_page[-1].pk}")).to_be_visible()
    expect(page.locator("article.comment.is-new")).to_have_count(0)
    later = post(article, body="Posted after the first visit, on the second page.")
    page.reload()
    expect(page.locator("article.comment.is-new")).to_have_count(0)
    page.locator("#more-comments a").click()
    expect(page.locator(f"#c{later.pk}")).to_have_class(re.compile(r"\bis-new\b"))
    expect(page.locator("article.comment.is-new")).to_have_count(1)


def test_without_javascript_the_page_shows_no_live_controls(new_context):
    article = ArticleFactory()
    post(article)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(article.get_absolute_url())
    expect(page.locator("#live-updates .live-show")).to_be_hidden()
    expect(page.locator("#live-updates .live-message")).to_have_text("")


def _posted(page, container: str, text: str) -> str:
    """The pk of the comment holding `text` that the page just posted into `container`."""
    posted = page.locator(f"{container} > article.comment", has_text=text)
    expect(posted).to_have_count(1)
    return posted.get_attribute("id").removeprefix("c")
