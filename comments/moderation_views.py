"""The moderation desk (placeholder until the moderation issue lands)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from .models import Comment
from .permissions import is_moderator


def _require_moderator(request):
    if not is_moderator(request.user):
        raise PermissionDenied("Moderators only.")


@login_required
def queue(request):
    _require_moderator(request)
    return render(request, "moderation/queue.html", {})


@login_required
def comment_card(request, pk: int):
    _require_moderator(request)
    comment = get_object_or_404(Comment, pk=pk)
    return render(request, "moderation/queue.html", {"comment": comment})
