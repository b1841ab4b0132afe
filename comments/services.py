"""Every write to comments, flags, articles' comment modes and users' standing.

Conventions: keyword-only arguments, the acting user explicit (None = the system or detector),
permission checks here rather than only in views, and each change written in one transaction
with its audit event and a bump of the article's thread version (the cache key of its thread).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from articles.models import Article
from newsroom.compiled import CompiledGet

from moderation import detection

from . import ratelimits
from .locks import TreeBusy, lock_new_roots, lock_tree, lock_tree_of
from .models import (
    Comment,
    DetectorTerm,
    Finding,
    Flag,
    ModerationEvent,
    Reason,
    UserModeration,
    UserNote,
)
from .nested_set import number_tree
from .permissions import can_moderate_user, is_moderator
from .sanitize import render_body, visible_text

Action = ModerationEvent.Action
Status = Comment.Status
Decision = Comment.Decision

MAX_NOTE_CHARS = 2000
MAX_SUSPENSION = dt.timedelta(days=365)
NO_SUCH_PARENT = "The comment you are replying to does not exist."

# A reply's parent as comment_create re-reads it under the tree lock: its article (closed
# now?) and whether it or an ancestor is locked come in the same round trip. Compiled once:
# the ORM spends longer building this query than the database spends answering it.
_PARENT_WITH_ARTICLE_AND_LOCKS = CompiledGet(lambda: Comment.objects.select_related(
    "article").annotate(locked_above=Exists(Comment.objects.filter(
        tree_id=OuterRef("tree_id"), lft__lte=OuterRef("lft"), rght__gte=OuterRef("rght"),
        is_locked=True))))


class AlreadyDecided(ValidationError):
    """Another moderator decided this comment after the acting moderator loaded it."""


class PostingBlocked(PermissionDenied):
    """The author is suspended or banned; the message says why and until when."""


# --- helpers ---------------------------------------------------------------------------------


def _record(action, *, actor, comment=None, article=None, target_user=None, reason="",
            note="", before="", after="") -> ModerationEvent:
    event = ModerationEvent(
        action=action,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "system",
        comment=comment,
        article=article if article is not None else getattr(comment, "article", None),
        target_user=target_user,
        reason=reason,
        note=note,
        state_before=before,
        state_after=after,
    )
    event.save()
    return event


def _touch_thread(article_id: int) -> None:
    """Invalidate every cached rendering of the article's thread (same transaction as the change).

    Every write makes this one-row UPDATE; the ORM takes longer to build it than the database
    takes to run it, so it is written out once.
    """
    with connection.cursor() as cursor:
        cursor.execute(_BUMP_THREAD_VERSION_SQL, [article_id])


_BUMP_THREAD_VERSION_SQL = (  # names from the model, never from input
    f'UPDATE "{Article._meta.db_table}" SET "thread_version" = "thread_version" + 1 '  # noqa: S608
    f'WHERE "{Article._meta.pk.column}" = %s'
)


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied("Only moderators can do this.")


def _clean_body(body: str) -> tuple[str, str]:
    """Validate a reader's text; return (raw, html) or raise ValidationError with the reason."""
    if body is None or not body.strip():
        raise ValidationError({"body": "Write something before posting."})
    if "\x00" in body:
        raise ValidationError({"body": "The text contains a NUL character; remove it and retry."})
    limit = settings.NEWSROOM["MAX_BODY_CHARS"]
    if len(body) > limit:
        raise ValidationError(
            {"body": f"Comments are limited to {limit:,} characters (this one has {len(body):,})."}
        )
    html = render_body(body)
    if not visible_text(html):
        raise ValidationError({"body": "Nothing would be left to show after removing markup."})
    return body, html


def _clean_note(note: str, *, required: bool, what: str = "note") -> str:
    note = (note or "").strip()
    if "\x00" in note:
        raise ValidationError({"note": f"The {what} contains a NUL character."})
    if required and not note:
        raise ValidationError({"note": f"Please add a {what} explaining “Other”."})
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError({"note": f"The {what} is limited to {MAX_NOTE_CHARS} characters."})
    return note


