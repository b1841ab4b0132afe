"""axe-core (WCAG 2.1 A and AA rules) on the reader's and the desk's pages, in Chromium at
desktop width (1280×900) and phone width (360×740), in the states readers and moderators see
them in: signed in with a reply form open and reactions given, a permalink's target, form
errors, a reject picker open."""

from __future__ import annotations

import re

import pytest

from comments import services as comment_services
from comments.models import Comment
from moderation import services as moderation_services
from tests.e2e.accessibility import VIEWPORTS, Allowed, assert_accessible, axe_violations
from tests.e2e.conftest import PASSWORD
from tests.factories import UserFactory, make_moderator, make_staff

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under CI) and says why
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

at_both_widths = pytest.mark.parametrize(
    "viewport", list(VIEWPORTS.values()), ids=list(VIEWPORTS.keys())
)


def published(article, **filters):
    return Comment.objects.filter(
        article=article, status=Comment.Status.PUBLISHED, **filters
    ).order_by("tree_id", "lft")


def nested(article) -> Comment:
    comment = published(article, level=3).first()
    assert comment is not None, f"the seed article ({article.seed_source}) has no depth-3 comment"
    return comment


@pytest.fixture
def reacted(seed_article):
    """The seed article with reactions on its first comments, and a reader who gave one of
    them and wrote a comment of their own (so their page has a pressed button, a bare tally
    and their own Edit and Delete links)."""
    reader = UserFactory(username="ally", display_name="Ally Access")
    others = [UserFactory() for _ in range(3)]
    comments = list(published(seed_article)[:6])
    for n, comment in enumerate(comments):
        for other in others[: n % 4]:
            comment_services.reaction_set(comment=comment, acting_user=other, pressed=True)
    comment_services.reaction_set(comment=comments[0], acting_user=reader, pressed=True)
    own = comment_services.comment_create(
        article=seed_article, author=reader, body="My own reply, readable to all.", parent=None
    )
    comment_services.reaction_set(comment=own, acting_user=others[0], pressed=True)
    return seed_article, reader


@at_both_widths
def test_article_page_anonymous(reacted, new_context, viewport):
    article, _ = reacted
    page = new_context(viewport=viewport).new_page()
    page.goto(article.get_absolute_url())
    expect(page.locator("a.react-signin").first).to_be_visible()
    assert_accessible(page, context="article page, anonymous")


@at_both_widths
def test_article_page_signed_in_with_the_reply_form_open(reacted, new_context, viewport):
    article, reader = reacted
    target = nested(article)
    page = new_context(reader, viewport=viewport).new_page()
    page.goto(article.get_absolute_url())
    expect(page.locator('button.react[aria-pressed="true"]')).to_have_count(1)
    page.locator(f"#c{target.pk} > details > footer.comment-actions a.reply").click()
    expect(page.locator(f"#reply-slot-{target.pk} textarea")).to_be_focused()
    assert_accessible(page, context="article page, signed in, reply form open")

    # The generalisation nudge, in place of the form.
    slot = page.locator(f"#reply-slot-{target.pk}")
    slot.locator("textarea").fill("Typical Shia behaviour, they are all the same.")
    slot.locator("button[type=submit]").click()
    expect(slot.locator(".nudge")).to_be_visible()
    assert_accessible(page, context="article page, signed in, the nudge in the reply form")


@at_both_widths
def test_reply_page(reacted, new_context, viewport):
    """The page the Reply link opens without JavaScript. axe needs script to run, so the page
    is scanned in a context with it: the server sends the same HTML either way."""
    article, reader = reacted
    target = nested(article)
    page = new_context(reader, viewport=viewport).new_page()
    page.goto(f"/comments/{target.pk}/reply/")
    expect(page.locator("form.comment-form textarea")).to_be_visible()
    assert_accessible(page, context="reply page")


