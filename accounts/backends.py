"""The sign-in backend: Django's ModelBackend, by username or e-mail address, reading the
moderator role with the user."""

from django.conf import settings
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


def find_account(identifier: str):
    """The account a reader means by what they typed: their username, exactly, or else their
    e-mail address in any case (unique, so at most one). None if neither."""
    User = get_user_model()
    if not identifier:
        return None
    try:
        return User._default_manager.get_by_natural_key(identifier)
    except User.DoesNotExist:
        pass
    if "@" not in identifier:
        return None
    return User._default_manager.holding_email(identifier).first()


def lockout_username(request, credentials=None) -> str | None:
    """django-axes' key for the account tried: its username, however it was named.

    Without this, every spelling of an address (Rita@, rita@, RITA@) and the username would
    each get their own ten tries. An address that belongs to nobody counts in lower case.
    """
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    typed = credentials.get(field) if credentials else getattr(request, "POST", {}).get(field)
    if not typed:
        return typed
    account = find_account(typed)
    if account is not None:
        return account.get_username()
    return typed.lower() if "@" in typed else typed


class UserBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        """ModelBackend's, but the username may be the account's e-mail address.

        An inactive account (one waiting for its confirmation link, or deactivated) fails exactly
        as a wrong password does; the password is hashed even for nobody, as in Django, so the
        time taken says nothing either.
        """
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_account(username)
        if user is None:
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user, with their role and their standing with the moderation desk."""
        user = _USER_WITH_ROLE_AND_STANDING.get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
