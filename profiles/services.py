"""A reader's writes to their own account: a new display name, deleting the account.

Both touch other apps' rows (every thread that shows the name is re-rendered; a deletion
changes comments and reactions and is audited), which is why they live here and not in
accounts, which imports no other app of ours.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import services as account_services
from accounts.models import User
from articles.models import Article
from comments.models import Comment, Reaction
from moderation.audit import Action, record
from moderation.models import ModerationEvent

Status = Comment.Status
bump_thread_version = Article.objects.bump_thread_version

KEEP, HIDE, SCRUB = "keep", "hide", "scrub"  # settings.NEWSROOM["DELETED_ACCOUNT_COMMENTS"]
_TEXT_NOTE = {
    KEEP: "text kept",
    HIDE: "text hidden from readers",
    SCRUB: "text erased",
}
STAFF_NOT_DELETABLE = (
    "Staff accounts are not deleted from here: ask another member of staff to deactivate it "
    "in the admin. Nothing was changed."
)
NOT_CONFIRMED = "That is not your password. Nothing was deleted."


def _bump_threads_of(user_id: int) -> None:
    """Re-render every thread the author's name or comments appear in (in the caller's
    transaction): rendered pieces, shared anonymous pages and their local copies are keyed by
    the article's thread version."""
    article_ids = (
        Comment.objects.filter(author_id=user_id)
        .order_by("article_id")
        .values_list("article_id", flat=True)
        .distinct()
    )
    for article_id in article_ids:
        bump_thread_version(article_id)


def display_name_change(*, user: User, display_name: str, acting_user) -> User:
    """A reader renames themselves (the name already validated by accounts.forms'
    clean_display_name); threads show the new name on their next request."""
    if acting_user is None or acting_user.pk != user.pk:
        raise PermissionDenied("You can only change your own name.")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.display_name == display_name:
            return locked
        locked.display_name = display_name
        locked.full_clean(exclude=["password", "username", "email"])
        locked.save(update_fields=["display_name"])
        _bump_threads_of(locked.pk)
    user.display_name = locked.display_name
    return locked


@dataclass(frozen=True)
class DeletionSummary:
    comments: int  # the account's comments, all kept in their threads
    hidden: int  # of which this deletion withdrew from public view
    mode: str


def account_delete(*, user: User, password: str, acting_user) -> DeletionSummary:
    """The owner deletes their account, confirming with their password.

    The user row is anonymised, not deleted (accounts.services.anonymise): comments, flags,
    findings, notes, standing and every audit event about the account stay, pointing at the
    same primary key, and threads call the author "[deleted user]". What the comments show is
    settings.NEWSROOM["DELETED_ACCOUNT_COMMENTS"]: `keep` their text; `hide` it (published and
    held ones become "[deleted]" placeholders, one audit event each, the text kept for
    moderators); `scrub` it from the database as well. Replies stay where they are. The
    reactions the reader gave stay in the counts, no longer linked to them.

    Refused, with nothing written: someone else's account (PermissionDenied), a staff account
    and a wrong password (ValidationError). One transaction: the account row locked, the
    comments and reactions, the audit event and a thread-version bump of every article the
    reader commented on, so every thread shows "[deleted user]" on its next request.
    """
    if acting_user is None or not acting_user.is_authenticated or acting_user.pk != user.pk:
        raise PermissionDenied("You can only delete your own account.")
    if user.is_staff or user.is_superuser:
        raise ValidationError(STAFF_NOT_DELETABLE)
    if not user.check_password(password):
        raise ValidationError(NOT_CONFIRMED, code="wrong_password")
    mode = settings.NEWSROOM["DELETED_ACCOUNT_COMMENTS"]
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.deleted_at is not None or not locked.is_active:
            raise PermissionDenied("This account can no longer be deleted from here.")
        original_username = locked.get_username()
        comments = Comment.objects.filter(author_id=locked.pk)
        total = comments.count()
        hidden_rows: list[tuple[int, str, int]] = []
        if mode in (HIDE, SCRUB):
            hidden_rows = list(
                comments.filter(status__in=[Status.PUBLISHED, Status.PENDING]).values_list(
                    "pk", "status", "article_id"
                )
            )
            # Not a tree column: status only (the tree is untouched, replies stay put).
            Comment.objects.filter(pk__in=[pk for pk, _, _ in hidden_rows]).update(
                status=Status.DELETED
            )
            # One event per withdrawn comment, as if its author had deleted it: each
            # comment's history on the desk says why it went. New rows only (append-only).
            ModerationEvent.objects.bulk_create(
                ModerationEvent(
                    action=Action.DELETE_OWN,
                    actor_id=locked.pk,
                    actor_name=original_username,
                    comment_id=pk,
                    article_id=article_id,
                    state_before=before,
                    state_after=Status.DELETED,
                    note="account deleted",
                )
                for pk, before, article_id in hidden_rows
            )
        if mode == SCRUB:
            comments.update(body_raw="", body_html="")
        Reaction.objects.filter(user_id=locked.pk).update(user=None)
        record(
            Action.ACCOUNT_DELETE,
            actor=locked,
            target_user=locked,
            reason=mode,
            note=(
                f"{total} comment{'s' if total != 1 else ''} kept in their threads; "
                f"{len(hidden_rows)} withdrawn from public view; {_TEXT_NOTE[mode]}"
            ),
        )
        _bump_threads_of(locked.pk)
        account_services.anonymise(locked)
    return DeletionSummary(comments=total, hidden=len(hidden_rows), mode=mode)
