"""Comments as an MPTT tree.

Rows are never deleted by the application: a comment's state is a field, and the parent link
is PROTECT (and a plain FK in the database, so deleting a parent with replies is refused there
too). What moderation records about comments lives in the moderation app.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from mptt.fields import TreeForeignKey
from mptt.models import MPTTModel

from accounts.models import DELETED_USER_NAME
from articles.models import Article


class Reason(models.TextChoices):
    """Why a comment was flagged or rejected; the same list serves readers and moderators."""

    SECTARIAN = "sectarian", "Sectarian generalisation"
    ABUSE = "abuse", "Abuse or harassment"
    SPAM = "spam", "Spam or advertising"
    OFF_TOPIC = "off_topic", "Off-topic"
    MISINFORMATION = "misinformation", "Misinformation"
    OTHER = "other", "Other"


REASON_HELP = {
    Reason.SECTARIAN: "Pins a trait, behaviour or fate on a whole religious, sectarian, ethnic "
    "or national group.",
}


class Comment(MPTTModel):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Pending"
        REJECTED = "rejected", "Rejected"
        DELETED = "deleted", "Deleted by author"

    class Decision(models.TextChoices):
        UNDECIDED = "", "No decision yet"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    class HeldBecause(models.TextChoices):
        NONE = "", "Not held"
        PREMODERATED_ARTICLE = "premoderated_article", "Article is pre-moderated"
        PREMODERATED_USER = "premoderated_user", "Author is on pre-moderation"
        NEW_ACCOUNT = "new_account", "New account's first comments"
        FLAGS = "flags", "Auto-hidden by reader flags"
        DETECTOR = "detector", "Held by the detector"

    # A reply renumbers lft/rght of every later node in its tree. No index contains lft or rght
    # (django-mptt's own (tree_id, lft) index is dropped in migration 0004), so on PostgreSQL
    # those updates are HOT: the row is rewritten in place and no index is touched. Indexes a
    # composite one covers are left out (article: comment_thread_order; status:
    # comment_queue_order).
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="comments", db_index=False
    )
    parent = TreeForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    # Only for authors without an account (imports); a deleted account leaves this blank.
    author_name = models.CharField(max_length=100, blank=True)
    body_raw = models.TextField()
    body_html = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    decision = models.CharField(
        max_length=16, choices=Decision.choices, default=Decision.UNDECIDED, blank=True
    )
    held_because = models.CharField(
        max_length=24, choices=HeldBecause.choices, default=HeldBecause.NONE, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    rejection_note = models.TextField(blank=True)
    open_flag_count = models.PositiveIntegerField(default=0)
    # Readers' reactions (Reaction rows), kept here so a page reads counts without counting:
    # changed only by comments.services.reaction_set, with F() in the reaction's transaction.
    reaction_count = models.PositiveIntegerField(default=0)
    is_featured = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False, help_text="No new replies anywhere under it.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # The article's thread version at which the comment last became visible to readers (posted
    # published, approved, restored): what bump_thread_version returned in that change's
    # transaction. Live updates count the published comments above the version a reader's page
    # was built from (selectors.published_since). 0: imported, or never published.
    published_version = models.PositiveBigIntegerField(default=0, editable=False)
    tree_id = models.PositiveIntegerField(editable=False)

    class MPTTMeta:
        order_insertion_by = None  # new replies go last: children stay in posting order

    class Meta:
        indexes = [
            models.Index(fields=["article", "tree_id"], name="comment_thread_order"),
            models.Index(fields=["tree_id"], name="comment_tree"),
            models.Index(fields=["status", "created_at"], name="comment_queue_order"),
            # Exactly the Reported tab's condition (selectors.QUEUE_TABS), so its capped count
            # can be an index-only scan. With open_flag_count > 0 alone every entry needed a
            # heap visit to check the status, and PostgreSQL counted with a sequential scan
            # instead, which grows with the table.
            models.Index(
                fields=["created_at"],
                condition=Q(status="published", open_flag_count__gt=0),
                name="comment_reported",
            ),
            # The comments of a page that have reactions, with their counts
            # (selectors.reaction_state): read from this small index alone where the database
            # can (SQLite always: the id is its rowid), whatever the thread's size.
            models.Index(
                fields=["article", "tree_id", "reaction_count"],
                include=["id"],
                condition=Q(reaction_count__gt=0),
                name="comment_reacted",
            ),
            # The published comments of an article above a thread version (live updates,
            # selectors.published_since): a range of this small index, whatever the thread's size.
            models.Index(
                fields=["article", "published_version"],
                condition=Q(status="published"),
                name="comment_published_since",
            ),
            # Decided comments are the minority: the Approved tab reads this small index.
            models.Index(
                fields=["decision", "created_at"],
                condition=~Q(decision=""),
                name="comment_decided",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="rejected", decision="rejected")
                | (~Q(status="rejected") & ~Q(decision="rejected")),
                name="comment_rejected_status_matches_decision",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} by {self.display_author}"

    def get_absolute_url(self):
        return reverse("article", kwargs={"slug": self.article.slug}) + f"#c{self.pk}"

    @property
    def display_author(self) -> str:
        if self.author_id is not None:
            return self.author.public_name  # "[deleted user]" for a deleted account too
        return self.author_name or DELETED_USER_NAME

    @property
    def reply_count(self) -> int:
        return (self.rght - self.lft - 1) // 2


class Reaction(models.Model):
    """One reader's positive reaction to one comment (the label is settings.NEWSROOM's
    REACTION_LABEL, "Respect" by default); a second one from the same reader is refused by the
    database. Comment.reaction_count counts these rows.
    """

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="reactions")
    # A deleted account's reactions stay (anonymous), so every count stays the number of rows.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reactions",
        db_index=False,  # the unique constraint's index starts with user
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="reaction_once_per_reader"),
        ]

    def __str__(self):
        return f"{self.user or '[deleted user]'} → #{self.comment_id}"


def edit_window_open(created_at: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Whether a comment posted at `created_at` may still be edited by its author (the one rule:
    the renderer shows the Edit link by it, and editing refuses by it)."""
    window = dt.timedelta(minutes=settings.NEWSROOM["EDIT_WINDOW_MINUTES"])
    return (now or timezone.now()) < created_at + window
