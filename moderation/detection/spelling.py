"""Spelling pass: a normalised copy of a text for a second detection run.

Tried only when the first run finds nothing and a cheap gate says the text may hide a group name
or a strong word behind a misspelling:

- letters spaced out ("h a t e", "M u s l i m s") are joined;
- a word one edit away (one letter deleted, two neighbours swapped) from a group form or from a
  strong word of the rules ("haet", "contmpt", "Muslm") is read as that word, unless the
  misspelling is itself a known word (spelling_words.txt, built by bench/build_spelling_words.py);
- an unknown word of 7 letters or more with one letter too many or one letter wrong for a group
  form ("Portugeese", "Somolians") is read as that form (symmetric deletion: the word less one
  letter is the form, or the form less one letter);
- two words run together ("Ihate", "muchdisdain", "Muslimsdisgust") are split when one part is a
  strong word or a group form and the other a known word.

Work is linear in the text: one regex pass, dictionary look-ups per word, and for a run-together
word one look-up per split point (words are capped at 40 letters). The copy keeps, for every
character, the offset of the original character it came from, so findings point into the text
the reader wrote.
"""

from __future__ import annotations

import re
from pathlib import Path

from .lexicon import trie_regex

_HERE = Path(__file__).resolve().parent

# strong words of the rules (hostility, dehumanisation, insults, threats); misspelt forms of
# these are worth a second look when a group is near
STRONG = frozenset(
    """
hate hates hated hatred hateful despise despises loathe loathes detest detests disgust disgusts
disgusted disgusting disdain contempt sick sicken sickens sickening repulsive revolting vile
vermin scum filth filthy dirty trash garbage animals animal rats cockroaches parasites parasite
savages savage subhuman subhumans worthless worst stupid idiots liars thieves criminals
terrorists rapists evil pathetic inferior kill murder exterminate slaughter eradicate deport
execute shoot hang burn drown strangle annihilate eliminate wipe disgrace plague disease cancer
pigs dogs monkeys apes snakes leeches maggots lazy dumb ugly smelly stink stinks disgustingly
angry rage furious despicable abhorrent primitive backward barbaric barbarians brainless morons
""".split()
)

_WORDS_FILE = _HERE / "spelling_words.txt"
STOP = frozenset(
    line
    for line in (
        _WORDS_FILE.read_text(encoding="utf-8").splitlines() if _WORDS_FILE.exists() else ()
    )
    if line and not line.startswith("#")
)

_SMALL = frozenset(
    """
i you we they he she it me us them so much very really just all any these those the a an of for
by to in on at and but or my our your their his her its such too most more many some every each
no not never always still even only also ever am is are was were be been being have has had do
does did will would can could should must may might shall than then that this what who whom
feel felt find found being around people person like make makes made nothing
""".split()
)


def _variants(word):
    out = set()
    for i in range(len(word)):
        out.add(word[:i] + word[i + 1 :])
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    out.discard(word)
    return out


