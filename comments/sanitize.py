"""The one bleach configuration: every reader's text becomes HTML here, once, at write time.

bleach 6.4.0 is bleach's last release, so it is pinned exactly; the XSS corpus tests in
tests/comments/test_sanitize.py are the guard if it is ever replaced (nh3 is the heir).
"""

import re
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = frozenset({"p", "br", "b", "strong", "i", "em", "a", "blockquote", "code"})
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_BLANK_LINES = re.compile(r"\n\s*\n")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<[^>]*>")


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"code"}, parse_email=False)],
)


def clean_html(html: str) -> str:
    """Sanitize HTML to the allowed subset; idempotent (cleaning twice changes nothing)."""
    return _cleaner.clean(html)


def render_body(raw: str) -> str:
    """Turn a reader's plain text (with a little markup) into safe HTML paragraphs."""
    text = _CONTROL_CHARS.sub("", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
    paragraphs = [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]
    html = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    # The parser hoists a blockquote out of its <p>, leaving empty paragraphs behind. Cleaning
    # twice reaches the fixed point: a first pass can leave text a second parse reads differently.
    return clean_html(clean_html(html).replace("<p></p>", ""))


def visible_text(html: str) -> str:
    """The text a reader would see, for emptiness checks."""
    return _TAG.sub("", html).replace("&nbsp;", " ").strip()
