"""Moderation desk tests; shared helpers live here (the package owns no conftest)."""

from __future__ import annotations

from django.urls import reverse

from comments.models import Comment
from moderation import services as moderation_services
from moderation.models import Flag, ModerationEvent
from tests.factories import parse_html, trusted_reader


def action_url(comment, action: str) -> str:
    return reverse("moderation:comment_action", args=[comment.pk, action])


def user_action_url(user, action: str) -> str:
    return reverse("moderation:user_action", args=[user.pk, action])


def events(action=None, **filters) -> int:
    qs = ModerationEvent.objects.filter(**filters)
    if action is not None:
        qs = qs.filter(action=action)
    return qs.count()


def fresh(obj):
    obj.refresh_from_db()
    return obj


def flag_by_readers(comment, n: int, reason="abuse", note=""):
    """n distinct established readers report the comment through the service; returns the
    readers."""
    readers = [trusted_reader() for _ in range(n)]
    for r in readers:
        moderation_services.comment_flag(comment=comment, reporter=r, reason=reason, note=note)
    return readers


def seen_token(comment) -> str:
    return moderation_services.decision_token(Comment.objects.get(pk=comment.pk))


def thread_doc(client, article):
    response = client.get(reverse("article", kwargs={"slug": article.slug}))
    assert response.status_code == 200
    return parse_html(response.content)


def text_of(response) -> str:
    """The visible text of a response (tags stripped, whitespace collapsed)."""
    doc = parse_html(response.content)
    return " ".join(doc.text().split())


def open_flags(comment) -> int:
    return Flag.objects.filter(comment=comment, is_open=True).count()