class Speller:
    __slots__ = (
        "fix",
        "known",
        "split_heads",
        "fix_keys",
        "known_b",
        "head_lens",
        "prefix_re",
        "suffix_re",
        "groups",
    )

    def __init__(self, group_forms, vocab_words):
        known = set(_SMALL) | set(STRONG) | set(group_forms) | set(vocab_words) | set(STOP)
        fix: dict[str, str] = {}
        clash = set()
        targets = [w for w in STRONG if len(w) >= 4] + [
            w for w in group_forms if len(w) >= 5 and w.isalpha()
        ]
        for w in targets:
            for v in _variants(w):
                if len(v) < 4 or v in known:
                    continue
                if v in fix and fix[v] != w:
                    clash.add(v)
                fix[v] = w
        for v in clash:
            del fix[v]
        self.fix = fix
        self.groups = frozenset(w for w in group_forms if len(w) >= 6 and w.isalpha())
        self.fix_keys = frozenset(v.encode() for v in fix)
        self.known = frozenset(known)
        self.split_heads = frozenset(
            STRONG | {w for w in group_forms if w.isalpha() and len(w) >= 4}
        )
        self.known_b = frozenset(w.encode() for w in known)
        self.head_lens = tuple(sorted({len(w) for w in self.split_heads}, reverse=True))
        # bytes regexes: does a word start (or, reversed, end) with a strong word or group form?
        self.prefix_re = re.compile(trie_regex(self.split_heads, re.escape).encode())
        self.suffix_re = re.compile(
            trie_regex({w[::-1] for w in self.split_heads}, re.escape).encode()
        )

    def gate(self, folded: bytes, toks: set, has_group: bool) -> bool:
        """Cheap test: could a misspelling or run-together word hide a finding here?

        folded is the text ASCII-folded to lower-case words and spaces, toks its set of words."""
        if not self.fix_keys.isdisjoint(toks):
            return True
        if len(toks & _SINGLE_LETTERS) >= 3 and _SPACED_B_RE.search(folded):
            return True
        pre, suf = self.prefix_re.match, self.suffix_re.match
        for tok in toks - self.known_b:
            n = len(tok)
            if has_group is False and n >= 7 and self.near_group(tok.decode("ascii", "replace")):
                return True
            if (n >= 8 or (has_group and n >= 5)) and (pre(tok) or suf(tok[::-1])):
                if self._split(tok.decode("ascii", "replace")) is not None:
                    return True
        return False

    def _inflects_known(self, lw):
        """ "backs", "scowled": an inflection of a known word is a word, not a misspelling of a
        group form ("blacks"); a group form's own inflection is left to the checks below."""
        for suffix, add in _INFLECTIONS:
            if not lw.endswith(suffix) or len(lw) - len(suffix) < 3:
                continue
            stem = lw[: -len(suffix)] + add
            if stem in self.known and stem not in self.groups and stem not in self.fix:
                return True
        return False

    def near_group(self, lw):
        """The group form an unknown long word misspells by one letter too many or one wrong."""
        if len(lw) < 7 or len(lw) > 30 or lw in self.known:
            return None
        for i in range(len(lw)):
            d = lw[:i] + lw[i + 1 :]
            if d in self.groups:
                return d  # one letter too many: "portugeese"
            target = self.fix.get(d)
            if target is not None and target in self.groups and len(target) == len(lw):
                return target  # one letter wrong: "somolians" and "somalians" share "somlians"
        return None

    def _split(self, lw):
        if len(lw) > 40:
            return None
        heads = self.split_heads
        if not any(lw[:n] in heads or lw[-n:] in heads for n in self.head_lens if n < len(lw)):
            return None
        # a strong word with a known word ("Ihate", "muchdisdain"), or a group form with a strong
        # or small word ("Muslimsdisgust", "peopledisgust"); never two names ("Malay" + "alis")
        for k in range(1, len(lw)):
            a, b = lw[:k], lw[k:]
            if (
                (a in STRONG and b in self.known)
                or (b in STRONG and a in self.known)
                or (a in self.split_heads and b in _SMALL)
                or (b in self.split_heads and a in _SMALL)
            ):
                return k
        return None

    def normalise(self, text: str):
        """(copy, offsets) or None when nothing changed; offsets[i] is the original index."""
        out: list[str] = []
        idx: list[int] = []
        changed = False
        for m in _TOKEN_RE.finditer(text):
            s = m.start()
            piece = m.group(0)
            if m.group("spaced") is not None:
                letters = [(s + i, c) for i, c in enumerate(piece) if c != " "]
                word = "".join(c for _, c in letters)
                pos = [p for p, _ in letters]
                changed = True
            elif m.group("word") is not None:
                word, pos = piece, list(range(s, m.end()))
            else:
                out.append(piece)
                idx.extend(range(s, m.end()))
                continue
            lw = word.lower()
            if lw in self.known or self._inflects_known(lw):
                out.append(word)
                idx.extend(pos)
                continue
            rep = self.fix.get(lw) or self.near_group(lw)
            if rep is not None:
                if word[:1].isupper():
                    rep = rep[:1].upper() + rep[1:]
                out.append(rep)
                idx.extend(pos[min(i, len(pos) - 1)] for i in range(len(rep)))
                changed = True
                continue
            k = self._split(lw) if len(lw) >= 5 else None
            if k is not None:
                a, b = lw[:k], lw[k:]
                out.append(word[:k])
                idx.extend(pos[min(i, k - 1)] for i in range(len(a)))
                out.append(" ")
                idx.append(pos[k])
                out.append(word[k:])
                idx.extend(pos[min(k + i, len(pos) - 1)] for i in range(len(b)))
                changed = True
                continue
            out.append(word)
            idx.extend(pos)
        if not changed:
            return None
        return "".join(out), idx


_INFLECTIONS = (("s", ""), ("es", ""), ("d", ""), ("ed", ""), ("ing", ""), ("ing", "e"))
_SINGLE_LETTERS = frozenset(bytes([c]) for c in range(97, 123))
_SPACED_B_RE = re.compile(rb"(?<![a-z])(?:[a-z] ){3,}[a-z](?![a-z])")
_SPACED_RE = re.compile(r"(?<![a-z])(?:[a-z] ){3,}[a-z](?![a-z])")
_TOKEN_RE = re.compile(
    r"(?P<spaced>(?<![A-Za-z])(?:[A-Za-z] ){3,}[A-Za-z](?![A-Za-z]))|(?P<word>[A-Za-z]+)|[^A-Za-z]+"
)