def _clean_reason(reason: str) -> str:
    if reason not in Reason.values:
        raise ValidationError({"reason": f"Unknown reason “{reason}”."})
    return reason


def _moderation_of(user) -> UserModeration | None:
    if get_user_model().moderation.is_cached(user):  # read with the signed-in user (accounts.backends)
        return getattr(user, "moderation", None)
    return UserModeration.objects.filter(user=user).first()


class Nudge(Exception):
    """The detector flagged a text its author has not yet confirmed; carries the finding."""

    def __init__(self, finding):
        super().__init__(finding.explanation)
        self.finding = finding


def _check_can_post(user, now) -> UserModeration | None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Sign in to comment.")
    standing = _moderation_of(user)
    if standing is not None and standing.blocks_posting(now):
        if standing.standing == UserModeration.Standing.BANNED:
            message = "Your account is banned from commenting"
        else:
            until = timezone.localtime(standing.suspended_until)
            message = f"Your account is suspended until {until:%d %b %Y, %H:%M %Z}"
        reason = f": {standing.standing_reason}" if standing.standing_reason else "."
        raise PostingBlocked(message + reason)
    return standing


def _hold_reason(article, author, standing, result) -> str:
    """Why a new comment should wait in Pending, or "" to publish it."""
    held = Comment.HeldBecause
    if result.severity == detection.SEVERITY_HOLD:
        return held.DETECTOR
    if article.comment_mode == Article.CommentMode.PREMODERATED:
        return held.PREMODERATED_ARTICLE
    if standing is not None and standing.premoderated:
        return held.PREMODERATED_USER
    first_n = settings.NEWSROOM["PREMODERATE_FIRST_N"]
    if first_n and author.comments.count() < first_n:
        return held.NEW_ACCOUNT
    return held.NONE


_terms_memo: tuple[int, tuple] = (-1, ())


def detector_extra_terms() -> tuple[detection.ExtraTerm, ...]:
    """Staff-added lexicon entries, re-read only when the admin changed them (shared cache)."""
    from django.core.cache import cache

    global _terms_memo
    version = cache.get_or_set("detector-terms-version", 0, None)
    if _terms_memo[0] != version:
        terms = tuple(
            detection.ExtraTerm(
                canonical=t.canonical,
                category=t.category,
                forms=tuple(f.strip() for f in t.forms.splitlines() if f.strip()),
                derogatory=t.is_derogatory,
            )
            for t in DetectorTerm.objects.order_by("pk")
        )
        _terms_memo = (version, terms)
    return _terms_memo[1]


def detector_terms_changed() -> None:
    """Tell every app server to reload the staff-added lexicon entries."""
    from django.core.cache import cache

    try:
        cache.incr("detector-terms-version")
    except ValueError:
        cache.set("detector-terms-version", 1, None)


def run_detector(text: str) -> detection.DetectionResult:
    return detection.detect(text, extra_terms=detector_extra_terms())


def _store_findings(comment: Comment, result, *, new: bool = False) -> None:
    if not new:  # an edit or re-scan supersedes what the detector said before
        Finding.objects.filter(comment=comment, is_current=True).update(is_current=False)
    Finding.objects.bulk_create(
        Finding(
            comment=comment,
            start=f.start,
            end=f.end,
            match=f.match,
            group=f.group,
            canonical=f.canonical,
            category=f.category,
            rule=f.rule,
            severity=f.severity,
            explanation=f.explanation,
        )
        for f in result.findings
    )
    if result.findings and comment.status == Status.PUBLISHED:
        _, created = Flag.objects.get_or_create(
            comment=comment,
            is_detector=True,
            defaults={"reason": Reason.SECTARIAN, "note": result.findings[0].explanation},
        )
        if not created:
            Flag.objects.filter(comment=comment, is_detector=True).update(is_open=True)
        Comment.objects.filter(pk=comment.pk).update(
            open_flag_count=Flag.objects.filter(comment=comment, is_open=True).count()
        )


# --- readers ---------------------------------------------------------------------------------


