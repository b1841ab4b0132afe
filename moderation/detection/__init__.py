"""Sectarian-generalisation detector.

Pure Python (standard library only), no Django imports, no network. `detect(text)` returns a
DetectionResult whose findings say which span generalises about which religious, sectarian,
ethnic or national group, under which rule, and how severe it is ("hold" for calls for violence
or expulsion, "report" otherwise).

The group lexicon and the closed word lists live in lexicon.json (versioned: LEXICON_VERSION);
world_groups.tsv adds demonyms, ethnic groups, religions and sects worldwide and "people from X";
valence_neg.tsv (from the VADER lexicon, MIT) gives open-class negative evaluations.
When a text yields nothing, a spelling pass (spelling.py) may read it again with misspelt group
names and strong words corrected, spaced-out letters joined and run-together words split; its
findings still point into the original text.
A learned linear model over masked clauses (learned.py, weights in learned_weights.json, fitted
by `make train-detector`) speaks where no rule does; the blockers still apply to it.
Staff-defined groups are passed as `extra_terms` (a tuple of ExtraTerm) and merged with the
shipped lexicon; the compiled matcher is cached per tuple.
"""

from . import learned
from .engine import RULES, detect
from .lexicon import CATEGORIES
from .lexicon import VERSION as LEXICON_VERSION
from .model import SEVERITY_HOLD, SEVERITY_REPORT, DetectionResult, ExtraTerm, Finding

# bumped whenever a change can alter findings; recorded with each finding by the callers
_model = learned.model()
DETECTOR_VERSION = f"3.2.0-{LEXICON_VERSION}-{_model.version if _model else 'rules'}"

__all__ = [
    "CATEGORIES",
    "DETECTOR_VERSION",
    "LEXICON_VERSION",
    "RULES",
    "SEVERITY_HOLD",
    "SEVERITY_REPORT",
    "DetectionResult",
    "ExtraTerm",
    "Finding",
    "detect",
]
