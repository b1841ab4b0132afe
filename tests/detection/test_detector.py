"""Table-driven tests for moderation.detection (pure Python, no database)."""

import csv
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.detection import (
    LEXICON_VERSION,
    RULES,
    SEVERITY_HOLD,
    SEVERITY_REPORT,
    DetectionResult,
    ExtraTerm,
    Finding,
    detect,
    patterns,
)
from moderation.detection.lexicon import get_matcher

HERE = Path(__file__).parent

# (text, rule or None, severity) -- one row per flag family and per hard negative
FLAGS = [
    ("All Muslims are terrorists.", "universal_quantifier", "report"),
    ("Every Shia is a liar.", "universal_quantifier", "report"),
    ("Turks are barbarians", None, "report"),
    ("The Druze will betray anyone.", "generic_plural", "report"),
    ("As usual, Sunnis will have nothing and will be the losers.", "collective_fate", "report"),
    ("all terrorists are Sunnis", "reverse_generalisation", "report"),
    ("jihadis are all Sunnis", "reverse_generalisation", "report"),
    ("Violence is in their blood, these Kurds.", "essentialism", "report"),
    ("Arabs are liars by nature.", "essentialism", "report"),
    ("Typical Shia behaviour.", "essentialism", "report"),
    ("Once a Wahhabi, always a Wahhabi.", "essentialism", "report"),
    ("They are all the same, these Arabs.", "homogeneity", "report"),
    ("There is no such thing as a moderate Muslim.", "homogeneity", "report"),
    ("Never trust a Turk.", "distrust", "report"),
    ("Iranians cannot be trusted.", "distrust", "report"),
    ("Kurds are animals.", "dehumanisation", "report"),
    ("Sunnis are a cancer on this region.", "dehumanisation", "report"),
    ("#ShiaDogs", "dehumanisation", "report"),
    ("Muslims = terrorists", "equation", "report"),
    ("Salafi and terrorist are the same thing.", "equation", "report"),
    ("Death to all Shia.", "violence_call", "hold"),
    ("Kill every Kurd you see.", "violence_call", "hold"),
    ("The Armenians should all be driven out.", "violence_call", "hold"),
    ("Yup, death to all SalafiTerrorists in Syria…", "violence_call", "hold"),
    ("#DeathToShia", "violence_call", "hold"),
    ("Those Muslims won't change. Let's just eradicate them.", "violence_call", "hold"),
    ("I hate Turks.", "hostility", "report"),
    ("Filthy muzzies.", "derogatory_name", "report"),
]

HARD_NEGATIVES = [
    "Many Sunnis fight in the SAA.",
    "Some Kurds sided with the government.",
    "The Sunnis I met in Damascus were very kind.",
    "Those fighters who attacked Hama were not locals.",
    "Not all Muslims are terrorists.",
    "All terrorists are not Muslims.",
    "Muslims are not a monolith.",
    "He said all Shia are traitors, which is a lie.",
    "Stop saying Kurds are traitors.",
    "Alawites make up about ten percent of Syria's population.",
    "Muslims celebrate Eid.",
    "Every Syrian deserves peace.",
    "The Turkish army shelled Afrin.",
    "Russia and the US have no plans to cooperate.",
    "Why should Sunnis end up with nothing?",
    "Are all Kurds traitors? Of course not.",
    "If all Muslims were terrorists, we'd all be dead by now.",
    '"All Turks are barbarians" is exactly the kind of racism we should reject.',
    "Christians in Idlib will be slaughtered if nobody protects them.",
    "Death to all Salafi terrorists in Idlib.",
    "Performed by non-Muslims, mostly.",
    "The black sheep of the family is my uncle.",
    "The US cannot be trusted about anything.",
    "",
]


@pytest.mark.parametrize(("text", "rule", "severity"), FLAGS)
def test_flag_families(text, rule, severity):
    res = detect(text)
    assert res.flagged, text
    assert res.severity == severity
    if rule is not None:
        assert any(f.rule == rule for f in res.findings), [f.rule for f in res.findings]
    for f in res.findings:
        assert isinstance(f, Finding)
        assert text[f.start : f.end] == f.match
        assert f.rule in RULES
        assert f.category in ("religion", "sect", "ethnicity", "nationality")
        assert f.severity in (SEVERITY_REPORT, SEVERITY_HOLD)
        assert f.explanation and f.canonical


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives(text):
    res = detect(text)
    assert not res.flagged, [(f.rule, f.match) for f in res.findings]
    assert res.severity is None


