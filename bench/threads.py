"""Deterministic synthetic comment threads shaped like a busy news article's discussion.

About 20% top-level comments; replies join busy sub-threads more often (preferential
attachment) at a depth drawn from a truncated geometric distribution (up to 9), 8% continue the
deepest back-and-forth; bodies 50-600 characters, some with paragraphs, line breaks and links.
The same shape as ../shared/peers/make_thread.py, so figures compare with the peers'.
"""

import datetime as dt
import random

WORDS = (
    "the council said that plan would cost more than expected and residents were not told "
    "about changes to bus routes while minister argued budget was already tight this year but "
    "critics pointed out report shows clear rise in prices for housing energy food transport "
    "across region many people feel ignored by officials who promised better services schools "
    "hospitals roads after last election data suggests growth slowed in spring because exports "
    "fell sharply economists expect rates to stay high until inflation eases further"
).split()


def _body(rng: random.Random) -> str:
    length = rng.randint(50, 600)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    text = " ".join(words)[:length].strip() + "."
    roll = rng.random()
    if roll < 0.30 and len(text) > 120:
        cut = text.find(" ", len(text) // 2)
        text = text[:cut] + ".\n\n" + text[cut + 1 :].capitalize()
    elif roll < 0.40 and len(text) > 80:
        cut = text.find(" ", len(text) // 3)
        text = text[:cut] + "\n" + text[cut + 1 :]
    if rng.random() < 0.05:
        text += f" See https://example.org/report/{rng.randint(1, 9999)} for details."
    return text[0].upper() + text[1:]


def make_thread(n: int, seed: int = 42) -> list[dict]:
    """n comments as dicts {id, parent, author, body, created}, parents before replies."""
    rng = random.Random(seed)
    start = dt.datetime(2025, 3, 14, 8, 0, tzinfo=dt.UTC)
    comments: list[dict] = []
    root_of: list[int] = []
    depth: list[int] = []
    members: dict[int, list[int]] = {}
    authors = [f"Reader{i}" for i in range(max(8, n // 3))]
    for i in range(n):
        parent = None
        if i and rng.random() >= 0.20:
            root = root_of[rng.randrange(i)]  # proportional to sub-thread size
            pool = [j for j in members[root][-300:] if depth[j] < 9]  # depth stays <= 9
            deepest = max(pool, key=lambda j: (depth[j], j))
            if rng.random() < 0.08:
                parent = deepest
            else:
                want = 1
                while want < 9 and rng.random() > 0.42:
                    want += 1
                at_level = [j for j in pool if depth[j] == want - 1]
                parent = rng.choice(at_level) if at_level else deepest
        root = i if parent is None else root_of[parent]
        root_of.append(root)
        depth.append(0 if parent is None else depth[parent] + 1)
        members.setdefault(root, []).append(i)
        comments.append(
            {
                "id": i + 1,
                "parent": None if parent is None else parent + 1,
                "author": rng.choice(authors),
                "body": _body(rng),
                "created": (start + dt.timedelta(seconds=30 * i)).isoformat(),
            }
        )
    return comments
