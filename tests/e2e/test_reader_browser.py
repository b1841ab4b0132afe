"""A reader in a real browser: reply in place (htmx), collapse, permalinks; the same without
JavaScript; and no console errors or CSP violations on the way."""

from __future__ import annotations

import re

import pytest

from comments.models import Comment
from tests.e2e.conftest import PASSWORD, save_screenshot
from tests.factories import UserFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under CI) and says why
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tree(article):
    return Comment.objects.filter(article=article).order_by("tree_id", "lft")


def depth3_with_parent(article) -> Comment:
    """The first depth-3 comment in thread order (the seed's "Joe: Yes they are crazy...")."""
    comment = tree(article).filter(level=3, status=Comment.Status.PUBLISHED).first()
    assert comment is not None, f"the seed article ({article.seed_source}) has no depth-3 comment"
    return comment


def node(page, pk):
    return page.locator(f"#c{pk}")


def own_summary(page, pk):
    # Click the summary's left edge, the −/+ marker.
    return page.locator(f"#c{pk} > details > summary")


def toggle(page, pk):
    own_summary(page, pk).click(position={"x": 6, "y": 8})


def reply_link(page, pk):
    return page.locator(f"#c{pk} > details > footer.comment-actions a.reply")


def sign_in_with_form(page, user, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))
    expect(page.locator(".whoami")).to_contain_text(user.display_name)


def test_reader_replies_in_place_collapses_and_follows_permalinks(
    seed_article, new_context, console_problems, live_server
):
    reader = UserFactory(username="rita", display_name="Rita Reader")
    target = depth3_with_parent(seed_article)
    url = seed_article.get_absolute_url()
    page = console_problems(new_context().new_page())

    # Signs in through the real login form (django-axes checks every attempt).
    sign_in_with_form(page, reader, url)

    # Reply to a depth-3 comment: htmx loads the form into the reply slot, posts it, and swaps the
    # new comment in under its parent without a page load.
    page.evaluate("window.__noReload = 'still here'")
    reply_link(page, target.pk).click()
    textarea = page.locator(f"#reply-slot-{target.pk} textarea")
    expect(textarea).to_be_visible()
    expect(textarea).to_be_focused()
    assert page.url.endswith(url), "the Reply link navigated instead of opening the form in place"
    body = "A calm reply from the browser test, about the ceasefire talks."
    textarea.fill(body)
    page.locator(f"#reply-slot-{target.pk} button[type=submit]").click()

    new = node(page, target.pk).locator(f'[data-parent="{target.pk}"][data-depth="4"]')
    expect(new).to_have_count(1)
    expect(new).to_be_visible()
    expect(new).to_contain_text(body)
    expect(new.locator(".author")).to_have_text("Rita Reader")
    expect(page.locator(f"#reply-slot-{target.pk} textarea")).to_have_count(0)  # slot emptied
    assert page.evaluate("window.__noReload") == "still here", "the page reloaded"

    saved = Comment.objects.get(parent=target, body_raw=body)
    assert (saved.level, saved.author_id, saved.status) == (4, reader.pk, Comment.Status.PUBLISHED)
    expect(new).to_have_attribute("id", f"c{saved.pk}")

    # Collapse the subtree of a comment with replies (the depth-3 comment's parent), then expand it.
    parent = target.parent
    replies = page.locator(f"#replies-{parent.pk}")
    expect(replies).to_be_visible()
    toggle(page, parent.pk)
    expect(replies).to_be_hidden()
    expect(node(page, target.pk)).to_be_hidden()
    expect(own_summary(page, parent.pk).locator(".collapsed-note")).to_be_visible()
    toggle(page, parent.pk)
    expect(replies).to_be_visible()
    expect(node(page, saved.pk)).to_be_visible()
    assert page.evaluate("window.__noReload") == "still here"

    # A permalink to a comment far down the page is the :target and is scrolled into view.
    last = tree(seed_article).last()
    page.goto(f"{url}#c{last.pk}")
    assert page.evaluate("location.hash") == f"#c{last.pk}"
    assert (
        page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")
        == f"c{last.pk}"
    )
    expect(node(page, last.pk)).to_be_in_viewport()

    # The comment's own page: its subtree, with the ancestors above it for context.
    page.goto(f"/comments/{target.pk}/")
    thread = page.locator("#thread")
    expect(thread.locator(f"#c{target.pk}")).to_be_visible()
    expect(thread.locator(f"#c{saved.pk}[data-parent='{target.pk}']")).to_contain_text(body)
    context = page.locator("section.context")
    for ancestor in target.get_ancestors():
        expect(context.locator(f"#c{ancestor.pk}")).to_be_visible()
    expect(context.locator(f"#c{target.pk}")).to_have_count(0)

    assert console_problems.problems == []


