"""The site's Content-Security-Policy, with the one exception the admin needs."""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.urls import reverse


class NewsroomCSPMiddleware(CSPMiddleware):
    """django-csp's middleware; under the admin, inline styles are allowed (never scripts).

    Django's admin and django-mptt's tree admin indent rows with `style="padding-left: …"`
    attributes; without 'unsafe-inline' for styles the comment tree in the admin loses its
    shape. Only staff reach the admin, and script-src stays 'self' everywhere.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(reverse("admin:index")):
            parts.update = {**(parts.update or {}), "style-src": ["'unsafe-inline'"]}
        return parts
