"""axe-core (WCAG 2.1 A and AA rules) on the reader's and the desk's pages, in Chromium at
desktop width (1280×900) and phone width (360×740), in the states readers and moderators see
them in: signed in with a reply form open and reactions given, a permalink's target, form
errors, a reject picker open."""

from __future__ import annotations

import pytest

from tests.e2e.accessibility import Allowed, assert_accessible, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
