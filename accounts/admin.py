from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Django's user admin. Its forms run User.clean, the one check that an address is free."""

    list_display = ("username", "display_name", "email", "is_staff", "is_active", "date_joined")
    list_filter = (*BaseUserAdmin.list_filter, "awaiting_confirmation", "deleted_at")
    search_fields = ("username", "display_name", "email")
    readonly_fields = ("awaiting_confirmation", "deleted_at")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Newsroom", {"fields": ("display_name", "awaiting_confirmation", "deleted_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "display_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
