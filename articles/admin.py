from django.contrib import admin

from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "published_at", "comment_mode")
    list_filter = ("comment_mode",)
    search_fields = ("title", "body")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "published_at"

    def has_delete_permission(self, request, obj=None):
        # Comments PROTECT their article: an article with a discussion can only be closed.
        return False