def comment_create(
    *,
    article: Article | None,
    author,
    body: str,
    parent: Comment | int | None = None,
    nudge: bool = False,
) -> Comment:
    """Post a top-level comment or a reply. Serializes the tree write (see comments.locks).

    A reply may name only its parent's id (article=None): the article is the parent's, read
    under the tree lock, and the parent costs no round trip of its own before the lock.
    With `nudge`, a text the detector flags raises Nudge instead of posting, so the reader can
    reconsider; that answer comes before the rate limit, which counts only real posts. The
    detector runs only on text that passed the author and length checks.
    """
    now = timezone.now()
    standing = _check_can_post(author, now)
    raw, html = _clean_body(body)
    result = run_detector(raw)
    if nudge and result.flagged:
        raise Nudge(result.findings[0])
    ratelimits.check_comment(author, raw)
    parent_id = parent.pk if isinstance(parent, Comment) else parent
    if parent_id is None and article is None:
        raise ValueError("A top-level comment needs its article.")
    parent_tree = parent.tree_id if isinstance(parent, Comment) else None
    if parent_id is not None and article is not None:
        parent_article, parent_tree = (
            (parent.article_id, parent.tree_id) if isinstance(parent, Comment)
            else Comment.objects.filter(pk=parent_id).values_list("article_id", "tree_id").first()
            or (None, None))
        if parent_article is None:
            raise ValidationError({"parent": NO_SUCH_PARENT})
        if parent_article != article.pk:
            # A guessed parent id from another article: refused, and logged as a denied attempt.
            record_denied(actor=author, comment=Comment.objects.get(pk=parent_id),
                          note=f"reply in article {article.pk} to a comment of another article")
            raise ValidationError({"parent": "That comment belongs to another article."})
    with transaction.atomic():
        # Lock order everywhere: tree lock, then comment rows, then the article row last (in
        # _touch_thread), so concurrent posts and decisions cannot deadlock.
        if parent_id is not None:
            if parent_tree is None:  # only the parent's id: read its tree while locking it
                parent_tree = lock_tree_of(parent_id)
                if parent_tree is None:
                    raise ValidationError({"parent": NO_SUCH_PARENT})
            else:
                lock_tree(parent_tree)
            # Re-read under the lock: django-mptt computes positions from the parent it is given.
            parent_obj = _PARENT_WITH_ARTICLE_AND_LOCKS.get(parent_id)
            if parent_obj is None:
                raise ValidationError({"parent": NO_SUCH_PARENT})
            article = parent_obj.article
        else:
            lock_new_roots()
            parent_obj = None
            article = Article.objects.get(pk=article.pk)
        if article.is_closed:
            raise ValidationError("Comments are closed on this article.")
        if parent_obj is not None:
            if parent_obj.tree_id != parent_tree:
                raise TreeBusy("The thread changed while you posted; please try again.")
            if parent_obj.status in (Status.DELETED, Status.REJECTED):
                raise ValidationError({"parent": "You can't reply to a removed comment."})
            if parent_obj.locked_above:
                raise ValidationError({"parent": "A moderator has locked this part of the thread."})
        held = _hold_reason(article, author, standing, result)
        comment = Comment(
            article=article,
            parent=parent_obj,
            author=author,
            body_raw=raw,
            body_html=html,
            status=Status.PENDING if held else Status.PUBLISHED,
            held_because=held,
            created_at=now,
        )
        if parent_obj is None:
            comment.save()
        else:  # parent_obj was just read under the tree lock: no need for mptt to re-read it
            comment.insert_at(parent_obj, "last-child", save=True, refresh_target=False)
        _store_findings(comment, result, new=True)
        _record(Action.POST, actor=author, comment=comment, after=comment.status)
        if held:
            _record(Action.HOLD, actor=None, comment=comment, reason=held,
                    before=Status.PUBLISHED, after=Status.PENDING)
        _touch_thread(article.pk)
    return comment


def edit_window_open(comment: Comment, now=None) -> bool:
    window = dt.timedelta(minutes=settings.NEWSROOM["EDIT_WINDOW_MINUTES"])
    return (now or timezone.now()) < comment.created_at + window


