"""Behaviour of the v2 detector: open-class evaluations, world groups, new predicate forms,
and the exclusions it must leave alone. Pure Python, no database, no wall-clock asserts."""

import csv
from pathlib import Path

import pytest

from moderation import detection
from moderation.detection import DETECTOR_VERSION, RULES, SEVERITY_HOLD, detect

DEV = Path(__file__).resolve().parent.parent / "data" / "detector" / "dev.tsv"


def test_version_exposed():
    assert isinstance(DETECTOR_VERSION, str) and DETECTOR_VERSION.split(".")[0].isdigit()
    assert detection.DETECTOR_VERSION == DETECTOR_VERSION


# (text, canonical group, category, text the span must contain, rule or None)
CAUGHT = [
    ("Tamils are two-faced.", "Tamils", "ethnicity", "Tamils are two-faced", None),
    ("Ghanaians are lazy and dishonest.", "Ghanaians", "nationality", "Ghanaians are lazy", None),
    ("People from Moldova are crooks.", "Moldovans", "nationality", "People from Moldova", None),
    ("Nepali men are cowards.", "Nepalese", "nationality", "Nepali men are cowards", None),
    ("Wiccans are deranged.", "Wiccans", "religion", "Wiccans are deranged", None),
    ("Quakers are hypocritical cowards.", "Quakers", "sect", "Quakers", None),
    ("Senegalese are never honest.", "Senegalese", "nationality", "never honest", "generic_plural"),
    (
        "Mongolians are devoid of decency.",
        "Mongolians",
        "nationality",
        "devoid of decency",
        "generic_plural",
    ),
    ("Pashtun men have no shame, none of them.", "Pashtuns", "ethnicity", "no shame", None),
    ("Roma steal whatever they can carry.", "Roma", "ethnicity", "Roma steal", "generic_plural"),
    (
        "The Baluch have treachery in their bones.",
        "Baloch",
        "ethnicity",
        "in their bones",
        "essentialism",
    ),
    (
        "My cat is smarter than any Tajik.",
        "Tajiks",
        "ethnicity",
        "smarter than any Tajik",
        "dehumanisation",
    ),
    ("Show me a Copt and I'll show you a traitor.", "Copts", "sect", "a traitor", "generic_plural"),
    ("Isn't it obvious that Zoroastrians are scum?", "Zoroastrians", "religion", "scum", None),
    (
        "Why are Bahais so sneaky? Because their faith teaches it.",
        "Baha'is",
        "religion",
        "sneaky",
        None,
    ),
    (
        "Everyone in my village knows Circassians steal, and they're right.",
        "Circassians",
        "ethnicity",
        "Circassians steal",
        None,
    ),
    (
        "I have Armenian friends, fine, but Armenians as a nation are crooks.",
        "Armenians",
        "ethnicity",
        "as a nation are crooks",
        None,
    ),
    ("They are all the same, these Laotians.", "Laotians", "nationality", "these Laotians", None),
    (
        "Kazakh lives are worth nothing.",
        "Kazakhs",
        "nationality",
        "worth nothing",
        "dehumanisation",
    ),
]


@pytest.mark.parametrize("text,canonical,category,part,rule", CAUGHT)
def test_caught_with_group_and_span(text, canonical, category, part, rule):
    res = detect(text)
    assert res.flagged, text
    f = res.findings[0]
    assert f.canonical == canonical and f.category == category
    assert text[f.start : f.end] == f.match and part in f.match
    assert f.rule in RULES and f.explanation
    if rule:
        assert f.rule == rule


HOLD = [
    ("Each Ismaili deserves a noose.", "Ismailis"),
    ("Circassians should be sent packing, the lot of them.", "Circassians"),
    ("Kick the Yoruba out of our city.", "Yoruba"),
    ("We should wipe the Druze out.", "Druze"),
]


@pytest.mark.parametrize("text,canonical", HOLD)
def test_violence_and_expulsion_hold(text, canonical):
    res = detect(text)
    assert res.severity == SEVERITY_HOLD
    assert res.findings[0].canonical == canonical and res.findings[0].rule == "violence_call"


