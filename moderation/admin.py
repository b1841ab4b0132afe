"""Staff's full view of comments (as a tree), flags, findings, reactions, users' standing and the
audit log.

Declarative, and every action calls the same services as the moderation desk with the admin as
the acting user. Deletion is never offered: moderation never deletes comments, events are
append-only.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from mptt.admin import MPTTModelAdmin

from comments.models import Comment, Reaction, Reason

from . import findings, services
from .models import DetectorTerm, Finding, Flag, ModerationEvent, UserModeration, UserNote


def _run(modeladmin, request, queryset, action, **kwargs):
    done = failed = 0
    for comment in queryset:
        try:
            action(comment=comment, acting_user=request.user, **kwargs)
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            failed += 1
            modeladmin.message_user(request, f"#{comment.pk}: {exc}", messages.WARNING)
    modeladmin.message_user(request, f"{done} comment(s) updated, {failed} skipped.")


class NoAddOrDelete:
    """Rows here are created by the services and never removed (moderation never deletes)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(NoAddOrDelete):
    """Records nobody may change, staff included (findings, the audit log)."""

    def has_change_permission(self, request, obj=None):
        return False


@admin.action(description="Approve selected comments")
def approve(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.comment_approve)


@admin.action(description="Reject selected comments (off-topic)")
def reject_off_topic(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.comment_reject, reason=Reason.OFF_TOPIC)


@admin.action(description="Reject selected comments (sectarian generalisation)")
def reject_sectarian(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.comment_reject, reason=Reason.SECTARIAN)


@admin.action(description="Restore selected rejected comments")
def restore(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.comment_restore)


@admin.action(description="Lock replies under selected comments")
def lock_branch(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.comment_set_locked, locked=True)


class FlagInline(NoAddOrDelete, admin.TabularInline):
    model = Flag
    extra = 0
    can_delete = False
    fields = ("reason", "reporter", "note", "is_open", "created_at")
    readonly_fields = fields


class FindingInline(NoAddOrDelete, admin.TabularInline):
    model = Finding
    extra = 0
    can_delete = False
    fields = ("rule", "match", "canonical", "category", "severity", "verdict", "is_current")
    readonly_fields = fields


@admin.register(Comment)
class CommentAdmin(NoAddOrDelete, MPTTModelAdmin):
    mptt_level_indent = 18
    list_display = (
        "short_body",
        "author_display",
        "article",
        "status",
        "decision",
        "open_flag_count",
        "reaction_count",
        "is_featured",
        "is_locked",
        "created_at",
    )
    list_filter = ("status", "decision", "held_because", "is_featured", "is_locked", "article")
    search_fields = ("body_raw", "author__username", "author__display_name", "author_name")
    list_select_related = ("author", "article")
    actions = [approve, reject_off_topic, reject_sectarian, restore, lock_branch]
    inlines = [FlagInline, FindingInline]
    readonly_fields = (
        "article",
        "parent",
        "author",
        "author_name",
        "body_raw",
        "body_html",
        "status",
        "decision",
        "held_because",
        "decided_by",
        "decided_at",
        "rejection_reason",
        "rejection_note",
        "open_flag_count",
        "reaction_count",
        "is_featured",
        "is_locked",
        "created_at",
        "edited_at",
    )
    list_per_page = 100

    @admin.display(description="Comment")
    def short_body(self, obj):
        return obj.body_raw[:80]

    @admin.display(description="Author")
    def author_display(self, obj):
        return obj.display_author

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Flag)
class FlagAdmin(NoAddOrDelete, admin.ModelAdmin):
    list_display = ("comment", "reason", "reporter", "is_open", "created_at")
    list_filter = ("reason", "is_open")
    search_fields = ("note", "comment__body_raw", "reporter__username")
    readonly_fields = ("comment", "reporter", "reason", "note", "is_open", "created_at")
    list_select_related = ("comment", "reporter")


@admin.register(Reaction)
class ReactionAdmin(ReadOnly, admin.ModelAdmin):
    """Readers' reactions, as they gave them: only readers add or take them back."""

    list_display = ("created_at", "user", "comment", "comment_author")
    search_fields = ("user__username", "comment__body_raw")
    list_select_related = ("user", "comment", "comment__author")
    date_hierarchy = "created_at"
    raw_id_fields = ("comment", "user")

    @admin.display(description="Comment's author")
    def comment_author(self, obj):
        return obj.comment.display_author


@admin.register(Finding)
class FindingAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("comment", "rule", "match", "canonical", "category", "severity", "verdict")
    list_filter = ("rule", "category", "severity", "verdict", "is_current")
    search_fields = ("match", "canonical")


@admin.register(ModerationEvent)
class ModerationEventAdmin(ReadOnly, admin.ModelAdmin):
    """The audit log: readable by staff, changeable by nobody."""

    list_display = (
        "created_at",
        "actor_name",
        "action",
        "comment_id",
        "article",
        "target_user",
        "reason",
        "state_before",
        "state_after",
    )
    list_filter = ("action", "reason")
    search_fields = ("actor_name", "note", "reason")
    date_hierarchy = "created_at"


@admin.register(UserModeration)
class UserModerationAdmin(NoAddOrDelete, admin.ModelAdmin):
    list_display = ("user", "standing", "suspended_until", "premoderated", "updated_at")
    list_filter = ("standing", "premoderated")
    search_fields = ("user__username", "user__display_name")
    readonly_fields = ("user", "standing", "suspended_until", "standing_reason", "premoderated")
    actions = ["reinstate", "premoderate"]

    @admin.action(description="Reinstate selected users")
    def reinstate(self, request, queryset):
        for standing in queryset.select_related("user"):
            services.user_reinstate(user=standing.user, acting_user=request.user)

    @admin.action(description="Put selected users on pre-moderation")
    def premoderate(self, request, queryset):
        for standing in queryset.select_related("user"):
            services.user_set_premoderation(
                user=standing.user, acting_user=request.user, premoderated=True
            )


@admin.register(UserNote)
class UserNoteAdmin(NoAddOrDelete, admin.ModelAdmin):
    list_display = ("user", "author", "created_at", "body")
    search_fields = ("body", "user__username")
    readonly_fields = ("user", "author", "body", "created_at")


@admin.register(DetectorTerm)
class DetectorTermAdmin(admin.ModelAdmin):
    """Site-specific groups and forms, merged with the shipped lexicon without a restart."""

    list_display = ("canonical", "category", "is_derogatory", "created_at")
    list_filter = ("category", "is_derogatory")
    search_fields = ("canonical", "forms")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        findings.detector_terms_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        findings.detector_terms_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        findings.detector_terms_changed()
