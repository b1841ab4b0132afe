from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from .names import strip_bidi

EMAIL_TAKEN = "An account already uses this e-mail address."
# What threads, cards and pages call the author of a deleted account (comments.models too).
DELETED_USER_NAME = "[deleted user]"


class AccountManager(UserManager):
    def holding_email(self, email: str, *, exclude_pk=None):
        """The account whose address is `email`, whatever the case: the one uniqueness check.

        Compared as the database's unique index compares (lower(email), blank addresses never
        clash), so what this finds is what the index would refuse. Sign-up and resend, the admin
        (through User.clean), create_user, demo_setup and the sign-in backend ask here.
        """
        email = (email or "").strip()
        if not email:
            return self.none()
        found = self.alias(email_lower=Lower("email")).filter(
            email_lower=Lower(models.Value(email))
        )
        return found.exclude(pk=exclude_pk) if exclude_pk is not None else found

    def _create_user_object(self, username, email, password, **extra_fields):
        # create_user, create_superuser (and `manage.py createsuperuser`, which shows this
        # message) refuse a taken address before the database has to.
        user = super()._create_user_object(username, email, password, **extra_fields)
        if self.holding_email(user.email).exists():
            raise ValidationError({"email": EMAIL_TAKEN}, code="email_taken")
        return user


class User(AbstractUser):
    """A reader, moderator or staff member; `display_name` is what threads show."""

    display_name = models.CharField(max_length=60, blank=True)
    # Created by sign-up, inactive until the link mailed to its address is followed. Only such an
    # account can be activated by a link: one that staff deactivated stays deactivated.
    awaiting_confirmation = models.BooleanField(default=False, editable=False)
    # Set when its owner deleted the account: the row stays (comments, flags and the moderation
    # record point at it), scrubbed of everything that named or reached them.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AccountManager()

    class Meta(AbstractUser.Meta):
        constraints = [
            # One account per address, whatever its case; accounts without one do not clash.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message=EMAIL_TAKEN,
            )
        ]

    def clean(self):
        super().clean()  # normalises the address (lower-case domain)
        self.email = self.email.strip()
        if (
            self.email
            and type(self)._default_manager.holding_email(self.email, exclude_pk=self.pk).exists()
        ):
            raise ValidationError({"email": EMAIL_TAKEN}, code="email_taken")

    def save(self, *args, **kwargs):
        # However the name arrives (sign-up, admin, shell), it never reorders what follows it.
        self.display_name = strip_bidi(self.display_name)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.deleted_at is not None:
            return DELETED_USER_NAME
        return self.display_name or self.username
