"""Who may do what: the one place for role rules (services enforce them, views only mirror)."""

MODERATORS_GROUP = "Moderators"


def is_moderator(user) -> bool:
    """Staff, superusers and members of the Moderators group work the moderation desk."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # Read with the signed-in user by accounts.backends.UserBackend; asked once otherwise.
    if getattr(user, "in_moderators_group", None) is None:
        user.in_moderators_group = user.groups.filter(name=MODERATORS_GROUP).exists()
    return user.in_moderators_group


def can_moderate_user(actor, target) -> bool:
    """Moderators act on readers; only staff act on moderators; nobody acts on a superuser."""
    if not is_moderator(actor) or target.is_superuser or actor.pk == target.pk:
        return False
    if target.is_staff or is_moderator(target):
        return actor.is_staff or actor.is_superuser
    return True