def comment_edit(*, comment: Comment, body: str, acting_user) -> Comment:
    """The author rewrites their comment within the edit window; the detector runs again."""
    if acting_user is None or comment.author_id != acting_user.pk:
        raise PermissionDenied("You can only edit your own comments.")
    if not edit_window_open(comment):
        minutes = settings.NEWSROOM["EDIT_WINDOW_MINUTES"]
        raise ValidationError(f"Comments can only be edited within {minutes} minutes of posting.")
    if comment.status in (Status.DELETED, Status.REJECTED):
        raise ValidationError("This comment can no longer be edited.")
    raw, html = _clean_body(body)
    ratelimits.check_edit(acting_user)
    result = run_detector(raw)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        previous = comment.body_raw
        before = comment.status
        comment.body_raw, comment.body_html = raw, html
        comment.edited_at = timezone.now()
        if result.severity == detection.SEVERITY_HOLD and comment.status == Status.PUBLISHED:
            comment.status = Status.PENDING
            comment.held_because = Comment.HeldBecause.DETECTOR
        comment.save(update_fields=["body_raw", "body_html", "edited_at", "status", "held_because"])
        _store_findings(comment, result)
        _record(Action.EDIT, actor=acting_user, comment=comment, note=previous,
                before=before, after=comment.status)
        _touch_thread(comment.article_id)
    return comment


def comment_delete_own(*, comment: Comment, acting_user) -> Comment:
    """The author withdraws a comment: it becomes a “[deleted]” placeholder, replies stay put."""
    if acting_user is None or comment.author_id != acting_user.pk:
        raise PermissionDenied("You can only delete your own comments.")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status == Status.DELETED:
            return comment
        before = comment.status
        comment.status = Status.DELETED
        comment.save(update_fields=["status"])
        _record(Action.DELETE_OWN, actor=acting_user, comment=comment, before=before,
                after=Status.DELETED)
        _touch_thread(comment.article_id)
    return comment


def comment_flag(*, comment: Comment, reporter, reason: str, note: str = "") -> Flag:
    """A reader reports a comment; enough distinct readers hide it until a moderator decides."""
    if reporter is None or not reporter.is_authenticated:
        raise PermissionDenied("Sign in to report comments.")
    reason = _clean_reason(reason)
    note = _clean_note(note, required=reason == Reason.OTHER)
    if comment.author_id == reporter.pk:
        raise ValidationError("You can't report your own comment.")
    ratelimits.check_flag(reporter)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        try:
            with transaction.atomic():
                flag = Flag.objects.create(comment=comment, reporter=reporter, reason=reason,
                                           note=note)
        except IntegrityError:
            raise ValidationError("You have already reported this comment.") from None
        comment.open_flag_count = F("open_flag_count") + 1
        comment.save(update_fields=["open_flag_count"])
        comment.refresh_from_db(fields=["open_flag_count"])
        _record(Action.FLAG, actor=reporter, comment=comment, reason=reason, note=note)
        readers = Flag.objects.filter(comment=comment, is_open=True, is_detector=False)
        if (
            comment.status == Status.PUBLISHED
            and comment.decision != Decision.APPROVED
            and readers.count() >= settings.NEWSROOM["AUTO_HIDE_FLAGS"]
        ):
            comment.status = Status.PENDING
            comment.held_because = Comment.HeldBecause.FLAGS
            comment.save(update_fields=["status", "held_because"])
            _record(Action.AUTO_HIDE, actor=None, comment=comment, reason=reason,
                    before=Status.PUBLISHED, after=Status.PENDING)
            _touch_thread(comment.article_id)
    return flag


# --- moderators ------------------------------------------------------------------------------


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
        raise AlreadyDecided(
            f"Already {locked.get_decision_display().lower()} by {who}; nothing was changed."
        )
    return locked


def _close_flags(comment: Comment, verdict: str) -> None:
    Flag.objects.filter(comment=comment, is_open=True).update(is_open=False)
    comment.open_flag_count = 0
    Finding.objects.filter(comment=comment, is_current=True).update(verdict=verdict)


