from django.contrib import admin
from django.urls import include, path

from comments import views as comment_views

urlpatterns = [
    path("", comment_views.home, name="home"),
    path("", include("comments.urls")),
    path("moderation/", include("comments.moderation_urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
