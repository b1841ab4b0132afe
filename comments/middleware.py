import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from newsroom.ratelimits import RateLimited

from .locks import TreeBusy

log = logging.getLogger("newsroom.errors")


class TreeBusyMiddleware:
    """Turn the failures a reader can do something about into pages that say what to do.

    Rate limits → 429 with when to retry; a tree lock not taken in time → 503 "busy";
    a database connection lost mid-request → 503 "please try again" (the transaction has
    rolled back, so nothing half-written remains). The page template touches no database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return self._page(request, 429, "Slow down", str(exception), exception.retry_after)
        if isinstance(exception, TreeBusy):
            return self._page(
                request,
                503,
                "Busy: please try again",
                "This discussion is very busy right now. Nothing was saved; send it "
                "again in a moment.",
                2,
            )
        if isinstance(exception, (OperationalError, InterfaceError)):
            log.exception("database unavailable during %s %s", request.method, request.path)
            return self._page(
                request,
                503,
                "Please try again",
                "We could not reach the database, so nothing was saved. "
                "Please go back and try again in a moment.",
                5,
            )
        return None

    @staticmethod
    def _page(request, status, title, message, retry_after):
        html = render_to_string("error_standalone.html", {"title": title, "message": message})
        response = HttpResponse(html, status=status)
        response["Retry-After"] = str(retry_after)
        return response