def comment_approve(*, comment: Comment, acting_user, seen_token: str | None = None) -> Comment:
    """Publish (or keep published) a comment and close its flags; approving twice is a no-op."""
    with transaction.atomic():
        c = _lock_for_decision(comment, acting_user, seen_token)
        if c.decision == Decision.APPROVED and c.status == Status.PUBLISHED and not c.open_flag_count:
            return c
        if c.status == Status.DELETED:
            raise ValidationError("The author deleted this comment; there is nothing to approve.")
        before = c.status
        c.status, c.decision, c.held_because = Status.PUBLISHED, Decision.APPROVED, ""
        c.decided_by, c.decided_at = acting_user, timezone.now()
        c.rejection_reason, c.rejection_note = "", ""
        _close_flags(c, Finding.Verdict.FALSE_POSITIVE)
        c.save()
        _record(Action.APPROVE, actor=acting_user, comment=c, before=before, after=c.status)
        _touch_thread(c.article_id)
    return c


def comment_reject(*, comment: Comment, acting_user, reason: str, note: str = "",
                   seen_token: str | None = None) -> Comment:
    """Remove a comment from the thread; its replies stay, under a placeholder."""
    reason = _clean_reason(reason)
    note = _clean_note(note, required=reason == Reason.OTHER)
    with transaction.atomic():
        c = _lock_for_decision(comment, acting_user, seen_token)
        if c.status == Status.REJECTED:
            return c
        before = c.status
        c.status, c.decision, c.held_because = Status.REJECTED, Decision.REJECTED, ""
        c.decided_by, c.decided_at = acting_user, timezone.now()
        c.rejection_reason, c.rejection_note = reason, note
        _close_flags(c, Finding.Verdict.TRUE_POSITIVE)
        c.save()
        _record(Action.REJECT, actor=acting_user, comment=c, reason=reason, note=note,
                before=before, after=c.status)
        _touch_thread(c.article_id)
    return c


def comment_restore(*, comment: Comment, acting_user, seen_token: str | None = None) -> Comment:
    """Bring a rejected comment back into the thread."""
    with transaction.atomic():
        c = _lock_for_decision(comment, acting_user, seen_token)
        if c.status != Status.REJECTED:
            raise ValidationError("Only a rejected comment can be restored.")
        c.status, c.decision = Status.PUBLISHED, Decision.APPROVED
        c.decided_by, c.decided_at = acting_user, timezone.now()
        c.rejection_reason, c.rejection_note = "", ""
        c.save()
        _record(Action.RESTORE, actor=acting_user, comment=c, before=Status.REJECTED,
                after=c.status)
        _touch_thread(c.article_id)
    return c


def _toggle(comment, acting_user, field, value, on_action, off_action) -> Comment:
    _require_moderator(acting_user)
    with transaction.atomic():
        c = Comment.objects.select_for_update().get(pk=comment.pk)
        if getattr(c, field) == value:
            return c
        setattr(c, field, value)
        c.save(update_fields=[field])
        _record(on_action if value else off_action, actor=acting_user, comment=c,
                before=str(not value), after=str(value))
        _touch_thread(c.article_id)
    return c


def comment_set_featured(*, comment: Comment, acting_user, featured: bool = True) -> Comment:
    return _toggle(comment, acting_user, "is_featured", featured, Action.FEATURE, Action.UNFEATURE)


def comment_set_locked(*, comment: Comment, acting_user, locked: bool = True) -> Comment:
    """Lock a branch: no new replies anywhere under this comment."""
    return _toggle(comment, acting_user, "is_locked", locked, Action.LOCK, Action.UNLOCK)


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
        _record(Action.ARTICLE_MODE, actor=acting_user, article=article, before=before, after=mode)
        _touch_thread(article.pk)
    article.refresh_from_db()
    return article


def _standing_for_update(user) -> UserModeration:
    standing, _ = UserModeration.objects.select_for_update().get_or_create(user=user)
    return standing


