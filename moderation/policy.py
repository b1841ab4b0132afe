"""Who may post, and whether a new comment waits in Pending: the moderation policy.

The hold checks run in order and the first that applies names the reason (Coral calls these
moderation phases). Each is a small function of the same facts, so adding one is one entry in
HOLD_CHECKS, and the reason a comment was held is recorded with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article
from comments.models import Comment

from . import detection
from .models import UserModeration

Held = Comment.HeldBecause


class PostingBlocked(PermissionDenied):
    """The author is suspended or banned; the message says why and until when."""


def standing_of(user) -> UserModeration | None:
    """The user's standing, or None for an ordinary active reader."""
    if get_user_model().moderation.is_cached(user):  # read with the signed-in user (accounts.backends)
        return getattr(user, "moderation", None)
    return UserModeration.objects.filter(user=user).first()


def check_can_post(user, now) -> UserModeration | None:
    """Refuse anonymous, suspended and banned authors; return the author's standing."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Sign in to comment.")
    standing = standing_of(user)
    if standing is not None and standing.blocks_posting(now):
        if standing.standing == UserModeration.Standing.BANNED:
            message = "Your account is banned from commenting"
        else:
            until = timezone.localtime(standing.suspended_until)
            message = f"Your account is suspended until {until:%d %b %Y, %H:%M %Z}"
        reason = f": {standing.standing_reason}" if standing.standing_reason else "."
        raise PostingBlocked(message + reason)
    return standing


@dataclass(frozen=True)
class NewComment:
    """What the hold checks know about a comment about to be stored."""

    article: Article
    author: Any  # the user model
    standing: UserModeration | None
    detected: detection.DetectionResult


def detector_holds(result: detection.DetectionResult) -> bool:
    """The detector's part of the policy alone (imports apply it: they have no author)."""
    return result.severity == detection.SEVERITY_HOLD


def _detector_holds(c: NewComment) -> bool:
    return detector_holds(c.detected)


def _article_premoderated(c: NewComment) -> bool:
    return c.article.comment_mode == Article.CommentMode.PREMODERATED


def _author_premoderated(c: NewComment) -> bool:
    return c.standing is not None and c.standing.premoderated


def _new_account(c: NewComment) -> bool:
    first_n = settings.NEWSROOM["PREMODERATE_FIRST_N"]
    return bool(first_n) and c.author.comments.count() < first_n


HOLD_CHECKS: tuple[tuple[str, Callable[[NewComment], bool]], ...] = (
    (Held.DETECTOR, _detector_holds),
    (Held.PREMODERATED_ARTICLE, _article_premoderated),
    (Held.PREMODERATED_USER, _author_premoderated),
    (Held.NEW_ACCOUNT, _new_account),
)


def hold_reason(comment: NewComment) -> str:
    """Why a new comment should wait in Pending, or "" to publish it."""
    for reason, applies in HOLD_CHECKS:
        if applies(comment):
            return reason
    return Held.NONE
