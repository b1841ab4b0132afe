"""The detector's learned component: a linear model over masked clauses.

The rule families catch the forms they name; this model catches what readers write beyond them
("Tamils are two-faced", "Uzbeks cheat whoever they deal with"). It scores a clause only after
the engine has found a whole-group mention in it, masked it (the group is a placeholder, so the
model learns the shape of a claim, not the names of groups) and no rule fired; and its finding
still goes through the engine's blockers (negation, hedges, reported and rejected speech...), so
it can add findings but never override a blocker.

Features are the clause's words, and its word pairs and triples with the group placeholder as
`<g>` and any evaluative word as `<neg>` or `<pos>` (valence_wide.tsv, from the VADER, Pattern
and better_profanity lists), so an insult never seen in training still counts. Its finding must
also name evidence: a negative word of the clause, by the lexicon or by its learned weight.
The weights are fitted by scripts/train_detector.py (`make train-detector`) on the training
corpus in tests/data/detector/ and shipped in learned_weights.json; scoring is a sum of
weights, pure Python.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

WEIGHTS_PATH = Path(__file__).with_name("learned_weights.json")
VALENCE_PATH = Path(__file__).with_name("valence_wide.tsv")

_PLACEHOLDER_RE = re.compile(r"GR[PSXAKQ]\d+")
GROUP = "<g>"
NEG = "<neg>"
POS = "<pos>"


def _polarity() -> dict[str, float]:
    with VALENCE_PATH.open(encoding="utf-8") as fh:
        rows = (ln.split("\t") for ln in fh if ln.strip() and not ln.startswith("#"))
        return {w: float(p) for w, p in rows}


_POLARITY = _polarity()


# weaker ratings ("tough", "hard") say too little about the word as a judgement of people
CLASS_MIN = 0.25
_FLIP = ("non", "un", "anti")
_FUNCTION_WORDS = frozenset(
    """a an the and or but if then so as at by for from in into of on onto to up with without
    about above after against among around before behind below beneath beside between beyond
    during except inside near off out outside over past since than through toward towards under
    until upon via within is are was were be been being am do does did done have has had having
    will would shall should can could may might must i me my we us our you your he him his she
    her it its they them their this that these those there here who whom whose which what when
    where why how all any both each every few many more most much no none not only other some
    such own same too very just also even still again ever never always often one ones s t
    everything anything nothing everyone anyone someone something everybody anybody
    going gonna make makes made get gets got go goes went come comes came let lets put want wants
    think thinks say says said look looks seem seems oh ah eh yes yeah well lol""".split()
)


def _stems(word: str) -> tuple[str, ...]:
    """Candidate dictionary forms of an inflected word: "thieves" is not needed (listed), but
    "whingeing", "fleeced", "swindlers" and "bullies" are."""
    if len(word) <= 4:
        return ()
    if word.endswith("ies"):
        return (word[:-3] + "y",)
    if word.endswith("ing"):
        return (word[:-3], word[:-3] + "e", word[:-4])
    if word.endswith("ed"):
        return (word[:-1], word[:-2], word[:-3])
    if word.endswith("es"):
        return (word[:-1], word[:-2])
    if word.endswith("s"):
        return (word[:-1],)
    return ()


# the same words recur in clause after clause: look each up (stems and all) once
@functools.lru_cache(maxsize=65536)
def _rating(word: str) -> float | None:
    p = _POLARITY.get(word)
    for stem in _stems(word) if p is None else ():
        p = _POLARITY.get(stem)
        if p is not None:
            break
    if p is None and "-" in word:
        head, _, rest = word.partition("-")
        if head in _FLIP and (q := _rating(rest)) is not None:
            p = -q  # "non-violent"
        elif head not in _FLIP:
            p = _POLARITY.get(word.rsplit("-", 1)[1])  # the head of "bomb-crazy" is "crazy"
    return p


# emoji that insult when they stand for a people: "Turks 🐀🐀", "Moroccans 🤮"
_NEG_EMOJI = frozenset(
    "🐀 🐁 🐭 🐒 🐵 🙈 🦍 🐖 🐷 🐽 🐍 🪳 🦟 🐛 🪱 🦠 🤮 🤢 💩 🗑 🗑️ 🚮 🤡 🦨 🐑".split()
)


def word_class(word: str) -> str:
    """`<neg>` or `<pos>` for an evaluative word (plurals and hyphenated words looked up too),
    else the word itself."""
    if word in _NEG_EMOJI:
        return NEG
    p = _rating(word)
    if p is None or abs(p) < CLASS_MIN:
        return word
    return NEG if p < 0 else POS


_NEGATORS = frozenset("not never no nothing none without hardly nobody cannot".split())
_NOT_UNDONE = frozenset(", ; and but less more than anything other".split())


def _negated(words: list[str], i: int) -> bool:
    """A negation within the three words before words[i], with no comma between."""
    for w in reversed(words[max(0, i - 3) : i]):
        if w in _NOT_UNDONE:  # "never less than honest", "nothing but kind"
            return False
        if w in _NEGATORS or w.endswith("n't"):
            return True
    return False


def _only_good_for(words: list[str], i: int) -> bool:
    """ "X are only good for guarding gates": the praise is the insult."""
    return 0 < i < len(words) - 1 and words[i - 1] == "only" and words[i + 1] == "for"


def praises(masked: str) -> bool:
    """Praise and nothing negative: "X like you are heroes", "I'll cherish any X like you"; a
    negated good word ("not one honest X") is no praise."""
    words = masked.split()
    if any(
        word_class(w) == POS and (_negated(words, i) or _only_good_for(words, i))
        for i, w in enumerate(words)
    ):
        return False
    ratings = [r for r in map(_rating, words) if r is not None]
    return max(ratings, default=0.0) >= PRAISE and min(ratings, default=0.0) > -CLASS_MIN


def tokens(masked: str) -> list[str]:
    """The masked clause's words, with every group placeholder as `<g>`."""
    return [GROUP if _PLACEHOLDER_RE.fullmatch(t) else t for t in masked.split()]


