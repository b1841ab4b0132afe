"""What readers may call themselves: no invisible direction changes, no imitation of a role."""

from __future__ import annotations

import re
import unicodedata

# Right-to-left/left-to-right embeddings, overrides and isolates, and the two marks: they make a
# name display in another order than it is stored (and than it sorts and searches).
BIDI_CONTROLS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C], None
)

ROLE_WORDS = (
    "moderator",
    "moderators",
    "moderation",
    "mod",
    "mods",
    "admin",
    "admins",
    "administrator",
    "staff",
    "newsroom",
    "editor",
    "editors",
)
# Long enough that, found anywhere (even spelled with spaces or dots), they mean a role.
ROLE_STEMS = ("moderat", "administrat", "newsroom")

# Letters and digits that pass for Latin letters (Cyrillic and Greek look-alikes, leetspeak).
_CONFUSABLES = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "х": "x",
        "у": "y",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ɡ": "g",
        "һ": "h",
        "м": "m",
        "т": "t",
        "в": "b",
        "к": "k",
        "н": "h",
        "α": "a",
        "ο": "o",
        "ε": "e",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ρ": "p",
        "τ": "t",
        "μ": "m",
        "0": "o",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "|": "l",
    }
)


def strip_bidi(name: str) -> str:
    return name.translate(BIDI_CONTROLS)


def skeleton(name: str) -> str:
    """The name as it reads: compatibility forms folded, case folded, look-alikes mapped."""
    folded = unicodedata.normalize("NFKC", strip_bidi(name)).casefold()
    # Drop accents and other combining marks, and zero-width characters.
    folded = "".join(
        c
        for c in unicodedata.normalize("NFKD", folded)
        if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return folded.translate(_CONFUSABLES)


def imitates_a_role(name: str) -> bool:
    """Whether the name reads as a role ("Demo Moderator", "ADMIN", "N e w s r o o m")."""
    base = skeleton(name)
    for one in ("l", "i"):  # a 1 passes for either
        words = re.findall(r"[a-z]+", base.replace("1", one))
        if any(word in ROLE_WORDS for word in words):
            return True
        if any(stem in "".join(words) for stem in ROLE_STEMS):
            return True
    return False
