"""The public profile, /users/<username>/: a reader's published comments newest first, 20 a
page, each linking into its thread, and the reactions they received; what others and the
reader themselves see; bad input; a query count that does not grow with the comments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services as comment_services
from comments.models import Comment
from moderation import services as moderation_services
from tests.factories import ArticleFactory, UserFactory, parse_html, post

pytestmark = pytest.mark.django_db


def profile_url(user) -> str:
    return reverse("profile", args=[user.username])


def listed(response) -> list[int]:
    """The comment ids the profile lists, in page order."""
    doc = parse_html(response.content)
    return [int(li.attrs["id"][2:]) for li in doc.find_all("li", class_="profile-comment")]


def test_lists_published_comments_newest_first_with_links_into_their_threads(reader, article):
    first = post(article, reader, "My first words.")
    second = post(ArticleFactory(title="Another story"), reader, "My second words.")
    post(article, UserFactory(), "Someone else's words.")
    response = Client().get(profile_url(reader))
    assert response.status_code == 200
    assert listed(response) == [second.pk, first.pk]
    doc = parse_html(response.content)
    item = doc.by_id(f"pc{second.pk}")
    hrefs = [a.attrs["href"] for a in item.find_all("a")]
    assert reverse("comment_detail", args=[second.pk]) in hrefs
    assert second.article.get_absolute_url() in hrefs
    assert "My second words." in item.text()
    assert "Someone else" not in response.content.decode()
    assert doc.find("h1").text() == "Rita Reader"


def test_shows_the_reactions_received(reader, article, other_reader):
    mine = post(article, reader, "Worth a respect.")
    comment_services.reaction_set(comment=mine, acting_user=other_reader, pressed=True)
    comment_services.reaction_set(comment=mine, acting_user=UserFactory(), pressed=True)
    doc = parse_html(Client().get(profile_url(reader)).content)
    assert doc.find(class_="reactions-received").find("strong").text() == "2"


def test_others_never_see_held_removed_or_withdrawn_comments(
    reader, article, moderator, client_for
):
    shown = post(article, reader, "Published and fine.")
    held = post(article, reader, "Waiting for a moderator.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    removed = post(article, reader, "Removed later.")
    moderation_services.comment_reject(comment=removed, acting_user=moderator, reason="spam")
    withdrawn = post(article, reader, "Withdrawn by me.")
    comment_services.comment_delete_own(comment=withdrawn, acting_user=reader)
    for viewer in (None, UserFactory(), moderator):
        client = client_for(viewer) if viewer else Client()
        response = client.get(profile_url(reader))
        assert listed(response) == [shown.pk], viewer
        body = response.content.decode()
        for text in ("Waiting for", "Removed later", "Withdrawn by me"):
            assert text not in body


def test_the_owner_also_sees_their_own_held_comments_marked(reader, article, client_for):
    shown = post(article, reader, "Published and fine.")
    held = post(article, reader, "Waiting for a moderator.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    response = client_for(reader).get(profile_url(reader))
    assert listed(response) == [held.pk, shown.pk]
    item = parse_html(response.content).by_id(f"pc{held.pk}")
    assert "Awaiting moderation. Only you can see this" in item.text()
    assert "is-pending" in item.attrs["class"]


def test_comments_on_unpublished_articles_are_not_listed(reader):
    scheduled = ArticleFactory(published_at=timezone.now() + dt.timedelta(days=1))
    post(scheduled, reader, "On an embargoed story.")
    response = Client().get(profile_url(reader))
    assert listed(response) == []
    assert "On an embargoed story" not in response.content.decode()


def test_paginates_twenty_a_page(reader, article, settings):
    comments = [post(article, reader, f"Comment number {n}.") for n in range(23)]
    newest_first = [c.pk for c in reversed(comments)]
    first = Client().get(profile_url(reader))
    assert listed(first) == newest_first[:20]
    assert parse_html(first.content).find("a", rel="next").attrs["href"] == "?page=2"
    second = Client().get(profile_url(reader) + "?page=2")
    assert listed(second) == newest_first[20:]
    assert parse_html(second.content).find("a", rel="next") is None


@pytest.mark.parametrize("page", ["2", "999", "100001"])
def test_pages_out_of_range_are_404(reader, article, page):
    post(article, reader, "Just one.")
    response = Client().get(profile_url(reader) + f"?page={page}")
    assert response.status_code == 404
    assert b"No such page" in response.content


def test_a_reader_with_no_comments_gets_an_empty_first_page(reader):
    response = Client().get(profile_url(reader))
    assert response.status_code == 200
    assert b"has not published a comment yet" in response.content


def test_unknown_username_is_404():
    response = Client().get(reverse("profile", args=["nobody-here"]))
    assert response.status_code == 404
    assert b"No reader has that name" in response.content


def test_an_account_awaiting_confirmation_has_no_profile():
    """Sign-up never says whether an address has an account; a profile must not either."""
    waiting = UserFactory(is_active=False, awaiting_confirmation=True)
    assert Client().get(profile_url(waiting)).status_code == 404


def test_post_to_the_profile_is_405(reader):
    assert Client().post(profile_url(reader)).status_code == 405


def test_moderators_get_a_link_to_the_desk_record(reader, moderator, client_for):
    link = reverse("moderation:user", args=[reader.pk])
    assert link in client_for(moderator).get(profile_url(reader)).content.decode()
    assert link not in client_for(UserFactory()).get(profile_url(reader)).content.decode()


def test_hostile_display_names_and_bodies_are_inert(article):
    evil = UserFactory(display_name='<script>alert("n")</script>')
    post(article, evil, '<img src=x onerror=alert(1)> and <script>alert("b")</script>')
    body = Client().get(profile_url(evil)).content.decode()
    assert "<script>alert" not in body
    assert "onerror" not in body


# The account, the page's comments with their articles, their count, the reactions received;
# a signed-in viewer adds their session and account.
PROFILE_QUERIES = {"anonymous": 4, "owner": 6}


@pytest.mark.parametrize("viewer_kind", ["anonymous", "owner"])
def test_query_count_does_not_grow_with_the_comments(
    reader, viewer_kind, client_for, django_assert_num_queries
):
    client = client_for(reader) if viewer_kind == "owner" else Client()
    other = UserFactory()

    def add(n):
        for i in range(n):
            c = post(ArticleFactory(), reader, f"Words {i}.")
            comment_services.reaction_set(comment=c, acting_user=other, pressed=True)

    add(2)
    with django_assert_num_queries(PROFILE_QUERIES[viewer_kind]):
        response = client.get(profile_url(reader))
    assert len(listed(response)) == 2
    add(40)
    with django_assert_num_queries(PROFILE_QUERIES[viewer_kind]):
        response = client.get(profile_url(reader))
    assert len(listed(response)) == 20
    with django_assert_num_queries(PROFILE_QUERIES[viewer_kind]):
        response = client.get(profile_url(reader) + "?page=3")
    assert len(listed(response)) == 2
