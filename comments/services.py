"""Every write a reader makes to comments (posting, editing, deleting, reacting) and importing
threads.

Conventions: keyword-only arguments, the acting user explicit (None = the system or an
importer), permission checks here rather than only in views, and each change written in one
transaction with its audit event and a bump of the article's thread version (the cache key of
its thread). Whether a new comment is held, and what the detector says, is the moderation
app's policy; this module applies it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils import timezone

from accounts.roles import is_moderator
from articles.models import Article
from moderation import detection, policy
from moderation.audit import Action, record, record_denied
from moderation.findings import detector_flag, run_detector, store_findings, unsaved_findings
from moderation.models import Finding, Flag, UserModeration
from newsroom import ratelimits
from newsroom.compiled import CompiledGet

from .importing import ImportedThread
from .locks import TreeBusy, lock_new_roots, lock_tree, lock_tree_of
from .models import Comment, Reaction, edit_window_open
from .nested_set import number_tree
from .sanitize import render_body, visible_text

Status = Comment.Status
Decision = Comment.Decision
Held = Comment.HeldBecause
bump_thread_version = Article.objects.bump_thread_version
bump_reactions_version = Article.objects.bump_reactions_version

NO_SUCH_PARENT = "The comment you are replying to does not exist."

# A reply's parent as do_comment_create re-reads it under the tree lock: its article (closed
# now?) and whether it or an ancestor is locked come in the same round trip. Compiled once:
# the ORM spends longer building this query than the database spends answering it.
_PARENT_WITH_ARTICLE_AND_LOCKS = CompiledGet(
    lambda: Comment.objects.select_related("article").annotate(
        locked_above=Exists(
            Comment.objects.filter(
                tree_id=OuterRef("tree_id"),
                lft__lte=OuterRef("lft"),
                rght__gte=OuterRef("rght"),
                is_locked=True,
            )
        )
    )
)


class Nudge(Exception):
    """The detector flagged a text its author has not yet confirmed; carries the finding."""

    def __init__(self, finding):
        super().__init__(finding.explanation)
        self.finding = finding


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


# --- posting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedComment:
    """A comment that passed every check that needs no lock; do_comment_create stores it."""

    article: Article | None
    author: Any  # the user model
    standing: UserModeration | None
    raw: str
    html: str
    detected: detection.DetectionResult
    parent_id: int | None
    parent_tree: int | None
    created_at: dt.datetime


def check_comment_create(
    *,
    article: Article | None,
    author,
    body: str,
    parent: Comment | int | None = None,
    nudge: bool = False,
) -> CheckedComment:
    """Everything about a new comment that can be refused before any lock is taken.

    In order: the author may post (signed in, not suspended or banned), the text is valid, the
    detector's verdict (with `nudge`, a flagged text raises Nudge so the reader can reconsider:
    that answer comes before the rate limit, which counts only real posts), the rate limit, and
    a named parent that belongs to the article. The detector only sees text that passed the
    author and length checks, so an oversized or banned post costs it nothing.
    """
    now = timezone.now()
    standing = policy.check_can_post(author, now)
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
            (parent.article_id, parent.tree_id)
            if isinstance(parent, Comment)
            else Comment.objects.filter(pk=parent_id).values_list("article_id", "tree_id").first()
            or (None, None)
        )
        if parent_article is None:
            raise ValidationError({"parent": NO_SUCH_PARENT})
        if parent_article != article.pk:
            # A guessed parent id from another article: refused, and logged as a denied attempt.
            record_denied(
                actor=author,
                comment=Comment.objects.get(pk=parent_id),
                note=f"reply in article {article.pk} to a comment of another article",
            )
            raise ValidationError({"parent": "That comment belongs to another article."})
    return CheckedComment(
        article=article,
        author=author,
        standing=standing,
        raw=raw,
        html=html,
        detected=result,
        parent_id=parent_id,
        parent_tree=parent_tree,
        created_at=now,
    )


def do_comment_create(checked: CheckedComment) -> Comment:
    """Store a checked comment in its tree, with its findings, hold and audit events.

    Lock order, here and in every write that takes more than one: the tree lock (a reply's
    tree, or the new-roots lock for a top-level comment), then comment rows, then the article
    row last (the thread-version bump), so concurrent posts and decisions cannot deadlock.
    (Rows this transaction inserts after the bump, the comment itself, its findings and
    events, are locked by nobody else.)
    What could change while waiting for the lock (the article closed, the parent removed,
    locked or moved to another tree) is checked again under it.
    """
    parent_id, parent_tree = checked.parent_id, checked.parent_tree
    with transaction.atomic():
        if parent_id is not None:
            if parent_tree is None:  # only the parent's id: read its tree while locking it
                parent_tree = lock_tree_of(parent_id)
                if parent_tree is None:
                    raise ValidationError({"parent": NO_SUCH_PARENT})
            else:
                lock_tree(parent_tree)
            # Re-read under the lock: django-mptt computes positions from the parent it is given.
            parent_obj: Any = _PARENT_WITH_ARTICLE_AND_LOCKS.get(parent_id)  # annotated row
            if parent_obj is None:
                raise ValidationError({"parent": NO_SUCH_PARENT})
            article = parent_obj.article
        else:
            lock_new_roots()
            parent_obj = None
            if checked.article is None:
                raise ValueError("A top-level comment needs its article.")
            article = Article.objects.get(pk=checked.article.pk)
        if article.is_closed:
            raise ValidationError("Comments are closed on this article.")
        if parent_obj is not None:
            if parent_obj.tree_id != parent_tree:
                raise TreeBusy("The thread changed while you posted; please try again.")
            if parent_obj.status in (Status.DELETED, Status.REJECTED):
                raise ValidationError({"parent": "You can't reply to a removed comment."})
            if parent_obj.status == Status.PENDING and not is_moderator(checked.author):
                # A reply would show the held comment's place (and author) to every reader.
                raise ValidationError(
                    {"parent": "You can't reply to a comment awaiting moderation."}
                )
            if parent_obj.locked_above:
                raise ValidationError({"parent": "A moderator has locked this part of the thread."})
        held = policy.hold_reason(
            policy.NewComment(
                article=article,
                author=checked.author,
                standing=checked.standing,
                detected=checked.detected,
            )
        )
        comment = Comment(
            article=article,
            parent=parent_obj,
            author=checked.author,
            body_raw=checked.raw,
            body_html=checked.html,
            status=Status.PENDING if held else Status.PUBLISHED,
            held_because=held,
            created_at=checked.created_at,
        )
        if parent_obj is not None:  # room in the tree; parent_obj was just read under the lock
            comment.insert_at(parent_obj, "last-child", save=False, refresh_target=False)
        # The article row after the tree's rows, before the new row: a published comment is
        # stored with the version it becomes visible at, in the same round trip as itself.
        version = bump_thread_version(article.pk)
        if not held:
            comment.published_version = version
        comment.save()
        store_findings(comment, checked.detected, new=True)
        record(Action.POST, actor=checked.author, comment=comment, after=comment.status)
        if held:
            record(
                Action.HOLD,
                actor=None,
                comment=comment,
                reason=held,
                before=Status.PUBLISHED,
                after=Status.PENDING,
            )
    return comment


def comment_create(
    *,
    article: Article | None,
    author,
    body: str,
    parent: Comment | int | None = None,
    nudge: bool = False,
) -> Comment:
    """Post a top-level comment or a reply (check_comment_create, then do_comment_create).

    A reply may name only its parent's id (article=None): the article is the parent's, read
    under the tree lock, and the parent costs no round trip of its own before the lock.
    """
    return do_comment_create(
        check_comment_create(article=article, author=author, body=body, parent=parent, nudge=nudge)
    )


# --- editing and deleting -------------------------------------------------------------------


def comment_edit(*, comment: Comment, body: str, acting_user) -> Comment:
    """The author rewrites their comment within the edit window; detector and policy run again.

    A suspended or banned author cannot edit. The edited text is judged as a new comment would
    be (the hold checks in order); besides, any detector finding on a comment a moderator
    approved sends it back to review. An approval covers the text that was approved, not its
    replacement: after any change of text the decision is undecided again, so readers' flags
    count toward hiding it as for any other comment.
    """
    if acting_user is None or comment.author_id != acting_user.pk:
        raise PermissionDenied("You can only edit your own comments.")
    now = timezone.now()
    standing = policy.check_can_post(acting_user, now, doing="editing")
    if not edit_window_open(comment.created_at):
        minutes = settings.NEWSROOM["EDIT_WINDOW_MINUTES"]
        raise ValidationError(f"Comments can only be edited within {minutes} minutes of posting.")
    if comment.status in (Status.DELETED, Status.REJECTED):
        raise ValidationError("This comment can no longer be edited.")
    raw, html = _clean_body(body)
    ratelimits.check_edit(acting_user)
    result = run_detector(raw)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        previous = comment.body_raw
        before = comment.status
        comment.body_raw, comment.body_html = raw, html
        comment.edited_at = now
        held = ""
        if comment.status == Status.PUBLISHED:
            held = policy.edit_hold_reason(
                policy.NewComment(
                    article=comment.article, author=acting_user, standing=standing, detected=result
                ),
                approved=comment.decision == Decision.APPROVED,
            )
        approved = comment.decision == Decision.APPROVED
        if held:
            comment.status, comment.held_because = Status.PENDING, held
        if held or (approved and raw != previous):
            # An approval was of the text approved: a new text is undecided again (published
            # unless held), so readers' flags count toward hiding it as for any other.
            comment.decision, comment.decided_by, comment.decided_at = (
                Decision.UNDECIDED,
                None,
                None,
            )
        comment.save(
            update_fields=[
                "body_raw",
                "body_html",
                "edited_at",
                "status",
                "held_because",
                "decision",
                "decided_by",
                "decided_at",
            ]
        )
        store_findings(comment, result)
        record(
            Action.EDIT,
            actor=acting_user,
            comment=comment,
            note=previous,
            before=before,
            after=comment.status,
        )
        if held:
            record(
                Action.HOLD,
                actor=None,
                comment=comment,
                reason=held,
                before=before,
                after=Status.PENDING,
                note="edited after publication",
            )
        bump_thread_version(comment.article_id)
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
        record(
            Action.DELETE_OWN,
            actor=acting_user,
            comment=comment,
            before=before,
            after=Status.DELETED,
        )
        bump_thread_version(comment.article_id)
    return comment


# --- reactions -------------------------------------------------------------------------------

_NOT_REACTABLE = {
    Status.DELETED: "This comment was deleted by its author; it takes no reactions.",
    Status.REJECTED: "This comment was removed by a moderator; it takes no reactions.",
    Status.PENDING: "This comment is awaiting moderation; it takes no reactions yet.",
}


@dataclass(frozen=True)
class ReactionResult:
    """Where a reaction stands after reaction_set: the count is the comment's, read under its
    row lock, so it is exact at that moment."""

    comment_id: int
    pressed: bool
    count: int
    changed: bool


def _check_reactable(comment: Comment, article: Article, user) -> None:
    if comment.author_id is not None and comment.author_id == user.pk:
        raise PermissionDenied("You can't react to your own comment.")
    if comment.status in _NOT_REACTABLE:
        raise ValidationError(_NOT_REACTABLE[Status(comment.status)])
    if article.is_closed:
        raise ValidationError("Comments are closed on this article.")


def reaction_set(
    *, comment: Comment | int, acting_user, pressed: bool | None = None
) -> ReactionResult:
    """A reader gives, or takes back, their one reaction to someone else's published comment.

    `pressed` None toggles; True or False sets it (so a double-click that sends the same wish
    twice changes it once). Refused, with nothing written: anonymous, suspended or banned
    readers (policy.check_can_post), one's own comment, a comment that is not published, a
    closed article, the rate limit. The refusals that need no lock come first, before the
    rate limit counts the attempt.

    One transaction: the comment's row lock (serializing every reaction to it), the reaction
    row (its unique constraint refuses a second one whatever happens), the comment's count
    moved with F() and a bump of the article's reactions version (its stored anonymous
    pages). Lock order as in do_comment_create: comment row, then article row. Neither the
    comment's moderation state nor the thread version changes, so no rendered piece of the
    thread is invalidated: pages patch counts in per request.
    """
    now = timezone.now()
    policy.check_can_post(acting_user, now, doing="reacting to comments")
    if isinstance(comment, Comment):
        _check_reactable(comment, comment.article, acting_user)
    ratelimits.check_reaction(acting_user)
    pk = comment.pk if isinstance(comment, Comment) else comment
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("article")
            .filter(pk=pk)
            .first()
        )
        if locked is None:
            raise ValidationError("That comment does not exist.")
        _check_reactable(locked, locked.article, acting_user)  # it may have changed meanwhile
        existing = Reaction.objects.filter(comment=locked, user=acting_user).first()
        want = existing is None if pressed is None else pressed
        delta = 0
        if want and existing is None:
            try:
                with transaction.atomic():  # a savepoint: the constraint is the last word
                    Reaction.objects.create(comment=locked, user=acting_user, created_at=now)
                delta = 1
            except IntegrityError:
                pass  # made by a concurrent request of the same reader: already pressed
        elif not want and existing is not None:
            deleted, _ = Reaction.objects.filter(pk=existing.pk).delete()
            delta = -1 if deleted else 0
        if delta:
            Comment.objects.filter(pk=locked.pk).update(reaction_count=F("reaction_count") + delta)
            bump_reactions_version(locked.article_id)
    return ReactionResult(
        comment_id=locked.pk,
        pressed=want,
        count=locked.reaction_count + delta,
        changed=bool(delta),
    )


# --- import ----------------------------------------------------------------------------------


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


def _file_imported_findings(comments: list[Comment], results) -> None:
    """Findings, detector flags and hold events for a bulk import, in a few bulk queries."""
    findings, flags, holds = [], [], []
    for comment, result in zip(comments, results, strict=True):
        findings += unsaved_findings(comment, result)
        if comment.open_flag_count:
            flags.append(detector_flag(comment, result))
        if comment.held_because == Held.DETECTOR:
            holds.append(comment)
    Finding.objects.bulk_create(findings, batch_size=2000)
    Flag.objects.bulk_create(flags, batch_size=2000)
    for comment in holds:
        record(
            Action.HOLD,
            actor=None,
            comment=comment,
            reason=Held.DETECTOR,
            before=Status.PUBLISHED,
            after=Status.PENDING,
        )


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
        rendered.append((c, raw, html, run_detector(raw)))
    with transaction.atomic():
        existing = Article.objects.filter(slug=thread.slug).first()
        if existing is not None:
            if not replace:
                raise ValidationError(
                    f"An article with slug “{thread.slug}” already exists; use --replace to "
                    "replace it."
                )
            # Moderation never deletes comments; a replaced import moves the old article aside.
            stamp = timezone.now().strftime("%Y%m%d%H%M%S")
            existing.slug = f"{thread.slug[:170]}-replaced-{stamp}-{existing.pk}"
            existing.comment_mode = Article.CommentMode.CLOSED
            existing.save(update_fields=["slug", "comment_mode"])
            bump_thread_version(existing.pk)
        article = Article.objects.create(
            title=thread.title,
            slug=thread.slug,
            body=thread.body,
            **({"published_at": thread.published_at} if thread.published_at else {}),
        )
        lock_new_roots()
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
        for c, raw, html, found in rendered:
            tree_id, lft, rght, level = positions[c.key]
            # The detector's verdict applies as at posting: a hold finding sends a published
            # comment to Pending, any other finding files a detector flag.
            held = c.status == Status.PUBLISHED and policy.detector_holds(found)
            objs.append(
                Comment(
                    article=article,
                    author_name=c.author or "Anonymous",
                    body_raw=raw,
                    body_html=html,
                    status=Status.PENDING if held else c.status,
                    held_because=Held.DETECTOR if held else Held.NONE,
                    created_at=c.created or now,
                    decision=Decision.REJECTED
                    if c.status == Status.REJECTED
                    else Decision.UNDECIDED,
                    open_flag_count=int(
                        bool(found.findings) and not held and c.status == Status.PUBLISHED
                    ),
                    tree_id=tree_id,
                    lft=lft,
                    rght=rght,
                    level=level,
                )
            )
        created = Comment.objects.bulk_create(objs, batch_size=2000)
        saved = {c.key: obj.pk for (c, *_), obj in zip(rendered, created, strict=True)}
        for (c, *_), obj in zip(rendered, created, strict=True):
            obj.parent_id = saved[c.parent_key] if c.parent_key else None
        Comment.objects.bulk_update(
            [o for o in created if o.parent_id], ["parent"], batch_size=2000
        )
        _file_imported_findings(created, [found for *_, found in rendered])
        record(
            Action.IMPORT,
            actor=acting_user,
            article=article,
            note=f"{len(saved)} comments imported",
        )
    return article
