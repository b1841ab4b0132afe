#!/usr/bin/env python
"""Write moderation/detection/valence_wide.tsv: the learned model's word classes.

    .venv/bin/pip install -e '.[train]' && .venv/bin/python scripts/build_valence.py

Two kept lexicons, both shipped inside their wheels (no network):
- VADER (vaderSentiment 3.3.2, vader_lexicon.txt; Hutto and Gilbert, ICWSM 2014; MIT): mean
  valence -4..+4 of about 7,500 words, divided by 4;
- Pattern's English adjective lexicon (textblob 0.20, en/en-sentiment.xml; De Smedt and
  Daelemans; PDDL, public domain): polarity -1..+1 per sense, averaged over senses.
- better_profanity 0.7 (profanity_wordlist.txt; MIT): about 900 profanities, insults and slurs,
  rated -0.6 where neither lexicon rates them;
- moderation/detection/traits_neg.txt and traits_neg_more.txt (own curation, about 2,700
  words for bad character, habits and worth, slang included): rated -0.6 where the lexicons
  rate them weaker or not at all.
A word in both of the first two gets the mean of the two. Single words only; |polarity| < MIN
is left out, since the model only needs to know whether a word evaluates negatively or
positively.
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "moderation" / "detection" / "valence_wide.tsv"
MIN = 0.15
PROFANITY = -0.6

HEADER = """\
# Word polarity for the detector's learned model (learned.py): word, polarity -1..+1.
# Built by scripts/build_valence.py from two kept lexicons:
# - VADER sentiment lexicon (vaderSentiment 3.3.2), C.J. Hutto and E.E. Gilbert, "VADER: A
#   Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM 2014.
#   MIT License, Copyright (c) 2016 C.J. Hutto (see VADER_LICENSE.txt). Valence divided by 4.
# - Pattern English adjective lexicon (en-sentiment.xml, as shipped in textblob 0.20), Tom De
#   Smedt and Walter Daelemans, "Pattern for Python", JMLR 2012. PDDL (public domain).
# - better_profanity 0.7 word list (profanity_wordlist.txt), Copyright (c) 2018 The Python
#   Packaging Authority and contributors, MIT License: words neither lexicon rates get -0.6.
# - traits_neg.txt, traits_neg_more.txt (own curation, the project's licence): -0.6 where rated
#   weaker or not at all.
# Words in both lexicons carry the mean of the two; |polarity| < 0.15 is left out.
"""


def vader() -> dict[str, float]:
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    out = {}
    for line in text.splitlines():
        word, mean = line.split("\t")[:2]
        if word.isalpha() or ("-" in word and word.replace("-", "").isalpha()):
            out[word.lower()] = float(mean) / 4
    return out


def pattern() -> dict[str, float]:
    path = resources.files("textblob").joinpath("en", "en-sentiment.xml")
    senses: dict[str, list[float]] = {}
    # the file ships inside an installed wheel, not user input
    for el in ET.fromstring(path.read_bytes()).iter("word"):  # noqa: S314
        form = el.get("form", "").lower()
        if form.isalpha():
            senses.setdefault(form, []).append(float(el.get("polarity", "0")))
    return {w: statistics.fmean(p) for w, p in senses.items()}


def profanities() -> set[str]:
    text = resources.files("better_profanity").joinpath("profanity_wordlist.txt").read_text("utf-8")
    return {w.strip().lower() for w in text.splitlines() if w.strip().isalpha()}


def traits() -> set[str]:
    words = set()
    for name in ("traits_neg.txt", "traits_neg_more.txt"):
        lines = OUT.with_name(name).read_text(encoding="utf-8").splitlines()
        words |= {w.strip() for w in lines if w.strip() and not w.startswith("#")}
    return words


def main() -> None:
    a, b = vader(), pattern()
    merged = {}
    for word in a.keys() | b.keys():
        values = [d[word] for d in (a, b) if word in d]
        merged[word] = statistics.fmean(values)
    for word in profanities() - merged.keys():
        merged[word] = PROFANITY
    for word in traits():
        merged[word] = min(merged.get(word, 0.0), PROFANITY)
    rows = sorted((w, p) for w, p in merged.items() if abs(p) >= MIN)
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.writelines(f"{w}\t{p:+.2f}\n" for w, p in rows)
    neg = sum(p < 0 for _, p in rows)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} words ({neg} negative)")


if __name__ == "__main__":
    main()