def _require_can_moderate(acting_user, user) -> None:
    _require_moderator(acting_user)
    if not can_moderate_user(acting_user, user):
        raise PermissionDenied("You can't change this account's standing.")


def user_suspend(*, user, acting_user, duration: dt.timedelta, reason: str = "") -> UserModeration:
    """Stop a user posting until now + duration (1 minute to 365 days)."""
    _require_can_moderate(acting_user, user)
    if not isinstance(duration, dt.timedelta) or duration <= dt.timedelta(0):
        raise ValidationError({"duration": "A suspension must last a positive length of time."})
    if duration > MAX_SUSPENSION:
        raise ValidationError({"duration": "A suspension can last at most 365 days; ban instead."})
    reason = _clean_note(reason, required=False, what="reason")
    with transaction.atomic():
        standing = _standing_for_update(user)
        before = standing.standing
        standing.standing = UserModeration.Standing.SUSPENDED
        standing.suspended_until = timezone.now() + duration
        standing.standing_reason = reason
        standing.save()
        _record(Action.SUSPEND, actor=acting_user, target_user=user, note=reason,
                before=before, after=f"suspended until {standing.suspended_until:%Y-%m-%d %H:%M}")
    return standing


def user_ban(*, user, acting_user, reason: str = "") -> UserModeration:
    _require_can_moderate(acting_user, user)
    reason = _clean_note(reason, required=False, what="reason")
    with transaction.atomic():
        standing = _standing_for_update(user)
        before = standing.standing
        standing.standing, standing.suspended_until = UserModeration.Standing.BANNED, None
        standing.standing_reason = reason
        standing.save()
        _record(Action.BAN, actor=acting_user, target_user=user, note=reason, before=before,
                after=standing.standing)
    return standing


def user_reinstate(*, user, acting_user) -> UserModeration:
    _require_can_moderate(acting_user, user)
    with transaction.atomic():
        standing = _standing_for_update(user)
        before = standing.standing
        standing.standing, standing.suspended_until = UserModeration.Standing.ACTIVE, None
        standing.standing_reason = ""
        standing.save()
        _record(Action.REINSTATE, actor=acting_user, target_user=user, before=before,
                after=standing.standing)
    return standing


def user_set_premoderation(*, user, acting_user, premoderated: bool) -> UserModeration:
    _require_can_moderate(acting_user, user)
    with transaction.atomic():
        standing = _standing_for_update(user)
        before = standing.premoderated
        standing.premoderated = premoderated
        standing.save()
        _record(Action.PREMODERATE_USER, actor=acting_user, target_user=user,
                before=str(before), after=str(premoderated))
    return standing


def user_add_note(*, user, acting_user, body: str) -> UserNote:
    _require_moderator(acting_user)
    body = _clean_note(body, required=True, what="note")
    with transaction.atomic():
        note = UserNote.objects.create(user=user, author=acting_user, body=body)
        _record(Action.USER_NOTE, actor=acting_user, target_user=user, note=body)
    return note


def record_denied(*, actor, comment: Comment | None = None, note: str = "") -> None:
    """Log a refused attempt (a guessed id, someone else's comment) in the audit trail."""
    _record(Action.DENIED, actor=actor if getattr(actor, "is_authenticated", False) else None,
            comment=comment, note=note)


# --- import ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedComment:
    key: str
    parent_key: str | None
    author: str
    body: str
    created: dt.datetime | None = None
    status: str = Status.PUBLISHED


@dataclass(frozen=True)
class ImportedThread:
    """A parsed article and its comments, parents listed before their replies."""

    title: str
    slug: str
    body: str
    comments: tuple[ImportedComment, ...]
    published_at: dt.datetime | None = None


def _nested_set(comments, first_tree_id: int) -> dict[str, tuple[int, int, int, int]]:
    """key -> (tree_id, lft, rght, level), numbering each top-level comment's tree in one walk."""
    children: dict[str | None, list[str]] = {}
    for c in comments:
        children.setdefault(c.parent_key, []).append(c.key)
    positions: dict[str, tuple[int, int, int, int]] = {}
    for offset, root in enumerate(children.get(None, [])):
        tree_id = first_tree_id + offset
        for key, (lft, rght, level) in number_tree(root, children).items():
            positions[key] = (tree_id, lft, rght, level)
    return positions


