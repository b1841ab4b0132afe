"""A moderator works the queue in a real browser with the keyboard; a reader then sees the
result."""

from __future__ import annotations

import pytest

from comments.models import Comment
from moderation import services as moderation_services
from moderation.models import ModerationEvent
from tests.e2e.conftest import save_screenshot
from tests.factories import UserFactory, make_moderator

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under CI) and says why
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def most_replied_root(article) -> Comment:
    roots = Comment.objects.filter(article=article, level=0, status=Comment.Status.PUBLISHED)
    root = max(roots, key=lambda c: (c.rght - c.lft, -c.pk))
    assert root.rght - root.lft > 3, "the seed article needs a top-level comment with replies"
    return root


def report(comment, n, reason):
    for i in range(n):
        moderation_services.comment_flag(
            comment=comment, reporter=UserFactory(), reason=reason, note=f"report {i}"
        )


@pytest.fixture
def queue_setup(seed_article):
    """Two reported comments: an innocent one first (oldest), then the one to reject.

    The seed's own generalisations were filed by the detector on import; a moderator has
    already dealt with them, so the Reported tab holds only the two readers' reports."""
    desk = make_moderator(username="earlier-shift")
    for flagged in Comment.objects.filter(article=seed_article, open_flag_count__gt=0):
        moderation_services.comment_approve(comment=flagged, acting_user=desk)
    target = most_replied_root(seed_article)
    innocent = (
        Comment.objects.filter(article=seed_article, level=0)
        .exclude(pk=target.pk)
        .order_by("created_at", "pk")
        .first()
    )
    # Oldest first: make sure the innocent card comes before the target.
    Comment.objects.filter(pk=innocent.pk).update(created_at=target.created_at.replace(year=2000))
    report(innocent, 1, "off_topic")
    report(target, 2, "sectarian")
    return seed_article, innocent, target


