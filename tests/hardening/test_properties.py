"""Property-based: random, hostile, huge and deeply nested input at the importers, the sanitizer
and the detector. They refuse with their own error or answer; they never crash."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments.importing import ImportFormatError, parse_json_thread, parse_seed_text
from comments.sanitize import clean_html, render_body
from moderation import detection

CHARS = st.characters(codec="utf-8") | st.sampled_from(
    list("<>&\"'•\n\t\r\x00\x0b\x1f\u202e\ufeff ")
)
TEXT = st.text(CHARS, max_size=400)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)
comment_dicts = st.fixed_dictionaries(
    {
        "id": st.one_of(TEXT, st.integers(), st.none()),
        "parent": st.one_of(TEXT, st.integers(), st.none()),
        "author": st.one_of(TEXT, st.integers(), st.none()),
        "body": st.one_of(TEXT, st.integers(), st.none()),
    },
    optional={"created": json_values, "status": json_values},
)
thread_docs = st.fixed_dictionaries(
    {
        "article": st.one_of(
            json_values,
            st.fixed_dictionaries(
                {
                    "title": st.one_of(TEXT, json_values),
                    "slug": st.one_of(TEXT, json_values),
                    "body": st.one_of(TEXT, json_values),
                },
                optional={"published_at": json_values},
            ),
        ),
        "comments": st.one_of(json_values, st.lists(comment_dicts, max_size=8)),
    }
)


@FAST
@given(TEXT)
def test_seed_text_parser_only_raises_import_format_error(text):
    try:
        parse_seed_text(text)
    except ImportFormatError:
        pass


@FAST
@given(st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["•", "", "• "]), TEXT), max_size=30))
def test_seed_text_parser_survives_random_bullet_trees(lines):
    text = "Title\n\nBody paragraph.\n\n" + "\n".join(" " * d + b + t for d, b, t in lines)
    try:
        parse_seed_text(text)
    except ImportFormatError:
        pass


@FAST
@given(st.one_of(thread_docs.map(json.dumps), json_values.map(json.dumps), TEXT))
def test_json_parser_only_raises_import_format_error(text):
    try:
        parse_json_thread(text)
    except ImportFormatError:
        pass


def test_json_parser_handles_deep_nesting_and_long_chains():
    for text in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        try:
            parse_json_thread(text)
        except ImportFormatError:
            pass
    chain = [
        {"id": str(i), "parent": str(i - 1) if i else None, "author": "a", "body": "b"}
        for i in range(20_000)
    ]
    thread = parse_json_thread(
        json.dumps({"article": {"title": "T", "slug": "t", "body": ""}, "comments": chain})
    )
    assert len(thread.comments) == 20_000


@FAST
@given(TEXT)
def test_render_body_never_raises_and_is_a_fixed_point_of_the_cleaner(text):
    html = render_body(text)
    assert clean_html(html) == html
    assert "<script" not in html.lower()


def test_render_body_on_the_largest_deeply_nested_bodies_is_quick():
    """Bodies up to MAX_BODY_CHARS (10,000): nested markup must not make sanitizing slow."""
    import time

    for text in (
        "<b>" * 1400 + "x" + "</b>" * 1400,
        "<blockquote>" * 800 + "x",
        "<i><b>" * 1600,
        "a" * 10_000,
        "<" * 10_000,
        "&" * 9_999 + ";",
    ):
        started = time.monotonic()
        html = render_body(text)
        assert time.monotonic() - started < 5, len(text)
        assert clean_html(html) == html


@FAST
@given(TEXT)
def test_detector_never_raises_and_offsets_are_valid(text):
    result = detection.detect(text)
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.match


def test_detector_on_huge_input():
    for text in ("Sunnis are " * 5000, "x" * 200_000, "\u202e" * 10_000):
        result = detection.detect(text)
        for f in result.findings:
            assert 0 <= f.start <= f.end <= len(text)
