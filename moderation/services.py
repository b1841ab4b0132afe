"""Every write the moderation desk makes: reader flags, decisions, article modes, user standing.

Conventions: keyword-only arguments, the acting user explicit (None = the system or the
detector), permission checks here rather than only in views, and each change written in one
transaction with its audit event and a bump of the article's thread version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import can_moderate_user, is_moderator
from articles.models import Article
from comments.models import Comment, Reason
from newsroom import ratelimits

from . import detection, policy
from .audit import Action, record
from .findings import run_detector, store_findings
from .models import Finding, Flag, UserModeration, UserNote

Status = Comment.Status
Decision = Comment.Decision
bump_thread_version = Article.objects.bump_thread_version

MAX_NOTE_CHARS = 2000
MAX_SUSPENSION = dt.timedelta(days=365)


class AlreadyDecided(ValidationError):
    """Another moderator decided this comment after the acting moderator loaded it."""


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied("Only moderators can do this.")


def clean_note(note: str, *, required: bool, what: str = "note", other: bool = True) -> str:
    note = (note or "").strip()
    if "\x00" in note:
        raise ValidationError({"note": f"The {what} contains a NUL character."})
    if required and not note:
        raise ValidationError(
            {
                "note": f"Please add a {what} explaining “Other”."
                if other
                else f"Please add a {what}."
            }
        )
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError({"note": f"The {what} is limited to {MAX_NOTE_CHARS} characters."})
    return note


def clean_reason(reason: str) -> str:
    if reason not in Reason.values:
        raise ValidationError({"reason": f"Unknown reason “{reason}”."})
    return reason


# --- readers' flags -------------------------------------------------------------------------


def _open_reporters(comment: Comment):
    flags = Flag.objects.filter(comment=comment, is_open=True, is_detector=False)
    return [f.reporter for f in flags.select_related("reporter")]


def comment_flag(*, comment: Comment, reporter, reason: str, note: str = "") -> Flag:
    """A reader reports a comment; enough distinct readers hide it until a moderator decides."""
    if reporter is None or not reporter.is_authenticated:
        raise PermissionDenied("Sign in to report comments.")
    policy.check_can_post(reporter, timezone.now(), doing="reporting comments")
    if comment.status in (Status.PENDING, Status.DELETED, Status.REJECTED):
        # Already out of the thread (held, withdrawn or removed): nothing left to report.
        raise ValidationError("This comment is not shown in the thread, so it can't be reported.")
    reason = clean_reason(reason)
    note = clean_note(note, required=reason == Reason.OTHER)
    if comment.author_id == reporter.pk:
        raise ValidationError("You can't report your own comment.")
    ratelimits.check_flag(reporter)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    comment=comment, reporter=reporter, reason=reason, note=note
                )
        except IntegrityError:
            raise ValidationError("You have already reported this comment.") from None
        comment.open_flag_count = F("open_flag_count") + 1
        comment.save(update_fields=["open_flag_count"])
        comment.refresh_from_db(fields=["open_flag_count"])
        record(Action.FLAG, actor=reporter, comment=comment, reason=reason, note=note)
        if (
            comment.status == Status.PUBLISHED
            and comment.decision != Decision.APPROVED
            and policy.flag_weights(_open_reporters(comment), timezone.now())
            >= settings.NEWSROOM["AUTO_HIDE_FLAGS"]
        ):
            comment.status = Status.PENDING
            comment.held_because = Comment.HeldBecause.FLAGS
            comment.save(update_fields=["status", "held_because"])
            record(
                Action.AUTO_HIDE,
                actor=None,
                comment=comment,
                reason=reason,
                before=Status.PUBLISHED,
                after=Status.PENDING,
            )
            bump_thread_version(comment.article_id)
    return flag


# --- decisions on comments ------------------------------------------------------------------


def decision_token(comment: Comment) -> str:
    """What a moderator saw: a later decision by someone else makes this token stale."""
    return comment.decided_at.isoformat() if comment.decided_at else ""


def _lock_for_decision(comment, acting_user, seen_token):
    _require_moderator(acting_user)
    # No select_related("decided_by"): on PostgreSQL a joined row is not re-read after waiting
    # for the row lock, so the loser of a race would see the winner's decision but no name.
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if seen_token is not None and decision_token(locked) != seen_token:
        who = locked.decided_by.get_username() if locked.decided_by_id else "another moderator"
        if locked.decision == Decision.UNDECIDED:
            # No decision stands now (an edit sent it back, say): nobody to name.
            raise AlreadyDecided(
                "This comment changed since you loaded it; nothing was changed. "
                "Reload to see it as it is now."
            )
        raise AlreadyDecided(
            f"Already {locked.get_decision_display().lower()} by {who}; nothing was changed."
        )
    return locked


def _close_flags(comment: Comment, verdict: str) -> None:
    Flag.objects.filter(comment=comment, is_open=True).update(is_open=False)
    comment.open_flag_count = 0
    Finding.objects.filter(comment=comment, is_current=True).update(verdict=verdict)


def _decide(
    comment,
    acting_user,
    seen_token,
    action,
    change: Callable[[Comment], bool],
    *,
    reason: str = "",
    note: str = "",
) -> Comment:
    """Lock the comment, apply `change` (False: nothing to do), stamp and record the decision.

    One transaction: the row lock makes a second moderator wait, then see the first one's
    decision (AlreadyDecided) instead of overwriting it.
    """
    with transaction.atomic():
        c = _lock_for_decision(comment, acting_user, seen_token)
        before = c.status
        if not change(c):
            return c
        c.decided_by, c.decided_at = acting_user, timezone.now()
        # The article row after the comment's (locked above); the comment's row is ours.
        version = bump_thread_version(c.article_id)
        if c.status == Status.PUBLISHED and before != Status.PUBLISHED:
            c.published_version = version  # back in the thread: new to every reader's page
        c.save()
        record(
            action,
            actor=acting_user,
            comment=c,
            reason=reason,
            note=note,
            before=before,
            after=c.status,
        )
    return c


def comment_approve(*, comment: Comment, acting_user, seen_token: str | None = None) -> Comment:
    """Publish (or keep published) a comment and close its flags; approving twice is a no-op."""

    def approve(c: Comment) -> bool:
        if (
            c.decision == Decision.APPROVED
            and c.status == Status.PUBLISHED
            and not c.open_flag_count
        ):
            return False
        if c.status == Status.DELETED:
            raise ValidationError("The author deleted this comment; there is nothing to approve.")
        c.status, c.decision, c.held_because = Status.PUBLISHED, Decision.APPROVED, ""
        c.rejection_reason, c.rejection_note = "", ""
        _close_flags(c, Finding.Verdict.FALSE_POSITIVE)
        return True

    return _decide(comment, acting_user, seen_token, Action.APPROVE, approve)


def comment_reject(
    *, comment: Comment, acting_user, reason: str, note: str = "", seen_token: str | None = None
) -> Comment:
    """Remove a comment from the thread; its replies stay, under a placeholder."""
    reason = clean_reason(reason)
    note = clean_note(note, required=reason == Reason.OTHER)

    def reject(c: Comment) -> bool:
        if c.status == Status.REJECTED:
            return False
        c.status, c.decision, c.held_because = Status.REJECTED, Decision.REJECTED, ""
        c.rejection_reason, c.rejection_note = reason, note
        _close_flags(c, Finding.Verdict.TRUE_POSITIVE)
        return True

    return _decide(
        comment, acting_user, seen_token, Action.REJECT, reject, reason=reason, note=note
    )


def comment_restore(*, comment: Comment, acting_user, seen_token: str | None = None) -> Comment:
    """Bring a rejected comment back into the thread."""

    def restore(c: Comment) -> bool:
        if c.status != Status.REJECTED:
            raise ValidationError("Only a rejected comment can be restored.")
        c.status, c.decision = Status.PUBLISHED, Decision.APPROVED
        c.rejection_reason, c.rejection_note = "", ""
        return True

    return _decide(comment, acting_user, seen_token, Action.RESTORE, restore)


def _toggle(comment, acting_user, field, value, on_action, off_action) -> Comment:
    _require_moderator(acting_user)
    with transaction.atomic():
        c = Comment.objects.select_for_update().get(pk=comment.pk)
        if getattr(c, field) == value:
            return c
        setattr(c, field, value)
        c.save(update_fields=[field])
        record(
            on_action if value else off_action,
            actor=acting_user,
            comment=c,
            before=str(not value),
            after=str(value),
        )
        bump_thread_version(c.article_id)
    return c


def comment_set_featured(*, comment: Comment, acting_user, featured: bool = True) -> Comment:
    return _toggle(comment, acting_user, "is_featured", featured, Action.FEATURE, Action.UNFEATURE)


def comment_set_locked(*, comment: Comment, acting_user, locked: bool = True) -> Comment:
    """Lock a branch: no new replies anywhere under this comment."""
    return _toggle(comment, acting_user, "is_locked", locked, Action.LOCK, Action.UNLOCK)


# --- articles and users -----------------------------------------------------------------------


def article_set_comment_mode(*, article: Article, mode: str, acting_user) -> Article:
    """Open, pre-moderate or close an article's comments."""
    _require_moderator(acting_user)
    if mode not in Article.CommentMode.values:
        raise ValidationError({"mode": f"Unknown comment mode “{mode}”."})
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.comment_mode == mode:
            return article
        before = article.comment_mode
        article.comment_mode = mode
        article.save(update_fields=["comment_mode"])
        record(Action.ARTICLE_MODE, actor=acting_user, article=article, before=before, after=mode)
        bump_thread_version(article.pk)
    article.refresh_from_db()
    return article


