"""The reaction button in a real browser at phone width: it toggles in place with htmx, keeps
the keyboard focus, says why when refused, and works as a plain form without JavaScript."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from comments.models import Comment, Reaction
from moderation import services as moderation_services
from tests.factories import UserFactory, make_moderator

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under CI) and says why
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def first_published(article) -> Comment:
    return (
        Comment.objects.filter(article=article, status=Comment.Status.PUBLISHED, level=1)
        .order_by("tree_id", "lft")
        .first()
    )


def test_the_reaction_button_toggles_in_place_keeps_focus_and_fits_a_phone(
    seed_article, new_context, console_problems
):
    reader = UserFactory(username="respectful", display_name="Reese Respectful")
    target = first_published(seed_article)
    url = seed_article.get_absolute_url()
    page = console_problems(new_context(reader, viewport=PHONE).new_page())
    page.goto(f"{url}#c{target.pk}")
    page.evaluate("window.__noReload = 'still here'")
    button = page.locator(f"#react-{target.pk}")
    comment = page.locator(f"#c{target.pk}")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_have_text(re.compile(r"Respect\s+0"))
    expect(comment).to_have_attribute("data-reactions", "0")
    # At 360 px the button is whole on screen, large enough to tap, and nothing scrolls sideways.
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["height"] >= 24, box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Tapped: pressed in place, the count and data-reactions follow, and the focus stays.
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_text(re.compile(r"Respect\s+1"))
    expect(comment).to_have_attribute("data-reactions", "1")
    expect(button).to_be_focused()
    assert list(Reaction.objects.filter(comment=target).values_list("user_id", flat=True)) == [
        reader.pk
    ]

    # From the keyboard: Space on the focused button takes it back, the focus still on it.
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_have_text(re.compile(r"Respect\s+0"))
    expect(comment).to_have_attribute("data-reactions", "0")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_be_focused()
    assert Comment.objects.get(pk=target.pk).reaction_count == 1
    assert page.evaluate("window.__noReload") == "still here", "the page reloaded"

    # Refused in place: suspended meanwhile, the button stays as it was with the reason beside it.
    moderation_services.user_suspend(
        user=reader,
        acting_user=make_moderator(username="mod-e2e"),
        duration=dt.timedelta(hours=1),
    )
    button.click()
    error = comment.locator(".react-error")
    expect(error).to_contain_text("suspended until")
    expect(error).to_have_attribute("role", "alert")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_be_focused()
    button.click()  # asked again: still one reason shown, not two
    expect(error).to_have_count(1)
    assert Comment.objects.get(pk=target.pk).reaction_count == 1

    # The refusals' 403s are expected; anything else in the console is not.
    assert [p for p in console_problems.problems if "403" not in p] == []


def test_without_javascript_the_button_posts_and_comes_back_to_the_comment(
    seed_article, new_context
):
    reader = UserFactory(username="noscript-fan", display_name="Nico NoScript")
    roots = Comment.objects.filter(
        article=seed_article, parent=None, status=Comment.Status.PUBLISHED
    ).order_by("created_at", "pk")
    target = roots[min(5, roots.count() - 1)]  # on the first page, not first on it
    url = seed_article.get_absolute_url()
    page = new_context(reader, viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(f"{url}?sort=top")
    page.locator(f"#react-{target.pk}").click()
    page.wait_for_url(re.compile(re.escape(f"{url}?sort=top#c{target.pk}") + "$"))
    expect(page.locator(f"#react-{target.pk}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#c{target.pk}")).to_have_attribute("data-reactions", "1")
    # The most respected first: it now leads the page.
    expect(page.locator("#thread > article.comment").first).to_have_attribute("id", f"c{target.pk}")
    assert Reaction.objects.filter(comment=target, user=reader).count() == 1