@at_both_widths
def test_permalinks_to_a_nested_comment(reacted, new_context, viewport):
    article, reader = reacted
    target = nested(article)
    page = new_context(reader, viewport=viewport).new_page()
    page.goto(f"{article.get_absolute_url()}#c{target.pk}")
    assert page.evaluate("document.querySelector(':target').id") == f"c{target.pk}"
    assert_accessible(page, context="article page, a nested comment as the permalink target")

    page.goto(f"/comments/{target.pk}/")
    expect(page.locator("section.context article.comment").first).to_be_visible()
    assert_accessible(page, context="a nested comment's own page, with its ancestors")

    anonymous = new_context(viewport=viewport).new_page()
    anonymous.goto(f"/comments/{target.pk}/")
    assert_accessible(anonymous, context="a nested comment's own page, anonymous")


@at_both_widths
def test_sign_in(seed_article, new_context, viewport):
    user = UserFactory(username="signer", display_name="Sign Er")
    page = new_context(viewport=viewport).new_page()
    page.goto("/accounts/login/")
    assert_accessible(page, context="sign-in page")

    page.fill("#id_username", user.username)
    page.fill("#id_password", "not the password")
    page.click("main form button[type=submit]")
    expect(page.locator("p.errors")).to_be_visible()
    assert_accessible(page, context="sign-in page, wrong password")

    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator(".whoami")).to_contain_text("Sign Er")