def _standing_for_update(user) -> UserModeration:
    standing, _ = UserModeration.objects.select_for_update().get_or_create(user=user)
    return standing


def _require_can_moderate(acting_user, user) -> None:
    _require_moderator(acting_user)
    if not can_moderate_user(acting_user, user):
        raise PermissionDenied("You can't change this account's standing.")


def _change_standing(
    user,
    acting_user,
    action,
    change: Callable[[UserModeration], str],
    *,
    note: str = "",
    field: str = "standing",
) -> UserModeration:
    """Apply `change` to the user's standing under its row lock and record it.

    `change` returns the state to record as "after"; "before" is `field` as it was.
    """
    with transaction.atomic():
        standing = _standing_for_update(user)
        before = str(getattr(standing, field))
        after = change(standing)
        standing.save()
        record(action, actor=acting_user, target_user=user, note=note, before=before, after=after)
    return standing


def user_suspend(*, user, acting_user, duration: dt.timedelta, reason: str = "") -> UserModeration:
    """Stop a user posting until now + duration (1 minute to 365 days)."""
    _require_can_moderate(acting_user, user)
    if not isinstance(duration, dt.timedelta) or duration <= dt.timedelta(0):
        raise ValidationError({"duration": "A suspension must last a positive length of time."})
    if duration > MAX_SUSPENSION:
        raise ValidationError({"duration": "A suspension can last at most 365 days; ban instead."})
    reason = clean_note(reason, required=False, what="reason")

    def suspend(standing: UserModeration) -> str:
        standing.standing = UserModeration.Standing.SUSPENDED
        standing.suspended_until = timezone.now() + duration
        standing.standing_reason = reason
        return f"suspended until {standing.suspended_until:%Y-%m-%d %H:%M}"

    return _change_standing(user, acting_user, Action.SUSPEND, suspend, note=reason)


