from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import User
from .names import imitates_a_role, strip_bidi

ROLE_NAME_REFUSED = (
    "Names that read as a role (moderator, admin, staff, Newsroom) are kept for "
    "the people who have it; please choose another."
)


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")
        help_texts = {"display_name": "Shown next to your comments. Defaults to your username."}

    def clean_username(self):
        username = super().clean_username()
        if username and imitates_a_role(username):
            raise forms.ValidationError(ROLE_NAME_REFUSED)
        return username

    def clean_display_name(self):
        name = strip_bidi(self.cleaned_data.get("display_name") or "").strip()
        if name and imitates_a_role(name):
            raise forms.ValidationError(ROLE_NAME_REFUSED)
        return name

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip()
        if email and User.objects.filter(email__iexact=email).exists():
            # Same wording whoever holds it; the address is what the reader typed anyway.
            raise forms.ValidationError("An account already uses this e-mail address.")
        return email
