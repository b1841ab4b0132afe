"""What the moderation desk records: flags, detector findings, user standing, notes, the log.

The tables were created by the comments app and keep its names (comments_flag, ...): the
models moved here by state alone (migrations/0001_initial.py). Foreign keys name their
targets by label, so this module imports no other app's models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from comments.models import Reason

from . import detection


class Flag(models.Model):
    """A report on a comment, by a reader or by the detector."""

    comment = models.ForeignKey("comments.Comment", on_delete=models.PROTECT, related_name="flags")
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
        db_table = "comments_flag"  # created by the comments app; the rows stayed put
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

    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.PROTECT, related_name="findings"
    )
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
    detector_version = models.CharField(
        max_length=60,
        blank=True,
        default="",
        help_text="The detector that found it (empty: before versions were recorded).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "comments_finding"  # created by the comments app; the rows stayed put
        ordering = ["comment", "start"]

    def __str__(self):
        return f"{self.rule}: {self.match!r}"


class DetectorTerm(models.Model):
    """A site-specific group or surface form, merged with the shipped lexicon at run time."""

    canonical = models.CharField(max_length=100, help_text="e.g. Yazidis")
    category = models.CharField(
        max_length=20,
        choices=[(c, c) for c in detection.CATEGORIES],
    )
    forms = models.TextField(help_text="Surface forms, one per line (e.g. Yazidi, Yezidis).")
    is_derogatory = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "comments_detectorterm"  # created by the comments app; the rows stayed put

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

    class Meta:
        db_table = "comments_usermoderation"  # created by the comments app; the rows stayed put

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
        db_table = "comments_usernote"  # created by the comments app; the rows stayed put
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
        ACCOUNT_DELETE = "account_delete", "Account deleted by its owner"
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
        "comments.Comment",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="events",
    )
    article = models.ForeignKey(
        "articles.Article",
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
        db_table = "comments_moderationevent"  # created by the comments app; the rows stayed put
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