def test_seed_reverse_generalisation_span_is_second_clause():
    text = "Not all Sunnis are terrorist but all terrorist are Sunnis."
    (f,) = detect(text).findings
    assert f.match == "all terrorist are Sunnis"
    assert text[f.start : f.end] == f.match
    assert f.canonical == "Sunnis" and f.category == "sect" and f.rule == "reverse_generalisation"


def test_seed_thread_labels():
    # `make run`'s seed, in the repository.
    seed = Path(__file__).resolve().parents[2] / "demo" / "seeds" / "000_1bed210dd336d319.txt"
    body = seed.read_text(encoding="utf-8")
    assert detect("As usual, Sunnis will have nothing and will be the losers.").severity == "report"
    assert detect("Yup, death to all SalafiTerrorists in Syria…").severity == "hold"
    assert "Sunnis" in body


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("SUNNIS ARE TERRORISTS", "Sunnis"),
        ("sunni's are liars", "Sunnis"),
        ("shiites are liars", "Shia"),
        ("alawis are murderers", "Alawites"),
        ("Kurdish people are treacherous", "Kurds"),
        ("#KurdRats everywhere", "Kurds"),
        ("#deathtoshia", "Shia"),
        ("Rafidis are scum", "Shia"),
        ("Black people are criminals", "Black people"),
    ],
)
def test_casing_hashtags_misspellings_derogatory(text, canonical):
    res = detect(text)
    assert res.flagged
    assert res.findings[0].canonical == canonical
    f = res.findings[0]
    assert text[f.start : f.end] == f.match


def test_offsets_with_unicode_prefix_and_curly_quotes():
    text = "Ça va? “Well” — honestly, the Turks are barbarians… and more."
    res = detect(text)
    assert res.flagged
    for f in res.findings:
        assert text[f.start : f.end] == f.match
        assert "Turks are barbarians" in f.match


def test_extra_terms_merge_and_cache():
    extra = (
        ExtraTerm(
            canonical="Houthis", category="sect", forms=("Houthi", "Huthis"), derogatory=False
        ),
    )
    assert not detect("Houthis are terrorists.").flagged
    res = detect("Houthis are terrorists.", extra_terms=extra)
    assert (
        res.flagged
        and res.findings[0].canonical == "Houthis"
        and res.findings[0].category == "sect"
    )
    assert detect("All Huthis are liars", extra_terms=extra).flagged
    # the compiled matcher is cached by the tuple (same object and equal tuple)
    assert get_matcher(extra) is get_matcher(extra)
    assert get_matcher(tuple(extra)) is get_matcher(extra)
    # shipped lexicon still works alongside
    assert detect("Kurds are rats.", extra_terms=extra).flagged
    # duplicates of shipped terms are fine
    yaz = (
        ExtraTerm(
            canonical="Yazidis", category="religion", forms=("Yazidi", "Yezidis"), derogatory=False
        ),
    )
    assert detect("Yezidis are devil worshippers.", extra_terms=yaz).flagged
    slur = (ExtraTerm(canonical="Ahmadis", category="sect", forms=("qadiyanis",), derogatory=True),)
    assert (
        detect("Too many qadiyanis here.", extra_terms=slur).findings[0].rule == "derogatory_name"
    )


def test_public_constants():
    assert isinstance(LEXICON_VERSION, str) and LEXICON_VERSION
    assert {
        "universal_quantifier",
        "generic_plural",
        "reverse_generalisation",
        "essentialism",
        "homogeneity",
        "distrust",
        "dehumanisation",
        "equation",
        "violence_call",
        "collective_fate",
    } <= set(RULES)
    assert isinstance(detect("x"), DetectionResult)


def test_empty_and_none_like():
    assert detect("").findings == ()
    assert not detect("   \n\t ").flagged


