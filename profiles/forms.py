from django import forms


class DeleteAccountForm(forms.Form):
    """The one question before an account is deleted: its password."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        help_text="To make sure it is you.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