def test_pronoun_carried_across_sentences_span_in_second_sentence():
    text = "I will never accept Druze in my town. We should wipe them out."
    res = detect(text)
    assert res.severity == SEVERITY_HOLD
    f = res.findings[0]
    assert f.canonical == "Druze" and f.match == "We should wipe them out"
    assert f.start == text.index("We should")


def test_claim_in_third_sentence_of_a_comment():
    text = (
        "I visited Lima last year. The food was great. Peruvians, though, are rude and "
        "dishonest people. Still, go."
    )
    res = detect(text)
    assert res.flagged and res.findings[0].canonical == "Peruvians"
    assert res.findings[0].start > text.index("great")


LEFT_ALONE = [
    "Some Kurds are corrupt, like people anywhere.",
    "A few Tajik officials were convicted of fraud.",
    "Not all Fijians are rugby players.",
    "Tamils are not two-faced.",
    "It is false that Roma steal.",
    "He said all Shia are traitors, which is a lie.",
    "Saying that Uzbeks are lazy is racist.",
    "The article says Roma are thieves. That is bigotry, plain and simple.",
    "Mexicans were portrayed as lazy by the press.",
    "The Japanese are polite.",
    "Ghanaians are friendly and generous.",
    "Rohingya are persecuted and poor.",
    "Uyghurs are suffering in camps.",
    "Hazaras are afraid for their children.",
    "Mongolians were victims of the purges.",
    "Russia is aggressive towards its neighbours.",
    "The Turkish army was brutal in the offensive.",
    "Sikhs wear turbans.",
    "Most Maltese are Catholic.",
    "People from Moldova often work abroad.",
    "Kazakh steppe winters are harsh.",
    "Tamil cinema is loud and colourful.",
    "The Igbo were massacred in 1966.",
]


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_left_alone(text):
    res = detect(text)
    assert not res.flagged, [(f.rule, f.match) for f in res.findings]


def test_dev_set_scores():
    rows = list(csv.DictReader(DEV.open(encoding="utf-8"), delimiter="\t"))
    assert len(rows) >= 70
    wrong = [r["text"] for r in rows if detect(r["text"]).flagged != (r["label"] != "none")]
    assert not wrong


def test_linear_work_on_long_input():
    # no wall clock: the findings of a repeated comment grow linearly and spans stay exact
    unit = "Ghanaians are thieves. Some Kurds are nice. The Japanese are polite. "
    for k in (1, 10, 100):
        text = unit * k
        res = detect(text)
        assert len(res.findings) == k
        assert all(text[f.start : f.end] == f.match for f in res.findings)


def test_leetspeak_read_as_letters_offsets_into_original():
    text = "Honestly, I want to k1ll all Kurds."
    res = detect(text)
    assert res.severity == SEVERITY_HOLD
    f = res.findings[0]
    assert f.match == text[f.start : f.end] and "k1ll" in f.match and f.canonical == "Kurds"
    assert not detect("COVID19 hit 2nd-tier towns in Kurdistan.").flagged


@pytest.mark.parametrize(
    "text,caught",
    [
        ("So sick of being around Ghanaians.", True),
        ("The contempt I feel for Tamils is huge.", True),
        ("I am disgusted by attacks on Kurds.", False),
        ("I am sick of people insulting Kurds.", False),
        ("I am fed up with the Kurdish parties.", False),
    ],
)
def test_hostility_open_forms(text, caught):
    res = detect(text)
    assert res.flagged is caught
    if caught:
        assert res.findings[0].rule == "hostility"


@pytest.mark.parametrize(
    "text,caught",
    [
        ("Give me a Turk and I will give you a liar.", True),
        ("They should all be thrown out, the Kosovars.", True),
        ("Is there anything more pathetic than a Belgian?", True),
        ("Don't you think Danes are arrogant?", True),
        ("Why do Serbs lie so much?", True),
        ("My father always said Jews are greedy, and he was right.", True),
        ("Do you think Danes are arrogant?", False),
        ("Why do Serbs vote so much?", False),
        ("Is there anything more beautiful than a Belgian sunset?", False),
        ("Isn't it sad that people say Kurds are liars?", False),
    ],
)
def test_questions_verdicts_and_endorsement(text, caught):
    assert detect(text).flagged is caught