def user_ban(*, user, acting_user, reason: str = "") -> UserModeration:
    _require_can_moderate(acting_user, user)
    reason = clean_note(reason, required=False, what="reason")

    def ban(standing: UserModeration) -> str:
        standing.standing, standing.suspended_until = UserModeration.Standing.BANNED, None
        standing.standing_reason = reason
        return standing.standing

    return _change_standing(user, acting_user, Action.BAN, ban, note=reason)


def user_reinstate(*, user, acting_user) -> UserModeration:
    _require_can_moderate(acting_user, user)

    def reinstate(standing: UserModeration) -> str:
        standing.standing, standing.suspended_until = UserModeration.Standing.ACTIVE, None
        standing.standing_reason = ""
        return standing.standing

    return _change_standing(user, acting_user, Action.REINSTATE, reinstate)


def user_set_premoderation(*, user, acting_user, premoderated: bool) -> UserModeration:
    _require_can_moderate(acting_user, user)

    def premoderate(standing: UserModeration) -> str:
        standing.premoderated = premoderated
        return str(premoderated)

    return _change_standing(
        user, acting_user, Action.PREMODERATE_USER, premoderate, field="premoderated"
    )


def user_add_note(*, user, acting_user, body: str) -> UserNote:
    """A moderator's note on a reader's record (never on a superuser's, nor on one's own)."""
    _require_moderator(acting_user)
    if user.is_superuser or user.pk == acting_user.pk:
        raise PermissionDenied("You can't add notes about this account.")
    body = clean_note(body, required=True, what="note", other=False)
    with transaction.atomic():
        note = UserNote.objects.create(user=user, author=acting_user, body=body)
        record(Action.USER_NOTE, actor=acting_user, target_user=user, note=body)
    return note


# --- the detector ---------------------------------------------------------------------------


def comment_rescan(*, comment: Comment) -> bool:
    """Re-run the detector on a stored comment; store findings (and a flag) only if they changed.

    Findings the new detector agrees with are kept, stamped with its version: re-scanning after
    an upgrade files nothing twice, and every current finding names the detector behind it.
    """
    result = run_detector(comment.body_raw)
    current_findings = Finding.objects.filter(comment=comment, is_current=True)
    current = set(current_findings.values_list("start", "end", "rule"))
    fresh = {(f.start, f.end, f.rule) for f in result.findings}
    if current == fresh:
        current_findings.exclude(detector_version=detection.DETECTOR_VERSION).update(
            detector_version=detection.DETECTOR_VERSION
        )
        return False
    with transaction.atomic():
        store_findings(comment, result)
        record(
            Action.FLAG if result.findings else Action.EDIT,
            actor=None,
            comment=comment,
            reason="detector_rescan",
            note=f"{len(result.findings)} finding(s)",
        )
        bump_thread_version(comment.article_id)
    return True