def test_moderator_rejects_with_the_keyboard_and_the_reader_sees_a_placeholder(
    queue_setup, new_context, console_problems
):
    article, innocent, target = queue_setup
    replies = list(target.get_descendants().filter(status="published").values_list("pk", flat=True))
    moderator = make_moderator(username="desk", display_name="Desk Moderator")
    page = console_problems(new_context(moderator).new_page())
    page.goto("/moderation/")

    cards = page.locator("#cards .card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_have_attribute("id", f"card-{innocent.pk}")
    expect(page.locator(f"#card-{innocent.pk}")).to_have_class("card status-published is-current")
    page.evaluate("window.__noReload = 'still here'")

    # j: next card (the flagged one); r: open its reason picker with the first reason focused.
    page.keyboard.press("j")
    card = page.locator(f"#card-{target.pk}")
    expect(card).to_have_class("card status-published is-current")
    page.keyboard.press("r")
    picker = card.locator("details.reject-picker")
    expect(picker).to_have_attribute("open", "")
    radios = picker.locator('input[type="radio"][name="reason"]')
    expect(radios.nth(0)).to_be_focused()
    # Arrow keys move through the reasons; space picks; Enter sends.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(radios.nth(0)).to_be_focused()
    page.keyboard.press("Space")
    expect(radios.nth(0)).to_be_checked()
    save_screenshot(card, "moderation-reject-picker.png")
    page.keyboard.press("Enter")

    # The card leaves in place, the next one takes focus, and the desk says what happened.
    expect(card).to_have_count(0)
    expect(page.locator("#desk-status")).to_contain_text(f"Rejected comment #{target.pk}.")
    expect(page.locator(f"#card-{innocent.pk}")).to_be_focused()
    assert page.evaluate("window.__noReload") == "still here", "the page reloaded"
    expect(page.locator('a[data-tab="reported"] .count')).to_have_text("1")  # counts refresh live
    expect(page.locator('a[data-tab="rejected"] .count')).to_have_text("1")

    target.refresh_from_db()
    assert (target.status, target.rejection_reason, target.decided_by) == (
        "rejected",
        "sectarian",
        moderator,
    )
    assert ModerationEvent.objects.filter(comment=target, action="reject").count() == 1
    assert innocent.__class__.objects.get(pk=innocent.pk).status == "published"

    # A reader's view of the thread: a placeholder, and every reply still there.
    reader_page = console_problems(new_context().new_page())
    reader_page.goto(article.get_absolute_url() + "?all=1")
    node = reader_page.locator(f"#c{target.pk}")
    expect(node.locator("> details > .comment-body")).to_have_text("Removed by a moderator")
    assert target.body_raw[:30] not in node.locator("> details > .comment-body").inner_text()
    for pk in replies:
        expect(reader_page.locator(f"#c{target.pk} #c{pk}")).to_have_count(1)
    save_screenshot(node, "moderation-removed-placeholder.png")
    assert console_problems.problems == []


def test_question_mark_opens_the_shortcut_list(queue_setup, new_context, console_problems):
    page = console_problems(new_context(make_moderator()).new_page())
    page.goto("/moderation/")
    dialog = page.locator("dialog#shortcuts")
    expect(dialog).to_be_hidden()
    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Next / previous card")
    expect(dialog).to_contain_text("Reject (choose a reason)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # Typing ? in the search box types it, it doesn't open the list.
    page.locator('input[name="q"]').click()
    page.keyboard.press("?")
    expect(dialog).to_be_hidden()
    expect(page.locator('input[name="q"]')).to_have_value("?")
    assert console_problems.problems == []


def test_a_conflict_keeps_the_card_and_says_who_decided(queue_setup, new_context, console_problems):
    article, innocent, target = queue_setup
    page = console_problems(new_context(make_moderator(username="slow")).new_page())
    page.goto("/moderation/")
    # Someone else rejects the first card after this page loaded.
    moderation_services.comment_reject(
        comment=innocent, acting_user=make_moderator(username="fast"), reason="spam"
    )
    page.keyboard.press("a")
    expect(page.locator("#desk-status")).to_contain_text("Already rejected by fast")
    expect(page.locator(f"#card-{innocent.pk}")).to_have_count(1)
    innocent.refresh_from_db()
    assert innocent.status == "rejected"
    assert ModerationEvent.objects.filter(comment=innocent, action="approve").count() == 0
    # The 409 is expected; anything else in the console is not.
    assert [p for p in console_problems.problems if "409" not in p] == []


def test_other_without_a_note_is_refused_in_place(queue_setup, new_context, console_problems):
    article, innocent, target = queue_setup
    page = console_problems(new_context(make_moderator()).new_page())
    page.goto("/moderation/")
    page.evaluate("window.__noReload = 'still here'")
    page.keyboard.press("r")
    card = page.locator(f"#card-{innocent.pk}")
    radios = card.locator('details.reject-picker input[type="radio"]')
    expect(radios.nth(0)).to_be_focused()
    page.keyboard.press("ArrowUp")  # wraps round to the last reason, "Other"
    expect(radios.last).to_be_checked()
    expect(radios.last).to_have_attribute("value", "other")
    page.keyboard.press("Enter")
    expect(page.locator("#desk-status")).to_contain_text("Please add a note explaining")
    expect(card).to_have_count(1)
    assert page.evaluate("window.__noReload") == "still here"
    innocent.refresh_from_db()
    assert innocent.status == "published"
    assert ModerationEvent.objects.filter(comment=innocent, action="reject").count() == 0
    # With a note it goes through.
    card.locator('details.reject-picker input[name="note"]').fill("Personal details")
    card.locator('details.reject-picker input[name="note"]').press("Enter")
    expect(card).to_have_count(0)
    innocent.refresh_from_db()
    assert (innocent.status, innocent.rejection_reason, innocent.rejection_note) == (
        "rejected",
        "other",
        "Personal details",
    )
    assert [p for p in console_problems.problems if "400" not in p] == []


def test_ban_asks_first(queue_setup, new_context, console_problems):
    from moderation.models import UserModeration

    article, innocent, target = queue_setup
    author = UserFactory(username="troll")
    Comment.objects.filter(pk=innocent.pk).update(author=author, author_name="")
    page = console_problems(new_context(make_moderator()).new_page())
    page.goto("/moderation/")
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.keyboard.press("b")
    page.wait_for_timeout(300)
    assert asked and "Ban" in asked[0]
    assert not UserModeration.objects.filter(user=author).exists()
    page.once("dialog", lambda d: answer(d, True))
    page.keyboard.press("Escape")
    page.locator(f"#card-{innocent.pk}").focus()
    page.keyboard.press("b")
    expect(page.locator(".messages")).to_contain_text(f"{author.public_name}: ban done.")
    assert UserModeration.objects.get(user=author).standing == "banned"
    assert console_problems.problems == []
