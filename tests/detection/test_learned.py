"""The learned component: what it adds, and that it never overrides a blocker.

The sentences are written for these tests (none is in the training corpus or a held-out set);
the groups are ones the rules know, the wording is what no rule family lists.
"""

import json

import pytest

from moderation.detection import DETECTOR_VERSION, RULES, detect, learned


def learned_findings(text):
    return [f for f in detect(text).findings if f.rule == "learned"]


def test_weights_ship_with_the_code_and_name_the_version():
    data = json.loads(learned.WEIGHTS_PATH.read_text(encoding="utf-8"))
    model = learned.model()
    assert model is not None and model.version == data["version"]
    assert DETECTOR_VERSION.endswith("-" + model.version)
    assert 0.5 <= model.threshold < 1
    assert "learned" in RULES
    # the training corpus is named, and no held-out set is in it
    assert not any("own_test" in p or "blind_test" in p for p in data["trained_on"])


@pytest.mark.parametrize(
    "text",
    [
        "Chileans are whiners who moan about everything.",
        "Kazakhs are arrogant, greedy and spineless.",
        "The Dutch voted for their neighbours again and smirked about it, as cowardly as ever.",
    ],
)
def test_a_claim_no_rule_names_is_found_with_its_span_group_and_words(text):
    res = detect(text)
    assert res.flagged
    f = res.findings[0]
    assert text[f.start : f.end] == f.match and f.category in (
        "religion",
        "sect",
        "ethnicity",
        "nationality",
    )
    if f.rule == "learned":
        assert "learned model" in f.explanation and "weighed most" in f.explanation


def test_learned_finding_explains_with_the_words_that_weighed_most():
    found = learned_findings("Chileans are whiners who moan about everything.")
    assert found, "the rules do not list this wording; the model should take it"
    f = found[0]
    assert f.canonical == "Chileans" and f.severity == "report"
    assert "'whiners'" in f.explanation and "'everything'" not in f.explanation


@pytest.mark.parametrize(
    "text",
    [
        # negation, hedge, rejected and reported speech: the blockers stand
        "Chileans are not whiners who moan about everything.",
        "Some Kazakhs are arrogant, greedy and spineless.",
        "He claimed Kazakhs are arrogant, greedy and spineless, which is nonsense.",
        # the group as victim, as object, and praise
        "Kazakhs are persecuted, mocked and robbed.",
        "Militias attacked the Kazakhs and robbed them.",
        "Kazakhs like you are absolute heroes.",
        # one person
        "The Kazakh, Arman, is arrogant and greedy.",
    ],
)
def test_the_model_never_speaks_past_a_blocker(text):
    assert learned_findings(text) == []


def test_word_classes_generalise_to_unseen_inflections():
    assert learned.word_class("cowards") == learned.word_class("liars") == learned.NEG
    assert learned.word_class("non-violent") != learned.NEG
    assert learned.word_class("table") == "table"


def _training_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "train_detector.py"
    spec = importlib.util.spec_from_file_location("train_detector", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_weights_are_what_make_train_detector_fits_from_the_corpus():
    """Change the corpus, the features or the word classes without refitting, and this fails."""
    from moderation.detection.engine import masked_clauses

    train = _training_script()
    data = json.loads(learned.WEIGHTS_PATH.read_text(encoding="utf-8"))
    shipped = learned.model()
    rows = train.load_corpus()
    assert len(rows) == data["texts"]
    train.use_model(None)  # the clauses as the script reads them: without a previous model
    try:
        texts = [([learned.features(m) for m in masked_clauses(t)], g) for t, g in rows]
        clauses = [c for t, _ in rows[::4] for c in masked_clauses(t)]
    finally:
        train.use_model(shipped)
    vec, clf = train.fit(texts, data["C"])
    refit = train.to_model(vec, clf, data["threshold"])
    gaps = [abs(refit.probability(c) - shipped.probability(c)) for c in clauses]
    assert len(clauses) > 300 and max(gaps) < 0.02
