from django.template.response import TemplateResponse

from .locks import TreeBusy


class TreeBusyMiddleware:
    """Answer 503 "busy, try again" when a tree lock could not be taken in time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, TreeBusy):
            response = TemplateResponse(
                request, "busy.html", {"message": str(exception)}, status=503
            )
            response["Retry-After"] = "2"
            return response.render()
        return None
