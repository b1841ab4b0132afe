"""A reader's public profile and everything Newsroom holds about them (the data export).

The profile costs a fixed number of queries whatever the number of comments on it: the
account, the page's comments with their articles (one join), their count and the reactions
received. The export costs one query per section.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from comments import selectors as comment_selectors
from comments.models import Comment, Reaction
from moderation.models import Flag, UserModeration

Status = Comment.Status

EXPORT_FORMAT = "newsroom-data-export/1"


def profile_owner(username: str) -> User | None:
    """The account a profile URL names, or None (a 404): unknown, deleted, and accounts still
    waiting for their confirmation link (sign-up never says whether an address has one)."""
    return (
        User.objects.filter(username=username, deleted_at__isnull=True, awaiting_confirmation=False)
        .only("pk", "username", "display_name", "date_joined", "deleted_at", "is_active")
        .first()
    )


def is_owner(owner: User, viewer) -> bool:
    return viewer is not None and viewer.is_authenticated and viewer.pk == owner.pk


def profile_comments_queryset(owner: User, viewer) -> QuerySet[Comment]:
    """The comments a profile lists to `viewer`, newest first.

    Everyone sees the published ones on published articles. The owner also sees their own
    comments awaiting moderation (marked as such), as they do in the thread; nobody sees
    removed or withdrawn ones here, nor any comment on an article not yet published.
    """
    statuses = [Status.PUBLISHED]
    if is_owner(owner, viewer):
        statuses.append(Status.PENDING)
    return (
        Comment.objects.filter(
            author_id=owner.pk,
            status__in=statuses,
            article__published_at__lte=timezone.now(),
        )
        .select_related("article")
        .only(
            "pk",
            "body_html",
            "status",
            "created_at",
            "edited_at",
            "reaction_count",
            "article__slug",
            "article__title",
        )
        .order_by("-created_at", "-pk")
    )


def profile_page(owner: User, viewer, *, page: int) -> Page:
    """One page of the profile's comments; raises django.core.paginator.InvalidPage past the
    last page (the view answers 404). An empty first page is a page."""
    paginator = Paginator(
        profile_comments_queryset(owner, viewer), settings.NEWSROOM["PROFILE_PAGE_SIZE"]
    )
    return paginator.page(page)


def reactions_received(owner: User) -> int:
    return comment_selectors.reactions_received(owner)


# --- the data export --------------------------------------------------------------------------
# One builder per section, in order: each takes the account and returns what goes under its
# name. Adding a section (another app's settings, say) is one function and one entry here.
# Nothing in a section names or identifies another reader: no other author, reporter or
# moderator, only ids of comments and the articles they belong to.


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "reactions_received": comment_selectors.reactions_received(user),
    }


def _comments(user: User) -> list[dict[str, Any]]:
    rows = (
        Comment.objects.filter(author_id=user.pk)
        .order_by("created_at", "pk")
        .values(
            "pk",
            "article__slug",
            "article__title",
            "parent_id",
            "created_at",
            "edited_at",
            "status",
            "held_because",
            "rejection_reason",
            "rejection_note",
            "reaction_count",
            "body_raw",
            "body_html",
        )
    )
    return [
        {
            "id": r["pk"],
            "article": {"slug": r["article__slug"], "title": r["article__title"]},
            "parent_id": r["parent_id"],
            "created_at": _iso(r["created_at"]),
            "edited_at": _iso(r["edited_at"]),
            "status": r["status"],
            "held_because": r["held_because"],
            "rejection_reason": r["rejection_reason"],
            "rejection_note": r["rejection_note"],
            "reactions": r["reaction_count"],
            "body_raw": r["body_raw"],
            "body_html": r["body_html"],
        }
        for r in rows
    ]


def _reactions(user: User) -> list[dict[str, Any]]:
    rows = (
        Reaction.objects.filter(user_id=user.pk)
        .order_by("created_at", "pk")
        .values("comment_id", "comment__article__slug", "created_at")
    )
    return [
        {
            "comment_id": r["comment_id"],
            "article_slug": r["comment__article__slug"],
            "created_at": _iso(r["created_at"]),
        }
        for r in rows
    ]


def _flags(user: User) -> list[dict[str, Any]]:
    rows = (
        Flag.objects.filter(reporter_id=user.pk)
        .order_by("created_at", "pk")
        .values("comment_id", "comment__article__slug", "reason", "note", "is_open", "created_at")
    )
    return [
        {
            "comment_id": r["comment_id"],
            "article_slug": r["comment__article__slug"],
            "reason": r["reason"],
            "note": r["note"],
            "open": r["is_open"],
            "created_at": _iso(r["created_at"]),
        }
        for r in rows
    ]


def _standing(user: User) -> dict[str, Any]:
    """The reader's standing with the desk, as the refusals they meet already tell them."""
    row = (
        UserModeration.objects.filter(user_id=user.pk)
        .values("standing", "suspended_until", "standing_reason", "premoderated")
        .first()
    )
    if row is None:
        return {"standing": UserModeration.Standing.ACTIVE.value, "premoderated": False}
    return {
        "standing": row["standing"],
        "suspended_until": _iso(row["suspended_until"]),
        "reason": row["standing_reason"],
        "premoderated": row["premoderated"],
    }


ExportSection = Callable[[User], Any]

EXPORT_SECTIONS: list[tuple[str, ExportSection]] = [
    ("account", _account),
    ("comments", _comments),
    ("reactions_given", _reactions),
    ("flags_filed", _flags),
    ("moderation_standing", _standing),
]


def data_export(user: User) -> dict[str, Any]:
    """Everything Newsroom holds about `user`, as JSON-ready values, section by section."""
    export: dict[str, Any] = {"format": EXPORT_FORMAT, "exported_at": _iso(timezone.now())}
    for name, build in EXPORT_SECTIONS:
        export[name] = build(user)
    return export
