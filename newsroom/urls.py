from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from comments import views as comment_views


@require_GET
def healthz(request):
    """Liveness probe, and the trivial view load tests compare the thread page against."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", comment_views.home, name="home"),
    path("", include("comments.urls")),
    path("moderation/", include("comments.moderation_urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
