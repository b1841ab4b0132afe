"""Group lexicon: loads lexicon.json and compiles the one group-mention pattern.

The mention pattern is a character trie turned into a single regular expression (no nested
quantifiers, so matching is linear in the text length). Extra terms from the admin are merged in
and the compiled result is cached, keyed by the tuple of extra terms.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path


def _ascii_table() -> bytes:
    table = bytearray(range(256))
    for i in range(256):
        if 65 <= i <= 90:
            table[i] = i + 32
        elif not 97 <= i <= 122:
            table[i] = 32
    return bytes(table)


# bytes.translate table: ASCII letters lower-cased, everything else becomes a space
ASCII_WORDS = _ascii_table()

_PATH = Path(__file__).with_name("lexicon.json")
with _PATH.open(encoding="utf-8") as _fh:
    DATA = json.load(_fh)

VERSION: str = DATA["version"] + "+world5"
VOCAB: dict[str, list[str]] = DATA["vocab"]
CATEGORIES = ("religion", "sect", "ethnicity", "nationality")

# kind codes
PL, SG, AMB, AMBPL, ADJ, DX, DXS = "pl", "sg", "amb", "ambpl", "adj", "dx", "dxs"
# a people's name that is mostly an ordinary word or a given name elsewhere (the lexicon lists it
# only as "<name> people"): the people only in a clear frame, "the Wolof always ...", "Shona men"
NAME = "name"
# too common in other senses even in those frames ("the brown ...", "the chin ...", "Karen")
_NOT_NAMES = frozenset(
    "afar brown chin dine fur indigenous karen maya mari san shan edo baka nair moro twa "
    "pueblo".split()
)
_KIND_FIELDS = (
    ("plural", PL),
    ("singular", SG),
    ("ambiguous", AMB),
    ("ambiguous_plural", AMBPL),
    ("adjective", ADJ),
    ("derogatory", DX),
    ("derogatory_singular", DXS),
)


@dataclass(frozen=True, slots=True)
class Group:
    canonical: str
    category: str


def norm_form(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").replace("\u2018", "'").lower().split())


def _mention_esc(ch: str) -> str:
    if ch == "'":
        return "['\u2019]"
    if ch == " ":
        return r"[\s\-]*"
    if ch == "-":
        return r"[\s\-]?"
    return re.escape(ch)


def trie_regex(words, esc=_mention_esc) -> str:
    """Alternation of words as a character trie, each character written by esc().

    For literal words this matches exactly what the alternation of the words sorted longest first
    matches, in the same order (a longer word is tried before its prefixes), but the regex engine
    follows one branch per character instead of testing every word at every position.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        optional = "" in node
        alts = [esc(ch) + build(sub) for ch, sub in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if optional:
            if len(alts) == 1 and len(body) == 1:
                return body + "?"
            return "(?:" + body + ")?"
        return body

    return build(trie)


_WORLD_PATH = Path(__file__).with_name("world_groups.tsv")
# "people from X": the people-nouns put before a country name
_FROM_FORMS = (
    "people from {}",
    "people of {}",
    "folks from {}",
    "those from {}",
    "anyone from {}",
    "everyone from {}",
    "citizens of {}",
    "immigrants from {}",
    "migrants from {}",
    "refugees from {}",
)


def _world_entries():
    """Rows of world_groups.tsv: (canonical, category, [(form, kind), ...])."""
    out = []
    with _WORLD_PATH.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            cols = (line.rstrip("\n").split("\t") + [""] * 6)[:6]
            canonical, category = cols[0].strip(), cols[1].strip()
            if category not in CATEGORIES:
                continue
            forms = []
            countries = []
            for col, kind in ((2, PL), (3, AMB), (4, AMBPL), (5, "")):
                for f in (f.strip() for f in cols[col].split("|")):
                    if f and (f[0].isupper() or f.startswith("the ")):
                        countries.append(f)  # a country name, in whichever column
                    elif f and kind:
                        forms.append((f, kind))
            for country in countries:
                forms += [(t.format(country), PL) for t in _FROM_FORMS]
            out.append((canonical, category, forms))
    return out


WORLD = _world_entries()


def _slur_entries():
    """Rows of slurs.tsv: (canonical, [(form, kind), ...]), plural slurs as DX, others DXS."""
    out = []
    with Path(__file__).with_name("slurs.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                canonical, forms = line.rstrip("\n").split("\t")
                out.append(
                    (canonical, [(f, DX if f.endswith("s") else DXS) for f in forms.split("|")])
                )
    return out


SLURS = _slur_entries()


def _valence_words():
    path = Path(__file__).with_name("valence_neg.tsv")
    with path.open(encoding="utf-8") as fh:
        return [ln.split("\t", 1)[0].strip() for ln in fh if ln.strip() and not ln.startswith("#")]


# open-class negative evaluations (from VADER, see valence_neg.tsv)
VALENCE_NEG: list[str] = _valence_words()


class Matcher:
    """Compiled group lexicon (shipped lexicon + extra terms)."""

    __slots__ = ("groups", "forms", "compact", "mention_re", "body_re", "keys")

    def __init__(self, extra_terms=()):
        groups: list[Group] = []
        forms: dict[str, tuple[int, str]] = {}
        for entry in DATA["groups"]:
            gid = len(groups)
            groups.append(Group(entry["canonical"], entry["category"]))
            for field_name, kind in _KIND_FIELDS:
                for f in entry.get(field_name, ()):
                    forms.setdefault(norm_form(f), (gid, kind))
        by_name = {g.canonical: i for i, g in enumerate(groups)}
        for canonical, category, wforms in WORLD:
            gid = by_name.get(canonical, -1)
            if gid < 0:
                gid = len(groups)
                groups.append(Group(canonical, category))
                by_name[canonical] = gid
            for f, kind in wforms:
                forms.setdefault(norm_form(f), (gid, kind))
        for canonical, sforms in SLURS:
            for f, kind in sforms:
                forms.setdefault(norm_form(f), (by_name[canonical], kind))
        for term in extra_terms:
            category = term.category if term.category in CATEGORIES else "religion"
            gid = len(groups)
            groups.append(Group(term.canonical, category))
            surface = [term.canonical, *tuple(term.forms)]
            for f in surface:
                nf = norm_form(f)
                if not nf:
                    continue
                if term.derogatory:
                    kind = DX if nf.endswith("s") else DXS
                else:
                    kind = PL if nf.endswith("s") else AMB
                # an admin entry overrides the shipped meaning of the same form
                forms[nf] = (gid, kind)
        for f, (gid, _kind) in list(forms.items()):
            head = f[: -len(" people")]
            if f.endswith(" people") and " " not in head and head not in forms:
                if head not in _NOT_NAMES:
                    forms[head] = (gid, NAME)
        self.groups = groups
        self.forms = forms
        # lookup key with spaces / hyphens removed ("sri-lankans", "camelfuckers")
        self.compact: dict = {}
        for f, v in forms.items():
            self.compact.setdefault(f.replace(" ", "").replace("-", ""), v)
        trie = trie_regex(sorted(forms))
        # matched against the lower-cased text at candidate positions only (see engine.py)
        self.mention_re = re.compile("(?:" + trie + ")(?:['\u2019]s?)?")
        self.body_re = re.compile("(?:" + trie + ")")
        # prefilter keys: first ASCII word of each form, as bytes
        self.keys = frozenset(
            f.encode("ascii", "replace").translate(ASCII_WORDS).split()[0]
            for f in forms
            if f.encode("ascii", "replace").translate(ASCII_WORDS).split()
        )


_DEFAULT = Matcher()
_CACHE: dict = {}
_LAST: list = [None, None]  # identity fast path: (extra_terms object, matcher)


def get_matcher(extra_terms=()) -> Matcher:
    if not extra_terms:
        return _DEFAULT
    if _LAST[0] is extra_terms:
        return _LAST[1]
    try:
        key = tuple(extra_terms)
        hash(key)
    except TypeError:
        key = tuple(
            (t.canonical, t.category, tuple(t.forms), bool(t.derogatory)) for t in extra_terms
        )
    matcher = _CACHE.get(key)
    if matcher is None:
        if len(_CACHE) >= 16:
            _CACHE.pop(next(iter(_CACHE)))
        matcher = Matcher(key if not isinstance(key[0], tuple) else extra_terms)
        _CACHE[key] = matcher
    _LAST[0], _LAST[1] = extra_terms, matcher
    return matcher
