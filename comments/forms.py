from django import forms
from django.conf import settings


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": settings.NEWSROOM["MAX_BODY_CHARS"]}),
        # Length and emptiness are the service's rules; the form only carries the text through.
        strip=False,
        required=False,
    )
    # Honeypot: hidden from people by CSS and aria-hidden; bots that fill every field give
    # themselves away without any CAPTCHA service.
    website = forms.CharField(required=False, label="Leave this empty")
    post_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's CharField drops text with a NUL byte from cleaned_data, which the service
        # would then call empty; let it through so the service names the real problem.
        self.fields["body"].validators = []

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
