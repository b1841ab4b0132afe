"""Who may post, and whether a new comment waits in Pending: the moderation policy.

The hold checks run in order and the first that applies names the reason (Coral calls these
moderation phases). Each is a small function of the same facts, so adding one is one entry in
HOLD_CHECKS, and the reason a comment was held is recorded with it.
"""

from __future__ import annotations

import datetime as dt
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
    if get_user_model().moderation.is_cached(
        user
    ):  # read with the signed-in user (accounts.backends)
        return getattr(user, "moderation", None)
    return UserModeration.objects.filter(user=user).first()


def check_can_post(user, now, *, doing: str = "commenting") -> UserModeration | None:
    """Refuse anonymous, suspended and banned users; return the user's standing.

    The one check for every reader write: posting, editing (`doing="editing"`) and reporting
    (`doing="reporting comments"`) alike.
    """
    if user is None or not user.is_authenticated:
        raise PermissionDenied(
            "Sign in to comment." if doing == "commenting" else f"Sign in before {doing}."
        )
    standing = standing_of(user)
    if standing is not None and standing.blocks_posting(now):
        if standing.standing == UserModeration.Standing.BANNED:
            message = f"Your account is banned from {doing}"
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


def edit_hold_reason(comment: NewComment, *, approved: bool) -> str:
    """Why an edited, published comment should go back to Pending, or "" to keep it up.

    The hold checks as for a new comment, except the new-account one (the comment already
    counts); and on a comment a moderator approved, any detector finding: the approval was of
    the old text.
    """
    for reason, applies in HOLD_CHECKS:
        if reason != Held.NEW_ACCOUNT and applies(comment):
            return reason
    if approved and comment.detected.flagged:
        return Held.DETECTOR
    return Held.NONE


def flag_weights(reporters, now) -> float:
    """How much a set of readers' reports weigh toward hiding a comment (AUTO_HIDE_FLAGS).

    Accounts are cheap to make, so a report counts by its author's age and record: nothing
    from an account younger than FLAG_MIN_ACCOUNT_HOURS; half from one younger than
    FLAG_FULL_WEIGHT_DAYS that has no published comment; one otherwise.
    """
    min_age = dt.timedelta(hours=settings.NEWSROOM["FLAG_MIN_ACCOUNT_HOURS"])
    full_age = dt.timedelta(days=settings.NEWSROOM["FLAG_FULL_WEIGHT_DAYS"])
    grown = [u for u in reporters if now - u.date_joined >= min_age]
    young = [u for u in grown if now - u.date_joined < full_age]
    with_record = (
        set(
            Comment.objects.filter(author__in=young, status=Comment.Status.PUBLISHED).values_list(
                "author_id", flat=True
            )
        )
        if young
        else set()
    )
    return sum(0.5 if u in young and u.pk not in with_record else 1.0 for u in grown)
