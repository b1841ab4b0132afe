from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A reader, moderator or staff member; `display_name` is what threads show."""

    display_name = models.CharField(max_length=60, blank=True)

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.username