def thread_import(*, thread: ImportedThread, replace: bool = False, acting_user=None) -> Article:
    """Create an article and its whole comment tree in one transaction.

    The tree is numbered in Python and inserted with bulk_create under the new-roots lock: a
    10,000-comment thread then costs a handful of queries instead of one tree update per node.
    """
    rendered = []
    for c in thread.comments:
        try:
            raw, html = _clean_body(c.body)
        except ValidationError as exc:
            raise ValidationError(f"Comment {c.key}: {' '.join(exc.messages)}") from None
        rendered.append((c, raw, html))
    with transaction.atomic():
        existing = Article.objects.filter(slug=thread.slug).first()
        if existing is not None:
            if not replace:
                raise ValidationError(
                    f"An article with slug “{thread.slug}” already exists; use --replace to replace it."
                )
            # Moderation never deletes comments; a replaced import moves the old article aside.
            stamp = timezone.now().strftime("%Y%m%d%H%M%S")
            existing.slug = f"{thread.slug[:170]}-replaced-{stamp}-{existing.pk}"
            existing.comment_mode = Article.CommentMode.CLOSED
            existing.save(update_fields=["slug", "comment_mode"])
            _touch_thread(existing.pk)
        article = Article.objects.create(
            title=thread.title, slug=thread.slug, body=thread.body,
            **({"published_at": thread.published_at} if thread.published_at else {}),
        )
        lock_new_roots()
        from django.db.models import Max

        first_tree_id = (Comment.objects.aggregate(m=Max("tree_id"))["m"] or 0) + 1
        positions = _nested_set(thread.comments, first_tree_id)
        missing = [c.key for c in thread.comments if c.key not in positions]
        if missing or len(positions) != len(thread.comments):
            raise ValidationError(
                f"Comment {(missing or ['?'])[0]}: its parent is unknown, or the replies form a "
                "cycle; nothing was imported."
            )
        if any(c.status not in Status.values for c in thread.comments):
            raise ValidationError("Unknown comment status; nothing was imported.")
        now = timezone.now()
        # Rows first without parents, then the parent links in one bulk update: the query
        # count stays the same however deep the reply chains are.
        objs = []
        for c, raw, html in rendered:
            tree_id, lft, rght, level = positions[c.key]
            objs.append(Comment(
                article=article, author_name=c.author or "Anonymous", body_raw=raw,
                body_html=html, status=c.status, created_at=c.created or now,
                decision=Decision.REJECTED if c.status == Status.REJECTED else Decision.UNDECIDED,
                tree_id=tree_id, lft=lft, rght=rght, level=level,
            ))
        created = Comment.objects.bulk_create(objs, batch_size=2000)
        saved = {c.key: obj.pk for (c, _, _), obj in zip(rendered, created, strict=True)}
        for (c, _, _), obj in zip(rendered, created, strict=True):
            obj.parent_id = saved[c.parent_key] if c.parent_key else None
        Comment.objects.bulk_update([o for o in created if o.parent_id], ["parent"], batch_size=2000)
        _record(Action.IMPORT, actor=acting_user, article=article,
                note=f"{len(saved)} comments imported")
    return article


def comment_rescan(*, comment: Comment) -> bool:
    """Re-run the detector on a stored comment; store findings (and a flag) only if they changed."""
    result = run_detector(comment.body_raw)
    current = set(
        Finding.objects.filter(comment=comment, is_current=True).values_list("start", "end", "rule")
    )
    fresh = {(f.start, f.end, f.rule) for f in result.findings}
    if current == fresh:
        return False
    with transaction.atomic():
        _store_findings(comment, result)
        _record(Action.FLAG if result.findings else Action.EDIT, actor=None, comment=comment,
                reason="detector_rescan", note=f"{len(result.findings)} finding(s)")
        _touch_thread(comment.article_id)
    return True
