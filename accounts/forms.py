import unicodedata

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
    SetPasswordMixin,
)
from django.db.models import Q

from . import services
from .models import User
from .names import imitates_a_role, strip_bidi

ROLE_NAME_REFUSED = (
    "Names that read as a role (moderator, admin, staff, Newsroom) are kept for "
    "the people who have it; please choose another."
)
EMAIL_MAX = User._meta.get_field("email").max_length
DISPLAY_NAME_MAX = User._meta.get_field("display_name").max_length
NAME_REQUIRED = "Choose a name to show next to your comments."


def clean_display_name(value: str | None) -> str:
    """The one rule for a display name, at sign-up and when it is changed: something visible,
    no direction controls, nothing that reads as a role."""
    name = strip_bidi(value or "").strip()
    if not name:
        raise forms.ValidationError(NAME_REQUIRED)
    if imitates_a_role(name):
        raise forms.ValidationError(ROLE_NAME_REFUSED)
    return name


class SignUpForm(SetPasswordMixin, forms.Form):
    """E-mail address, display name, password. No login name: one is made up (services).

    Nothing here asks whether the address is taken: that answer goes to the mailbox only.
    """

    email = forms.EmailField(
        label="E-mail address",
        max_length=EMAIL_MAX,
        help_text="We send a link to confirm it. You sign in with it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    display_name = forms.CharField(
        label="Display name",
        max_length=DISPLAY_NAME_MAX,
        help_text="Shown next to your comments.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean_email(self):
        # As User.clean stores it (Django's normalize_email lower-cases the domain).
        return User.objects.normalize_email(self.cleaned_data["email"].strip())

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data.get("display_name"))

    def clean(self):
        super().clean()
        self.validate_passwords()
        # Not too like the address or the name (Django's similarity validator reads the account).
        probe = User(
            email=self.cleaned_data.get("email", ""),
            display_name=self.cleaned_data.get("display_name", ""),
        )
        self.validate_password_for_user(probe)
        return self.cleaned_data


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


class DisplayNameForm(forms.Form):
    """A new display name, judged as at sign-up (clean_display_name)."""

    display_name = forms.CharField(
        label="Display name",
        max_length=DISPLAY_NAME_MAX,
        error_messages={"required": NAME_REQUIRED},
        help_text="Shown next to your comments and on your profile.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data.get("display_name"))


class ResendForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"].strip())


class ConfirmForm(forms.Form):
    """The confirmation page's one question: the password chosen at sign-up (services.confirm)."""

    error_messages = {
        "wrong_password": (
            "That is not the password this account was created with. Nothing was changed. "
            "Try again, or set a new password with the link below."
        ),
    }

    password = forms.CharField(
        label="Password",
        strip=False,
        help_text="Enter the password you chose when you signed up.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def add_wrong_password(self):
        self.add_error(None, self.error_messages["wrong_password"])


def _folded(address: str) -> str:
    return unicodedata.normalize("NFKC", address).casefold()


def _same_address(a: str, b: str) -> bool:
    # As Django's PasswordResetForm compares them: no look-alike address gets another's reset.
    return _folded(a) == _folded(b)


class ResetPasswordForm(PasswordResetForm):
    """Django's "forgotten your password?", which also mails an account still waiting for its
    confirmation link: setting a new password through that mail confirms it (services.
    reset_password). An account staff deactivated gets no mail, as in Django."""

    def get_users(self, email):
        candidates = User._default_manager.filter(
            Q(is_active=True) | Q(awaiting_confirmation=True), email__iexact=email
        )
        return (u for u in candidates if u.has_usable_password() and _same_address(email, u.email))


class ConfirmingSetPasswordForm(SetPasswordForm):
    """Django's new-password form at the end of a reset; `confirmed` says whether saving it
    confirmed the account as well."""

    confirmed = False

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        self.confirmed = services.reset_password(self.user, self.cleaned_data["new_password1"])
        return self.user
