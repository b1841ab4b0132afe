from .roles import is_moderator


def moderation(request):
    """Whether to show the moderation desk link (one cached lookup per request)."""
    return {"perms_moderator": is_moderator(getattr(request, "user", None))}
