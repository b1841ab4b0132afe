"""The detector's learned component: a linear model over masked clauses.

The rule families catch the forms they name; this model catches what readers write beyond them
("Tamils are two-faced", "Uzbeks cheat whoever they deal with"). It scores a clause only after
the engine has found a whole-group mention in it, masked it (the group is a placeholder, so the
model learns the shape of a claim, not the names of groups) and no rule fired; and its finding
still goes through the engine's blockers (negation, hedges, reported and rejected speech...), so
it can add findings but never override a blocker.

Features are the clause's words, and its word pairs and triples with the group placeholder as
`<g>` and any VADER negative word as `<neg>` (so a negative word never seen in training still
counts). The weights are fitted by scripts/train_detector.py (`make train-detector`) on the
training corpus in tests/data/detector/ and shipped in learned_weights.json; scoring is a
sum of weights, pure Python.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .lexicon import VALENCE_NEG

WEIGHTS_PATH = Path(__file__).with_name("learned_weights.json")

_PLACEHOLDER_RE = re.compile(r"GR[PSXAKQ]\d+")
_NEG_WORDS = frozenset(w for w in VALENCE_NEG if " " not in w)
GROUP = "<g>"
NEG = "<neg>"


def tokens(masked: str) -> list[str]:
    """The masked clause's words, with every group placeholder as `<g>`."""
    return [GROUP if _PLACEHOLDER_RE.fullmatch(t) else t for t in masked.split()]


def features(masked: str) -> set[str]:
    words = tokens(masked)
    classed = ["<s>", *(NEG if w in _NEG_WORDS else w for w in words), "</s>"]
    out = {"w:" + w for w in words}
    out.update("b:" + a + " " + b for a, b in zip(classed, classed[1:], strict=False))
    for a, b, c in zip(classed, classed[1:], classed[2:], strict=False):
        if GROUP in (a, b, c) or NEG in (a, b, c):
            out.add("t:" + a + " " + b + " " + c)
    if GROUP in classed and NEG in classed:
        out.add("o:<g>..<neg>" if classed.index(GROUP) < _last(classed, NEG) else "o:<neg>..<g>")
    return out


def _last(seq: list[str], item: str) -> int:
    return len(seq) - 1 - seq[::-1].index(item)


@dataclass(frozen=True, slots=True)
class Score:
    probability: float
    top: tuple[str, ...]  # the features that weighed most for the claim, most first


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
        w = self.weights
        contrib = [(w[f], f) for f in features(masked) if f in w]
        z = self.bias + sum(c for c, _ in contrib)
        p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
        top = tuple(f for c, f in sorted(contrib, reverse=True)[:3] if c > 0)
        return Score(p, top)


def describe(feature: str, group: str) -> str:
    """A feature as the moderator reads it: "b:<g> are" -> "Kurds are"."""
    text = feature.split(":", 1)[1]
    text = text.replace("<s> ", "").replace(" </s>", "").replace(GROUP, group)
    return text.replace(NEG, "(negative word)").replace("o:", "")


_MODEL: list[LinearModel | None] = []


def model() -> LinearModel | None:
    if not _MODEL:
        _MODEL.append(LinearModel.load())
    return _MODEL[0]