@at_both_widths
def test_sign_up_and_check_your_inbox(db, new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto("/accounts/signup/")
    assert_accessible(page, context="sign-up page")

    # Mismatched passwords: the form comes back with its errors.
    page.fill("#id_email", "newcomer@example.com")
    page.fill("#id_display_name", "Nia Newcomer")
    page.fill("#id_password1", "a long and unusual passphrase")
    page.fill("#id_password2", "another long passphrase")
    page.click("main form button[type=submit]")
    expect(page.locator("main .errorlist")).not_to_have_count(0)
    assert_accessible(page, context="sign-up page with errors")

    page.fill("#id_password1", "a long and unusual passphrase")
    page.fill("#id_password2", "a long and unusual passphrase")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/signup/sent/$"))
    expect(page.locator("h1")).to_have_text("Check your inbox")
    assert_accessible(page, context="sign-up's check-your-inbox page")


@pytest.fixture
def desk(seed_article):
    """The seed article after a shift on the desk: its detector flags decided (one confirmed,
    the rest approved), readers' reports waiting under Reported, a featured and a locked
    comment; the audit log and the detector's statistics have rows."""
    earlier = make_moderator(username="earlier-shift")
    flagged = list(Comment.objects.filter(article=seed_article, open_flag_count__gt=0))
    assert flagged, "the seed article has no detector flags"
    for n, comment in enumerate(flagged):
        if n == 0:
            moderation_services.comment_reject(
                comment=comment, acting_user=earlier, reason="sectarian"
            )
        else:
            moderation_services.comment_approve(comment=comment, acting_user=earlier)
    roots = list(published(seed_article, level=0)[:3])
    for n, comment in enumerate(roots):
        for i in range(n + 1):
            moderation_services.comment_flag(
                comment=comment, reporter=UserFactory(), reason="off_topic", note=f"report {i}"
            )
    moderation_services.comment_set_featured(comment=roots[0], acting_user=earlier)
    moderation_services.comment_set_locked(comment=roots[1], acting_user=earlier)
    return seed_article, roots


@at_both_widths
def test_moderation_queue(desk, new_context, viewport):
    _, roots = desk
    page = new_context(make_moderator(username="desk"), viewport=viewport).new_page()
    page.goto("/moderation/")
    expect(page.locator("#cards .card")).to_have_count(len(roots))
    assert_accessible(page, context="moderation queue, Reported")

    page.keyboard.press("r")
    expect(page.locator("#cards .card").first.locator("details.reject-picker")).to_have_attribute(
        "open", ""
    )
    assert_accessible(page, context="moderation queue, the reject picker open")

    page.locator("#cards .card").first.focus()  # out of the picker's radios
    page.keyboard.press("?")
    expect(page.locator("dialog#shortcuts")).to_be_visible()
    assert_accessible(page, context="moderation queue, the shortcut list open")
    page.keyboard.press("Escape")

    page.goto("/moderation/?tab=rejected")
    expect(page.locator("#cards .card")).to_have_count(1)
    assert_accessible(page, context="moderation queue, Rejected")


@at_both_widths
def test_article_page_as_a_moderator(desk, new_context, viewport):
    """A removed comment with its notice, featured and locked badges, the Moderate links."""
    article, _ = desk
    page = new_context(make_moderator(username="reading-mod"), viewport=viewport).new_page()
    page.goto(f"{article.get_absolute_url()}?all=1")
    expect(page.locator(".notice.removed")).to_have_count(1)
    expect(page.locator(".badge.featured")).to_have_count(1)
    expect(page.locator(".badge.locked")).to_have_count(1)
    assert_accessible(page, context="article page, a moderator reading")


@at_both_widths
def test_audit_log_and_detector_statistics(desk, new_context, viewport):
    page = new_context(make_staff(username="staffer"), viewport=viewport).new_page()
    page.goto("/moderation/log/")
    expect(page.locator("table.log tbody tr")).not_to_have_count(0)
    assert_accessible(page, context="audit log")

    page.goto("/moderation/detector/")
    expect(page.locator("table tbody tr")).not_to_have_count(0)
    assert_accessible(page, context="detector statistics per rule")


@pytest.fixture
def profile_owner(reacted):
    """The reader from `reacted` with more comments than one page holds, one of them held
    (shown to them, marked), and their reactions received."""
    article, reader = reacted
    for n in range(21):
        comment_services.comment_create(
            article=article, author=reader, body=f"Profile comment {n}, <em>emphasised</em>."
        )
    held = comment_services.comment_create(
        article=article, author=reader, body="Held for a moderator."
    )
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    return reader


@at_both_widths
def test_profile_page(profile_owner, new_context, viewport):
    url = f"/users/{profile_owner.username}/"
    page = new_context(viewport=viewport).new_page()
    page.goto(url)
    expect(page.locator("li.profile-comment")).to_have_count(20)
    expect(page.locator(".pager a[rel=next]")).to_be_visible()
    assert_accessible(page, context="profile page, anonymous")

    own = new_context(profile_owner, viewport=viewport).new_page()
    own.goto(url)
    expect(own.locator("li.profile-comment.is-pending")).to_have_count(1)
    assert_accessible(own, context="profile page, its owner with a held comment")


@at_both_widths
def test_account_settings_and_deletion_pages(profile_owner, new_context, viewport):
    page = new_context(profile_owner, viewport=viewport).new_page()
    page.goto("/accounts/me/")
    expect(page.locator("#id_display_name")).to_have_value(profile_owner.display_name)
    assert_accessible(page, context="account settings")

    page.fill("#id_display_name", "Site Admin")
    page.click("main form[action='/accounts/me/name/'] button[type=submit]")
    expect(page.locator("main .errorlist")).not_to_have_count(0)
    assert_accessible(page, context="account settings, a refused display name")

    page.goto("/accounts/me/delete/")
    page.fill("#id_password", "not the password")
    page.click("main form button[type=submit]")
    expect(page.locator("main .errors")).to_be_visible()
    assert_accessible(page, context="account deletion, a wrong password")


def test_the_helper_names_each_violation(new_context):
    """The helper itself: a page with known faults fails with rule, impact, target and URL."""
    page = new_context().new_page()
    page.set_content(
        '<html lang="en"><title>t</title><main><img src="x.png">'
        '<a href="/x"></a><p class="faint">faint text</p></main></html>'
    )
    page.add_style_tag(content=".faint { color: #ccc; }")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, context="a faulty page")
    report = str(failure.value)
    assert report.startswith("a faulty page (about:blank): 3 axe rule(s) violated"), report
    for rule, impact in (
        ("image-alt", "critical"),
        ("link-name", "serious"),
        ("color-contrast", "serious"),
    ):
        assert f"- {rule} ({impact})" in report, report
        assert f"https://dequeuniversity.com/rules/axe/4.12/{rule}" in report, report
    assert "\n    * img\n" in report and "\n    * p\n" in report, report
    assert "insufficient color contrast of 1.6" in report, report

    # An allowance covers its one rule on its one selector, nothing more.
    faint = Allowed("color-contrast", ".faint", "the helper's own test")
    assert [v["id"] for v in axe_violations(page, allow=[faint])] == ["image-alt", "link-name"]
    other = Allowed("color-contrast", "img", "the helper's own test")
    assert len(axe_violations(page, allow=[other])) == 3
