"""Comments as an MPTT tree, and everything moderation records about them.

Rows are never deleted by the application: a comment's state is a field, the parent link is
PROTECT (and a plain FK in the database, so deleting a parent with replies is refused there too),
and moderation events are append-only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from mptt.fields import TreeForeignKey
from mptt.models import MPTTModel

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
    is_featured = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False, help_text="No new replies anywhere under it.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
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
            # instead (up to ~60 ms at 100,000 comments).
            models.Index(
                fields=["created_at"],
                condition=Q(status="published", open_flag_count__gt=0),
                name="comment_reported",
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
            return self.author.public_name
        return self.author_name or "[deleted user]"

    @property
    def reply_count(self) -> int:
        return (self.rght - self.lft - 1) // 2


class Flag(models.Model):
    """A report on a comment, by a reader or by the detector."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="flags",
    )
    # Explicit rather than "reporter is null": a reader's flag outlives their deleted account.
    is_detector = models.BooleanField(default=False)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(reporter__isnull=False),
                name="one_flag_per_reader_per_comment",
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=Q(is_detector=True),
                name="one_detector_flag_per_comment",
            ),
        ]
        indexes = [models.Index(fields=["comment", "is_open"], name="flag_open")]

    def __str__(self):
        return f"{self.get_reason_display()} on #{self.comment_id}"


class Finding(models.Model):
    """One span the detector found in a comment, and what moderators later decided about it."""

    class Verdict(models.TextChoices):
        UNREVIEWED = "", "Unreviewed"
        TRUE_POSITIVE = "tp", "Confirmed (comment rejected)"
        FALSE_POSITIVE = "fp", "False positive (comment approved)"

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="findings")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    match = models.TextField()
    group = models.CharField(max_length=100)
    canonical = models.CharField(max_length=100)
    category = models.CharField(max_length=20)
    rule = models.CharField(max_length=40, db_index=True)
    severity = models.CharField(max_length=10)
    explanation = models.TextField()
    verdict = models.CharField(max_length=2, choices=Verdict.choices, blank=True, default="")
    is_current = models.BooleanField(default=True, help_text="False once an edit re-scanned it.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["comment", "start"]

    def __str__(self):
        return f"{self.rule}: {self.match!r}"


class DetectorTerm(models.Model):
    """A site-specific group or surface form, merged with the shipped lexicon at run time."""

    canonical = models.CharField(max_length=100, help_text="e.g. Yazidis")
    category = models.CharField(
        max_length=20,
        choices=[(c, c) for c in ("religion", "sect", "ethnicity", "nationality")],
    )
    forms = models.TextField(help_text="Surface forms, one per line (e.g. Yazidi, Yezidis).")
    is_derogatory = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.canonical} ({self.category})"


class UserModeration(models.Model):
    """A user's standing with the moderation desk; absent means active, no pre-moderation."""

    class Standing(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        BANNED = "banned", "Banned"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation"
    )
    standing = models.CharField(max_length=12, choices=Standing.choices, default=Standing.ACTIVE)
    suspended_until = models.DateTimeField(null=True, blank=True)
    standing_reason = models.TextField(blank=True)
    premoderated = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user}: {self.get_standing_display()}"

    def blocks_posting(self, now=None) -> bool:
        now = now or timezone.now()
        if self.standing == self.Standing.BANNED:
            return True
        return self.standing == self.Standing.SUSPENDED and (
            self.suspended_until is None or self.suspended_until > now
        )


class UserNote(models.Model):
    """A moderator's note about a user, shown on that user's queue cards."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Note on {self.user}"


class ModerationEvent(models.Model):
    """Append-only audit row: who did what to which comment, article or user, and why.

    Foreign keys carry no database constraint so events outlive what they point at; names are
    snapshotted for the same reason. A database trigger (PostgreSQL) refuses UPDATE and DELETE.
    """

    class Action(models.TextChoices):
        POST = "post", "Posted"
        EDIT = "edit", "Edited"
        DELETE_OWN = "delete_own", "Deleted by author"
        FLAG = "flag", "Flagged"
        AUTO_HIDE = "auto_hide", "Auto-hidden by flags"
        HOLD = "hold", "Held for moderation"
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        RESTORE = "restore", "Restored"
        FEATURE = "feature", "Featured"
        UNFEATURE = "unfeature", "Unfeatured"
        LOCK = "lock", "Branch locked"
        UNLOCK = "unlock", "Branch unlocked"
        ARTICLE_MODE = "article_mode", "Article comment mode changed"
        SUSPEND = "suspend", "User suspended"
        BAN = "ban", "User banned"
        REINSTATE = "reinstate", "User reinstated"
        PREMODERATE_USER = "premoderate_user", "User pre-moderation changed"
        USER_NOTE = "user_note", "Note added about user"
        IMPORT = "import", "Thread imported"
        DENIED = "denied", "Authorization refused"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="events",
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    reason = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    state_before = models.CharField(max_length=40, blank=True)
    state_after = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.actor_name or 'system'} {self.action} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # Append-only: the model refuses updates; the database trigger backs this on PostgreSQL.
        if self.pk is not None and not self._state.adding:
            raise ValueError("Moderation events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Moderation events are append-only.")
