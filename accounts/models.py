from django.contrib.auth.models import AbstractUser
from django.db import models

from .names import strip_bidi


class User(AbstractUser):
    """A reader, moderator or staff member; `display_name` is what threads show."""

    display_name = models.CharField(max_length=60, blank=True)

    def save(self, *args, **kwargs):
        # However the name arrives (sign-up, admin, shell), it never reorders what follows it.
        self.display_name = strip_bidi(self.display_name)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.username