def test_reader_without_javascript_replies_on_a_page_and_still_collapses(seed_article, new_context):
    reader = UserFactory(username="nojs", display_name="Nora NoScript")
    target = depth3_with_parent(seed_article)
    url = seed_article.get_absolute_url()
    page = new_context(reader, java_script_enabled=False).new_page()
    page.goto(url)
    expect(page.locator(".whoami")).to_contain_text("Nora NoScript")

    # Reply goes to a page with a form; posting redirects to the new comment's permalink.
    reply_link(page, target.pk).click()
    page.wait_for_url(re.compile(rf"/comments/{target.pk}/reply/$"))
    expect(page.locator("blockquote.replying-to")).to_contain_text(target.display_author)
    body = "Posted without any JavaScript at all."
    page.fill("form.comment-form textarea", body)
    page.click("form.comment-form button[type=submit]")
    saved = Comment.objects.get(parent=target, body_raw=body)
    page.wait_for_url(re.compile(re.escape(f"{url}#c{saved.pk}") + "$"))
    new = node(page, saved.pk)
    expect(new).to_contain_text(body)
    expect(new).to_have_attribute("data-depth", "4")
    expect(new).to_have_attribute("data-parent", str(target.pk))
    assert page.locator(f"#c{target.pk} #c{saved.pk}").count() == 1
    assert saved.level == 4

    # <details> collapses without script.
    parent = target.parent
    replies = page.locator(f"#replies-{parent.pk}")
    expect(replies).to_be_visible()
    toggle(page, parent.pk)
    expect(replies).to_be_hidden()
    toggle(page, parent.pk)
    expect(replies).to_be_visible()


def test_pages_have_no_console_errors_or_csp_violations(
    seed_article, new_context, console_problems
):
    reader = UserFactory(username="csp", display_name="Cass Policy")
    target = depth3_with_parent(seed_article)
    url = seed_article.get_absolute_url()

    # Anonymous first: the article page's policy header, and every static asset loads.
    page = console_problems(new_context().new_page())
    statics = {}
    page.on(
        "response", lambda r: statics.__setitem__(r.url, r.status) if "/static/" in r.url else None
    )
    response = page.goto(url)
    assert response.status == 200
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "style-src 'self'" in csp, csp
    page.wait_for_load_state("load")
    htmx_js = [u for u in statics if u.endswith("/static/js/htmx.min.js")]
    assert htmx_js and statics[htmx_js[0]] == 200, statics
    assert all(status == 200 for status in statics.values()), statics
    assert page.evaluate("typeof window.htmx") == "object"
    # htmx must not inject its indicator <style> (the CSP would refuse it).
    assert page.locator("head style").count() == 0
    assert page.locator("[style]").count() == 0, "inline style attributes violate the CSP"

    # Signed in: open a reply form in place and post through htmx, then the other reader pages.
    page = console_problems(new_context(reader).new_page())
    page.goto(url)
    reply_link(page, target.pk).click()
    page.locator(f"#reply-slot-{target.pk} textarea").fill("Checking the policy, politely.")
    page.locator(f"#reply-slot-{target.pk} button[type=submit]").click()
    expect(
        node(page, target.pk).locator('[data-depth="4"]', has_text="Checking the policy")
    ).to_be_visible()
    toggle(page, target.pk)
    page.goto(f"/comments/{target.pk}/")
    page.goto(f"/comments/{target.pk}/reply/")
    page.goto("/")
    page.wait_for_load_state("load")
    assert page.locator("[style]").count() == 0

    assert console_problems.problems == []


def test_screenshots(seed_article, new_context):
    """Always saved to tests/e2e/artifacts/; to docs/screenshots/ with SAVE_SCREENSHOTS=1."""
    reader = UserFactory(username="shot", display_name="Sam Shot")
    target = depth3_with_parent(seed_article)
    page = new_context(reader).new_page()
    page.goto(seed_article.get_absolute_url())
    reply_link(page, target.pk).click()
    expect(page.locator(f"#reply-slot-{target.pk} textarea")).to_be_visible()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    save_screenshot(page, "article.png", full_page=True)
    save_screenshot(page.locator("#thread"), "thread.png")


def test_the_generalisation_nudge_replaces_the_reply_form_in_place(
    seed_article, new_context, console_problems
):
    reader = UserFactory(username="nudged", display_name="Ned Nudged")
    target = depth3_with_parent(seed_article)
    page = console_problems(new_context(reader).new_page())
    page.goto(seed_article.get_absolute_url())
    reply_link(page, target.pk).click()
    slot = page.locator(f"#reply-slot-{target.pk}")
    slot.locator("textarea").fill("Typical Shia behaviour, they are all the same.")
    slot.locator("button[type=submit]").click()
    # The same form comes back in place with the nudge and the text kept: no second form.
    expect(slot.locator(".nudge")).to_contain_text("may generalise about a whole group")
    expect(slot.locator("form")).to_have_count(1)
    expect(slot.locator("textarea")).to_have_value("Typical Shia behaviour, they are all the same.")
    assert not Comment.objects.filter(article=seed_article, parent=target).exists()
    slot.locator("button[name=post_anyway]").click()
    expect(page.locator(f'#c{target.pk} [data-parent="{target.pk}"]')).to_have_count(1)
    reply = Comment.objects.get(article=seed_article, parent=target)
    assert reply.findings.exists()
