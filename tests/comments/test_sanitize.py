"""The sanitizer: a small allowed subset, idempotent, and nothing executable gets through."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from comments.sanitize import ALLOWED_TAGS, clean_html, render_body

XSS_FILE = Path(settings.BASE_DIR) / "tests" / "data" / "xss" / "xss_payloads.txt"

KEPT = {"p", "br", "b", "strong", "i", "em", "a", "blockquote", "code"}
SAFE_SCHEMES = {"http", "https", "mailto"}


class Inspector(HTMLParser):
    """Every tag and attribute the browser would see in the sanitized HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.comments: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_decl(self, decl):
        self.other.append(decl)

    def handle_pi(self, data):
        self.other.append(data)

    def unknown_decl(self, data):
        self.other.append(data)


def inspect(html: str) -> Inspector:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector


_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


def scheme_of(url: str) -> str:
    """The scheme a browser would use: it ignores whitespace and control characters in it."""
    cleaned = _URL_NOISE.sub("", url).lower()
    return urlsplit(cleaned).scheme


def assert_safe(html: str, source: str = ""):
    lowered = html.lower()
    for needle in (
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<svg",
        "<math",
        "<style",
        "<img",
        "<form",
        "<input",
        "<meta",
        "<link",
        "<base",
    ):
        assert needle not in lowered, (source, html)
    found = inspect(html)
    assert not found.comments and not found.other, (source, html)
    for tag, attrs in found.tags:
        assert tag in KEPT, (source, tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), (source, name, html)
            assert name != "style", (source, html)
            assert (tag, name) in {("a", "href"), ("a", "rel")}, (source, tag, name, html)
            if name == "href":
                scheme = scheme_of(value)
                assert scheme in SAFE_SCHEMES or scheme == "", (source, value, html)
                assert not scheme_of(value).startswith(("javascript", "vbscript", "data")), value
        if tag == "a" and "href" in attrs:
            assert attrs.get("rel") == "nofollow ugc noopener", (source, html)


# --- the allowed subset --------------------------------------------------------------------


def test_allowed_tags_are_exactly_the_documented_subset():
    assert set(ALLOWED_TAGS) == KEPT


@pytest.mark.parametrize("tag", ["b", "strong", "i", "em", "code"])
def test_inline_tags_are_kept(tag):
    assert render_body(f"say <{tag}>this</{tag}> now") == f"<p>say <{tag}>this</{tag}> now</p>"


def test_blockquote_paragraphs_and_line_breaks_are_kept():
    html = render_body("<blockquote>quoted</blockquote>\n\nline one\nline two")
    assert html == "<blockquote>quoted</blockquote><p>line one<br>line two</p>"


def test_explicit_paragraph_and_br_markup_survive():
    html = render_body("<p>one</p>two<br>three")
    found = inspect(html)
    assert [t for t, _ in found.tags].count("br") == 1
    assert "one" in html and "three" in html
    assert_safe(html)


def test_links_keep_href_and_get_rel():
    html = render_body(
        '<a href="https://example.com/x?a=1&amp;b=2" title="t" class="c" '
        'target="_blank" onclick="steal()">site</a>'
    )
    ((tag, attrs),) = [t for t in inspect(html).tags if t[0] == "a"]
    assert attrs == {"href": "https://example.com/x?a=1&b=2", "rel": "nofollow ugc noopener"}


def test_bare_urls_become_links_but_not_inside_code():
    html = render_body("visit https://example.com today, or <code>http://inside.example</code>")
    links = [attrs for tag, attrs in inspect(html).tags if tag == "a"]
    assert links == [{"href": "https://example.com", "rel": "nofollow ugc noopener"}]


@pytest.mark.parametrize(
    "markup, text",
    [
        ("<div>block</div>", "block"),
        ('<span style="color:red">red</span>', "red"),
        ("<u>under</u>", "under"),
        ("<h1>big</h1>", "big"),
        ('<img src="x.png" alt="pic">after', "after"),
        ("<table><tr><td>cell</td></tr></table>", "cell"),
        ("<font face=x>font</font>", "font"),
    ],
)
def test_other_markup_is_stripped_but_its_text_kept(markup, text):
    html = render_body(markup)
    assert text in html
    assert {t for t, _ in inspect(html).tags} <= {"p"}
    assert_safe(html)


def test_script_content_is_not_executable():
    html = render_body("<script>alert(1)</script>hello")
    assert "<script" not in html.lower()
    assert_safe(html)


def test_plain_text_is_escaped_not_interpreted():
    html = render_body("1 < 2 & 3 > 2")
    assert html == "<p>1 &lt; 2 &amp; 3 &gt; 2</p>"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "jav&#x0A;ascript:alert(1)",
    ],
)
def test_dangerous_link_schemes_are_removed(href):
    html = render_body(f'<a href="{href}">click</a>')
    assert "click" in html
    assert_safe(html, href)


def test_mailto_and_relative_links_are_allowed():
    html = render_body('<a href="mailto:editor@example.com">mail</a> <a href="/about">about</a>')
    hrefs = [attrs["href"] for tag, attrs in inspect(html).tags if tag == "a"]
    assert hrefs == ["mailto:editor@example.com", "/about"]


def test_control_characters_are_dropped():
    assert render_body("a\x01b\x7fc\x1bd") == "<p>abcd</p>"


# --- idempotence ---------------------------------------------------------------------------


IDEMPOTENCE_SAMPLES = [
    "plain",
    "a\n\nb\nc",
    "<b>bold <i>both</i></b>",
    "<blockquote>q<p>inner</p></blockquote>",
    "<p><blockquote>hoisted</blockquote></p>",
    "<a href='http://x.example'>x</a> http://y.example",
    "<code>&lt;b&gt;</code>",
    "1 < 2 && 3 > 2",
    "<p></p><p> </p>",
    "<b><p>mis</b>nested</p>",
    "<<b>>",
    "<!-- comment -->visible",
    "<a href=javascript:alert(1)>j</a>",
    "email me@example.com",
    "<blockquote><blockquote>deep</blockquote></blockquote>",
]


@pytest.mark.parametrize("raw", IDEMPOTENCE_SAMPLES)
def test_cleaning_rendered_html_changes_nothing(raw):
    html = render_body(raw)
    assert clean_html(html) == html
    assert_safe(html, raw)


# --- the XSS corpus ------------------------------------------------------------------------


def _payloads():
    return [
        line
        for line in XSS_FILE.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.strip()
    ]


def test_xss_corpus_is_present_and_substantial():
    assert len(_payloads()) > 100


@pytest.mark.parametrize("index", range(len(_payloads())))
def test_xss_payload_is_neutralised(index):
    payload = _payloads()[index]
    html = render_body(payload)
    assert_safe(html, payload)
    assert clean_html(html) == html, payload


def test_xss_payloads_inside_a_link_or_quote_are_neutralised():
    for payload in _payloads():
        for wrapped in (
            f"<blockquote>{payload}</blockquote>",
            f'<a href="{payload}">x</a>',
            f"<b>{payload}",
            f"{payload}\n\n{payload}",
        ):
            html = render_body(wrapped)
            assert_safe(html, wrapped)