def test_huge_input_is_bounded_and_linearish():
    unit = "all Sunnis \"every Shia 'all Kurds are' never trust\" Muslims = = Alawite dogs not all "
    big = (unit * 200)[:10_000]
    res = detect(big)
    for f in res.findings:
        assert big[f.start : f.end] == f.match
    # work is linear by construction: clauses are capped, every regex repetition is bounded.
    # Check structurally: doubling the input at most roughly doubles the findings.
    res2 = detect((unit * 400)[:20_000])
    assert len(res2.findings) <= 2 * len(res.findings) + 2


def test_no_group_mentions_fast_path():
    text = "The ceasefire collapsed again after three days, which nobody found surprising. " * 4
    assert detect(text).findings == ()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_random_unicode_never_raises(text):
    res = detect(text)
    for f in res.findings:
        assert text[f.start : f.end] == f.match


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "all",
                "Sunnis",
                "are",
                "not",
                "terrorists",
                "\x00",
                "\u202e",
                "#",
                "Shia",
                "Dogs",
                '"',
                "'",
                "’",
                "—",
                ".",
                "never",
                "trust",
                "a",
                "Turk",
                "kill",
                "=",
                "İ",
                "ß",
                "\n",
            ]
        ),
        max_size=60,
    )
)
def test_random_token_soup_never_raises(tokens):
    text = " ".join(tokens)
    res = detect(text)
    for f in res.findings:
        assert text[f.start : f.end] == f.match
        assert f.severity in ("report", "hold")


def _eval_rows():
    with (HERE / "eval_set.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_eval_set_size_and_quality():
    rows = _eval_rows()
    assert len(rows) >= 300
    tp = fp = fn = 0
    for r in rows:
        flagged = detect(r["text"]).flagged
        gold = r["label"] != "none"
        tp += flagged and gold
        fp += flagged and not gold
        fn += gold and not flagged
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    assert precision >= 0.95, precision
    assert recall >= 0.90, recall


def test_eval_set_hold_severity():
    for r in _eval_rows():
        if r["label"] == "hold":
            assert detect(r["text"]).severity == "hold", r["text"]


def test_deterministic_shuffled_inputs():
    rnd = random.Random(7)
    texts = [r["text"] for r in _eval_rows()]
    rnd.shuffle(texts)
    first = [detect(t).findings for t in texts[:80]]
    again = [detect(t).findings for t in texts[:80]]
    assert first == again


def test_subject_prefix_lookaheads_only_skip_hopeless_positions():
    """SUBJ_P opens with lookaheads that must hold wherever a match can start: the same patterns
    without them find the same matches, on clauses built from the words SUBJ_P knows."""
    import re
    from re import _parser

    body = patterns.SUBJ_P[len(patterns.SUBJ_P_START) :]
    assert _parser.parse(body).getwidth()[1] <= patterns._SUBJ_P_WIDTH
    assert "G" not in body.replace("(?P<q>", "")
    users = [rx for _, rx, _ in patterns.FAMILIES if patterns.SUBJ_P in rx.pattern]
    assert len(users) >= 10
    for rx in users:
        assert rx.pattern.startswith(patterns.SUBJ_P + "(?P<g>GR"), rx.pattern[:120]
    plain = [re.compile(rx.pattern.replace(patterns.SUBJ_P_START, "", 1)) for rx in users]
    words = (
        f"{patterns._QUANT}|{patterns._OF}|{patterns._DET}|99 % of|99% "
        "of|GRP1|GRX2|GRS3|GRP12|are|is|will|"
        "liars|animals|always|lie|have nothing|be the losers|the "
        "same|trusted|can't|never|change|make me sick|"
        "by nature|,|.|not|all|xthe|ofthe|allGRP4"
    ).split("|")
    rnd = random.Random(7)
    for _ in range(3000):
        clause = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 14)))
        for rx, px in zip(users, plain, strict=True):
            assert [(m.span(), m.groups()) for m in rx.finditer(clause)] == [
                (m.span(), m.groups()) for m in px.finditer(clause)
            ], (clause, rx.pattern[:80])
