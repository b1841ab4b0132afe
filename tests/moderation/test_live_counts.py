"""With htmx, a decision removes the card and refreshes the tab counts in place."""

import re

import pytest

from moderation import services as moderation_services
from tests.factories import UserFactory, post

pytestmark = pytest.mark.django_db


def test_an_htmx_approval_sends_fresh_tab_counts(client_for, article, reader, moderator):
    flagged = [post(article, UserFactory(), f"Comment {i}.") for i in range(2)]
    for comment in flagged:
        moderation_services.comment_flag(comment=comment, reporter=reader, reason="spam")
    client = client_for(moderator)
    queue = client.get("/moderation/?tab=reported").content.decode()
    assert re.search(r'data-tab="reported">Reported <span class="count">2<', queue)
    response = client.post(
        f"/moderation/comments/{flagged[0].pk}/approve/",
        {"seen": "", "next": "/moderation/?tab=reported"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="queue-tabs"' in html and 'hx-swap-oob="true"' in html
    assert re.search(r'data-tab="reported">Reported <span class="count">1<', html)
    assert re.search(r'data-tab="approved">Approved <span class="count">1<', html)
    assert 'aria-current="page" data-tab="reported"' in html


def test_tab_counts_stop_at_the_cap(client_for, article, reader, moderator, monkeypatch):
    from moderation import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for i in range(5):
        moderation_services.comment_flag(
            comment=post(article, UserFactory(), f"Comment {i}."), reporter=reader, reason="spam"
        )
    html = client_for(moderator).get("/moderation/?tab=reported").content.decode()
    assert re.search(r'data-tab="reported">Reported <span class="count">3\+<', html)
    assert "over 3 in this tab" in html
