"""The reader's report form (its choices are the model's Reason)."""

from django import forms

from comments.models import Reason


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for “Other”; optional otherwise.",
    )
