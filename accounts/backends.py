"""The sign-in backend: Django's ModelBackend, reading the moderator role with the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from newsroom.compiled import CompiledGet

from .roles import MODERATORS_GROUP

PATH = "accounts.backends.UserBackend"  # as listed in AUTHENTICATION_BACKENDS

# The desk and every signed-in thread page ask for the role (permissions.is_moderator), every
# post for the standing (suspended? pre-moderated?); reading both with the user saves those
# requests a round trip each. Compiled once: every signed-in request makes this read.
_USER_WITH_ROLE_AND_STANDING = CompiledGet(
    lambda: (
        get_user_model()
        .objects.select_related("moderation")
        .annotate(
            in_moderators_group=Exists(
                Group.objects.filter(user=OuterRef("pk"), name=MODERATORS_GROUP)
            )
        )
    )
)


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in user, with their role and their standing with the moderation desk."""
        user = _USER_WITH_ROLE_AND_STANDING.get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
