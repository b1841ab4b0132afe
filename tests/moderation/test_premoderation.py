"""Pre-moderation: by article, by user, and a new account's first comments."""

import pytest
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from moderation import services as moderation_services
from tests.factories import UserFactory, comment_elements, post

from . import events, fresh, text_of, thread_doc

pytestmark = pytest.mark.django_db

Status = Comment.Status


def post_via_form(client, article, body, parent=None):
    url = (
        reverse("comment_reply", args=[parent.pk])
        if parent
        else reverse("comment_create", args=[article.slug])
    )
    response = client.post(url, {"body": body})
    assert response.status_code == 302, response.content[:400]
    return Comment.objects.filter(body_raw=body).get()


def assert_held_and_hidden(c, client, client_for, author, other, body):
    c = fresh(c)
    assert c.status == Status.PENDING
    # The author sees it, marked as awaiting moderation.
    own = comment_elements(thread_doc(client_for(author), c.article))
    assert c.pk in own
    assert body in own[c.pk].text() and "Awaiting moderation" in own[c.pk].text()
    # Other readers, signed in or not, don't see the text.
    for viewer in (client, client_for(other)):
        assert body not in thread_doc(viewer, c.article).text()


def test_premoderated_article_holds_new_comments(
    client, client_for, moderator, article, reader, other_reader
):
    moderation_services.article_set_comment_mode(
        article=article, mode=Article.CommentMode.PREMODERATED, acting_user=moderator
    )
    page = client_for(reader).get(reverse("article", args=[article.slug]))
    assert "reviewed by a moderator before they appear" in text_of(page)
    c = post_via_form(client_for(reader), article, "Held by the article's mode.")
    assert fresh(c).held_because == "premoderated_article"
    assert events("hold", comment=c) == 1
    assert_held_and_hidden(
        c, client, client_for, reader, other_reader, "Held by the article's mode."
    )

    # In the Pending tab for moderators, and published once approved.
    desk = client_for(moderator)
    assert "Held by the article's mode." in text_of(desk.get("/moderation/?tab=pending"))
    moderation_services.comment_approve(comment=c, acting_user=moderator)
    assert "Held by the article's mode." in thread_doc(client, article).text()


def test_replies_in_a_premoderated_article_are_held_too(
    client, client_for, moderator, article, reader, other_reader
):
    parent = post(article, other_reader, "Published before the switch.")
    moderation_services.article_set_comment_mode(
        article=article, mode="premoderated", acting_user=moderator
    )
    c = post_via_form(client_for(reader), article, "A held reply.", parent=parent)
    assert_held_and_hidden(c, client, client_for, reader, other_reader, "A held reply.")
    assert "Published before the switch." in thread_doc(client, article).text()


def test_premoderated_user(client, client_for, moderator, article, reader, other_reader):
    moderation_services.user_set_premoderation(
        user=reader, acting_user=moderator, premoderated=True
    )
    c = post_via_form(client_for(reader), article, "Held because of who I am.")
    assert fresh(c).held_because == "premoderated_user"
    assert_held_and_hidden(c, client, client_for, reader, other_reader, "Held because of who I am.")
    d = post_via_form(client_for(other_reader), article, "Published straight away.")
    assert fresh(d).status == Status.PUBLISHED


def test_first_n_comments_of_a_new_account(
    settings, client, client_for, moderator, article, reader, other_reader
):
    settings.NEWSROOM = {**settings.NEWSROOM, "PREMODERATE_FIRST_N": 2}
    newcomer = UserFactory()
    client_new = client_for(newcomer)
    first = post_via_form(client_new, article, "My very first comment.")
    second = post_via_form(client_new, article, "My second comment.")
    third = post_via_form(client_new, article, "My third comment.")
    assert [fresh(c).status for c in (first, second, third)] == [
        Status.PENDING,
        Status.PENDING,
        Status.PUBLISHED,
    ]
    assert fresh(first).held_because == "new_account"
    assert_held_and_hidden(
        first, client, client_for, newcomer, other_reader, "My very first comment."
    )
    assert "My third comment." in thread_doc(client, article).text()


def test_first_n_is_off_by_default(article):
    assert post(article, UserFactory()).status == Status.PUBLISHED


def test_a_held_comment_with_replies_shows_a_placeholder(
    client, client_for, moderator, article, reader, other_reader
):
    moderation_services.user_set_premoderation(
        user=reader, acting_user=moderator, premoderated=True
    )
    held = post(article, reader, "Held words with a reply.")
    # A moderator (not pre-moderated) replies under it.
    reply = post(article, moderator, "A moderator's reply.", parent=held)
    els = comment_elements(thread_doc(client, article))
    assert "Held words with a reply." not in els[held.pk].text()
    assert "awaiting moderation" in els[held.pk].text()
    assert els[reply.pk].is_inside(els[held.pk])


def test_rejecting_a_held_comment_tells_its_author(client_for, moderator, article, reader):
    moderation_services.article_set_comment_mode(
        article=article, mode="premoderated", acting_user=moderator
    )
    c = post(article, reader, "Never to be seen.")
    moderation_services.comment_reject(comment=c, acting_user=moderator, reason="off_topic")
    own = comment_elements(thread_doc(client_for(reader), article))[c.pk].text()
    assert "Removed by a moderator (Off-topic)" in own and "Only you can see this" in own
