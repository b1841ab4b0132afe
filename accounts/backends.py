"""The sign-in backend: Django's ModelBackend, reading the moderator role with the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from comments.permissions import MODERATORS_GROUP

PATH = "accounts.backends.UserBackend"  # as listed in AUTHENTICATION_BACKENDS


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in user, with their role and their standing with the moderation desk.

        The desk and every signed-in thread page ask for the role (permissions.is_moderator),
        every post for the standing (suspended? pre-moderated?); reading both with the user
        saves those requests a round trip to the database each.
        """
        moderators = Group.objects.filter(user=OuterRef("pk"), name=MODERATORS_GROUP)
        users = get_user_model().objects.select_related("moderation").annotate(
            in_moderators_group=Exists(moderators))
        try:  # get(), not first(): first() adds an ORDER BY, measurably slower, on every request
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
