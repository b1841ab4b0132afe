"""Bad input: every refusal says why, and nothing is written."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.models import Comment
from moderation.models import ModerationEvent
from tests.factories import ArticleFactory, parse_html, post

pytestmark = pytest.mark.django_db

Action = ModerationEvent.Action


@contextmanager
def nothing_written():
    """Asserts that no comment, event or change to an existing comment happens inside
    (a "denied" audit event recording the refused attempt itself is allowed)."""
    comments = list(Comment.objects.order_by("pk").values())
    events = ModerationEvent.objects.exclude(action="denied").count()
    yield
    assert list(Comment.objects.order_by("pk").values()) == comments
    assert ModerationEvent.objects.exclude(action="denied").count() == events


def error_text(response) -> str:
    errors = parse_html(response.content).find("ul", class_="errors")
    assert errors is not None, response.content.decode()[:2000]
    return errors.text()


def create_url(article):
    return f"/articles/{article.slug}/comment/"


BAD_BODIES = [
    pytest.param("", "Write something before posting.", id="empty"),
    pytest.param(" \n\t \r\n ", "Write something before posting.", id="whitespace"),
    pytest.param(
        "<script></script>",
        "Nothing would be left to show after removing markup.",
        id="empty-after-sanitizing",
    ),
    pytest.param(
        "<p> </p><b></b><img src=x onerror=alert(1)>",
        "Nothing would be left to show after removing markup.",
        id="only-markup",
    ),
    pytest.param(
        "x" * 10_001,
        "Comments are limited to 10,000 characters (this one has 10,001).",
        id="too-long",
    ),
    pytest.param(
        "Hello\x00world", "The text contains a NUL character; remove it and retry.", id="nul-byte"
    ),
]


@pytest.mark.parametrize("body, message", BAD_BODIES)
def test_bad_body_in_a_top_level_post(client_for, article, reader, body, message):
    c = client_for(reader)
    with nothing_written():
        response = c.post(create_url(article), {"body": body})
    assert response.status_code == 400
    assert message in error_text(response)


@pytest.mark.parametrize("body, message", BAD_BODIES)
def test_bad_body_in_a_reply(client_for, article, reader, body, message):
    root = post(article)
    c = client_for(reader)
    with nothing_written():
        response = c.post(
            f"/comments/{root.pk}/reply/", {"body": body}, headers={"HX-Request": "true"}
        )
    assert response.status_code == 400
    assert message in error_text(response)


@pytest.mark.parametrize("body, message", BAD_BODIES)
def test_bad_body_in_an_edit(client_for, article, reader, body, message):
    comment = post(article, reader, "Fine as it is")
    c = client_for(reader)
    with nothing_written():
        response = c.post(f"/comments/{comment.pk}/edit/", {"body": body})
    assert response.status_code == 400
    assert message in error_text(response)


@pytest.mark.parametrize("body, message", BAD_BODIES)
def test_bad_body_at_the_service(article, reader, body, message):
    with nothing_written(), pytest.raises(ValidationError) as exc:
        services.comment_create(article=article, author=reader, body=body)
    assert message in exc.value.messages


def test_exactly_the_limit_is_accepted(article, reader):
    comment = services.comment_create(article=article, author=reader, body="x" * 10_000)
    assert len(comment.body_raw) == 10_000


def test_parent_in_another_article_is_refused(article, reader):
    elsewhere = post(ArticleFactory(), body="Elsewhere")
    with nothing_written(), pytest.raises(ValidationError) as exc:
        services.comment_create(article=article, author=reader, body="Hi", parent=elsewhere)
    assert "That comment belongs to another article." in exc.value.messages
    with nothing_written(), pytest.raises(ValidationError):
        services.comment_create(article=article, author=reader, body="Hi", parent=elsewhere.pk)


def test_parent_that_does_not_exist_is_refused(client_for, article, reader):
    with nothing_written(), pytest.raises(ValidationError) as exc:
        services.comment_create(article=article, author=reader, body="Hi", parent=987654)
    assert "The comment you are replying to does not exist." in exc.value.messages
    with nothing_written():
        response = client_for(reader).post("/comments/987654/reply/", {"body": "Hi"})
    assert response.status_code == 404


def test_reply_on_a_closed_article_is_refused(client_for, article, reader):
    root = post(article)
    Article.objects.filter(pk=article.pk).update(comment_mode=Article.CommentMode.CLOSED)
    c = client_for(reader)
    with nothing_written():
        response = c.post(f"/comments/{root.pk}/reply/", {"body": "Late reply"})
        top = c.post(create_url(article), {"body": "Late comment"})
    assert response.status_code == 400 and top.status_code == 400
    assert "Comments are closed on this article." in error_text(response)
    assert "Comments are closed on this article." in error_text(top)
    with nothing_written(), pytest.raises(ValidationError):
        services.comment_create(article=article, author=reader, body="Late", parent=root)


def test_reply_to_a_deleted_comment_is_refused(client_for, article, reader, other_reader):
    root = post(article, other_reader)
    services.comment_delete_own(comment=root, acting_user=other_reader)
    with nothing_written():
        response = client_for(reader).post(f"/comments/{root.pk}/reply/", {"body": "Hi"})
    assert response.status_code == 400
    assert "You can't reply to a removed comment." in error_text(response)


@pytest.mark.parametrize("action", ["edit", "delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_elses_comment_cannot_be_edited_or_deleted(
    client_for, article, reader, other_reader, action, method
):
    comment = post(article, other_reader, "Mine, not yours")
    c = client_for(reader)
    before = list(Comment.objects.values())
    events = set(ModerationEvent.objects.values_list("pk", flat=True))
    response = getattr(c, method)(f"/comments/{comment.pk}/{action}/", {"body": "Hijacked"})
    assert response.status_code == 403
    assert "You can only change your own comments." in response.content.decode()
    assert list(Comment.objects.values()) == before
    # The only write is the audit trail's record of the refused attempt.
    new = ModerationEvent.objects.exclude(pk__in=events)
    assert [(e.action, e.actor_id, e.comment_id) for e in new] == [
        (Action.DENIED, reader.pk, comment.pk)
    ]


def test_service_refuses_someone_elses_comment(article, reader, other_reader):
    comment = post(article, other_reader)
    with nothing_written():
        with pytest.raises(PermissionDenied, match="only edit your own"):
            services.comment_edit(comment=comment, body="x", acting_user=reader)
        with pytest.raises(PermissionDenied, match="only delete your own"):
            services.comment_delete_own(comment=comment, acting_user=reader)
        with pytest.raises(PermissionDenied):
            services.comment_edit(comment=comment, body="x", acting_user=None)


def test_editing_after_the_window_is_refused(article, reader):
    comment = post(article, reader, "Old words")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=15, seconds=1)
    )
    comment.refresh_from_db()
    with nothing_written(), pytest.raises(ValidationError) as exc:
        services.comment_edit(comment=comment, body="New words", acting_user=reader)
    assert exc.value.messages == ["Comments can only be edited within 15 minutes of posting."]


@pytest.mark.parametrize("url", ["/articles/{slug}/comment/"])
@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_write_url_refuses_other_methods(client_for, article, reader, url, method):
    with nothing_written():
        response = getattr(client_for(reader), method)(url.format(slug=article.slug))
    assert response.status_code == 405


@pytest.mark.parametrize("action", ["reply", "edit", "delete", "flag"])
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_comment_action_urls_take_only_get_and_post(client_for, article, reader, action, method):
    comment = post(article, reader)
    with nothing_written():
        response = getattr(client_for(reader), method)(f"/comments/{comment.pk}/{action}/")
    assert response.status_code == 405


@pytest.mark.parametrize("action", ["reply", "edit", "delete", "flag"])
def test_get_on_comment_action_urls_shows_a_form_and_writes_nothing(
    client_for, article, reader, action
):
    own = post(article, reader)
    others = post(article)
    target = others if action in ("reply", "flag") else own
    with nothing_written():
        response = client_for(reader).get(f"/comments/{target.pk}/{action}/")
    assert response.status_code == 200
    assert parse_html(response.content).find("form", method="post") is not None


def test_missing_csrf_token_is_refused(article, reader):
    root = post(article, reader)
    c = Client(enforce_csrf_checks=True)
    c.force_login(reader)
    with nothing_written():
        for url in (
            create_url(article),
            f"/comments/{root.pk}/reply/",
            f"/comments/{root.pk}/edit/",
            f"/comments/{root.pk}/delete/",
        ):
            response = c.post(url, {"body": "No token"})
            assert response.status_code == 403, url


def test_honeypot_filled_is_refused(client_for, article, reader):
    root = post(article)
    c = client_for(reader)
    with nothing_written():
        response = c.post(
            create_url(article), {"body": "Buy now", "website": "http://spam.example"}
        )
        reply = c.post(
            f"/comments/{root.pk}/reply/",
            {"body": "Buy", "website": "x"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 400 and reply.status_code == 400
    assert "Your comment could not be posted." in error_text(response)
    assert "Your comment could not be posted." in error_text(reply)


def test_anonymous_cannot_post_through_the_service(article):
    with nothing_written(), pytest.raises(PermissionDenied, match="Sign in"):
        services.comment_create(article=article, author=None, body="Hello")


def test_rejected_body_is_kept_in_the_form_for_correction(client_for, article, reader):
    response = client_for(reader).post(create_url(article), {"body": "y" * 10_001})
    assert parse_html(response.content).find("textarea").text() == "y" * 10_001