def features(masked: str) -> set[str]:
    words = tokens(masked)
    classed = ["<s>", *(word_class(w) for w in words), "</s>"]
    out = {"w:" + w for w in words}
    out.update("w:" + c for c in classed if c in (NEG, POS))
    out.update("b:" + a + " " + b for a, b in zip(classed, classed[1:], strict=False))
    for a, b, c in zip(classed, classed[1:], classed[2:], strict=False):
        if GROUP in (a, b, c) or NEG in (a, b, c) or POS in (a, b, c):
            out.add("t:" + a + " " + b + " " + c)
    if GROUP in classed and NEG in classed:
        out.add("o:<g>..<neg>" if classed.index(GROUP) < _last(classed, NEG) else "o:<neg>..<g>")
    return out


def _last(seq: list[str], item: str) -> int:
    return len(seq) - 1 - seq[::-1].index(item)


@dataclass(frozen=True, slots=True)
class Score:
    probability: float
    evidence: tuple[str, ...]  # the clause's words that carry the claim, strongest first


# a word whose own weight reaches this counts as evidence even if no lexicon rates it ("crooks")
EVIDENCE_WEIGHT = 0.5
# a score this sure stands without a single negative word ("X are convict stock")
SURE_WITHOUT_EVIDENCE = 0.97
PRAISE = 0.5  # a word rated this well makes a clause without a negative word praise


class LinearModel:
    def __init__(self, bias: float, weights: dict[str, float], threshold: float, version: str):
        self.bias = bias
        self.weights = weights
        self.threshold = threshold
        self.version = version

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> LinearModel | None:
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["bias"], data["weights"], data["threshold"], data["version"])

    def score(self, masked: str) -> Score:
        return Score(self.probability(masked), self.evidence(masked))

    def evidence(self, masked: str) -> tuple[str, ...]:
        """Words of the clause that evaluate negatively (by the lexicon or by their learned
        weight): without one, the model's score is only the shape of a sentence about a group,
        and "X are Catholics" has that shape too."""
        w = self.weights
        neg = w.get("w:" + NEG, 0.0)
        words = tokens(masked)
        found: dict[str, float] = {}
        for i, word in enumerate(words):
            own = w.get("w:" + word, 0.0)
            if word_class(word) == NEG:
                found[word] = own + neg
            elif word_class(word) == POS and (_negated(words, i) or _only_good_for(words, i)):
                found[word] = EVIDENCE_WEIGHT  # "never do an honest day's work"
            elif (
                own >= EVIDENCE_WEIGHT
                and word.isalpha()
                and word not in _FUNCTION_WORDS
                and word_class(word) != POS
            ):
                found[word] = own
        return tuple(sorted((x for x in found if found[x] > 0), key=lambda x: -found[x])[:3])

    def probability(self, masked: str) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features(masked))
        return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


_MODEL: list[LinearModel | None] = []


def model() -> LinearModel | None:
    if not _MODEL:
        _MODEL.append(LinearModel.load())
    return _MODEL[0]
