"""Hardening tests: hostile input, abuse, faults. Shared helpers live here (no conftest).

`inert_problems(html)` parses a rendered page with the standard library's html.parser and lists
everything in it that a browser could execute or that could redirect the page: the tests assert
the list is empty for pages full of hostile input.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

# In the repository (tests/data/xss/README.md: sources and licences); a missing file fails.
XSS_FILE = Path(settings.BASE_DIR) / "tests" / "data" / "xss" / "xss_payloads.txt"


def xss_payloads() -> list[str]:
    """The 185 vectors of the corpus in tests/data/xss."""
    lines = [line for line in XSS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= 150, f"the corpus shrank to {len(lines)} vectors"
    return lines


FORBIDDEN_TAGS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "base",
    "style",
    "portal",
    "noscript",
    "template",
    "xml",
    "xss",
    "image",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "lowsrc",
    "dynsrc",
    "codebase",
    "cite",
    "ping",
    "srcset",
}
BAD_SCHEMES = {"javascript", "vbscript", "data", "livescript", "mocha"}
OUR_METAS = [{"charset": "utf-8"}, {"name": "viewport"}, {"name": "htmx-config"}]
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
# With admin=True, the Django admin's own chrome is allowed: its theme-toggle <svg> icons, its
# robots <meta>, and django-mptt's changelist indents tree levels with this inline style (its own
# markup,
# never reader text); anything else in a style attribute is a finding.
_ADMIN_SVG_CLASSES = {
    "theme-icon-when-auto",
    "theme-icon-when-dark",
    "theme-icon-when-light",
    "base-svgs",
}
_MPTT_INDENT = re.compile(r"^padding-left:\s*\d+px;?$")


def scheme_of(url: str) -> str:
    """The scheme a browser would use: it ignores whitespace and control characters in it."""
    cleaned = _URL_NOISE.sub("", url).lower()
    try:
        return urlsplit(cleaned).scheme
    except ValueError:
        return cleaned.split(":", 1)[0] if ":" in cleaned else ""


def _own_path(url: str) -> bool:
    """A same-origin path (or empty: "this page"): not //host, not a scheme."""
    url = url.strip()
    return (
        url == ""
        or url.startswith("?")
        or url.startswith("#")
        or (url.startswith("/") and not url.startswith("//") and not url.startswith("/\\"))
    )


class _Inspector(HTMLParser):
    def __init__(self, admin: bool):
        super().__init__(convert_charrefs=True)
        self.admin = admin
        self.problems: list[str] = []
        self.in_script = False
        self.script_text = ""

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        where = f"<{tag} {a}>"
        if self.admin and (
            tag == "meta"
            and a.get("name") == "robots"
            or tag in ("svg", "use")
            and (
                set(a.get("class", "").split()) & _ADMIN_SVG_CLASSES
                or a.get("href", "").startswith("#")
            )
        ):
            return  # the Django admin's own chrome (theme icons, robots meta)
        if tag == "script":
            src = a.get("src", "")
            if not (src.startswith("/static/") or src == "/admin/jsi18n/"):
                self.problems.append(f"script not from /static/: {where}")
            self.in_script, self.script_text = True, ""
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"forbidden element: {where}")
        if tag == "meta" and not any(
            all(a.get(k, "").lower() == v or (v == "" and k in a) for k, v in m.items())
            for m in OUR_METAS
        ):
            self.problems.append(f"meta element not ours: {where}")
        if tag == "meta" and "http-equiv" in a:
            self.problems.append(f"meta http-equiv: {where}")
        if tag == "link" and a == {"rel": "icon", "href": "data:,"}:
            return  # base.html's empty favicon (stops a /favicon.ico request): inert by design
        if tag == "link" and not (
            a.get("rel") == "stylesheet" and a.get("href", "").startswith("/static/")
        ):
            self.problems.append(f"link element not our stylesheet: {where}")
        if tag == "form" and not _own_path(a.get("action", "")):
            self.problems.append(f"form with external action: {where}")
        for name, value in a.items():
            if name.startswith("on") or name.startswith("hx-on") or name.startswith("data-hx-on"):
                self.problems.append(f"event handler attribute {name}: {where}")
            if name == "style" and not (self.admin and _MPTT_INDENT.match(value.strip())):
                self.problems.append(f"style attribute: {where}")
            if name in ("srcdoc", "formaction"):
                self.problems.append(f"{name} attribute: {where}")
            if name in URL_ATTRIBUTES or name.endswith(":href"):
                for part in value.split(",") if name == "srcset" else [value]:
                    if scheme_of(part) in BAD_SCHEMES:
                        self.problems.append(f"{scheme_of(part)}: URL in {name}: {where}")
            if (
                tag == "a"
                and name == "href"
                and scheme_of(value) not in ("", "http", "https", "mailto")
            ):
                self.problems.append(f"link with scheme {scheme_of(value)!r}: {where}")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            if self.script_text.strip():
                self.problems.append(f"inline script content: {self.script_text[:80]!r}")
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.script_text += data


def inert_problems(html: str | bytes, *, admin: bool = False) -> list[str]:
    """Everything executable or redirecting in a page; empty when the page is inert."""
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    inspector = _Inspector(admin)
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def assert_inert(response_or_html, what: str, **options) -> None:
    html = getattr(response_or_html, "content", response_or_html)
    problems = inert_problems(html, **options)
    assert not problems, f"{what}: {len(problems)} problem(s), first: {problems[:5]}"
