from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from .models import User
from .names import imitates_a_role, strip_bidi

EMAIL_MAX = User._meta.get_field("email").max_length
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


class SignInForm(AuthenticationForm):
    """Django's sign-in form, whose first field takes the e-mail address or the username."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Your e-mail address (or username) and password didn't match. Please try again."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.label = "E-mail or username"
        field.max_length = max(EMAIL_MAX, field.max_length or 0)
        field.widget.attrs.update(maxlength=field.max_length, autocomplete="username")
