from django.contrib import admin
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from comments import views as comment_views


@require_GET
def healthz(request):
    """Liveness probe, and the trivial view load tests compare the thread page against."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def readyz(request):
    """Readiness probe: this app server can reach its database (503 if not).

    Load tests also time it: a trivial view plus one database round trip, the least any page
    that must not be stale can cost.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", comment_views.home, name="home"),
    path("", include("comments.urls")),
    path("moderation/", include("moderation.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("profiles.urls")),
    path("admin/", admin.site.urls),
]
