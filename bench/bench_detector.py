#!/usr/bin/env python
"""Speed benchmark for the sectarian-generalisation detector.

Builds a deterministic corpus of ~300-character comments like a real news thread: most mention no
group at all, a fair share (default 25%) mention one or more religious / sectarian / ethnic /
national groups (some hateful, most not). Prints exactly one line:

    BENCH detector n=<comments> db=none median_ms=<median ms per 1,000 comments> queries=0

Options: --n (comments, default 2000), --runs (default 7), --mention-share (default 0.25),
--check (also time a 10,000-character pathological input and fail if it takes > 50 ms).

Times are CPU time of this process (time.process_time), i.e. one core, so the figure is not
inflated when other jobs share the machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moderation.detection import detect  # noqa: E402

NEUTRAL = [
    "Lavrov said there are no plans to cooperate in Idlib with Washington.",
    "The ceasefire collapsed again after three days, which nobody found surprising.",
    "I think the article misses the economic side of the story entirely.",
    "Prices for bread and fuel have doubled since the summer, according to the report.",
    "Thanks for the translation, the original interview was much longer.",
    "Does anyone have a link to the full speech? The clip cuts off halfway.",
    "This is exactly what analysts predicted back in 2015, nobody listened.",
    "The observation posts were set up in the northern countryside last month.",
    "Honestly the diplomats seem more interested in photo opportunities than results.",
    "Good piece, but the map in the second section is out of date.",
    "Airstrikes continued overnight near the airport, the monitoring group said.",
    "My cousin works for an NGO there and says the winter will be brutal.",
    "The UN envoy will brief the Security Council on Thursday.",
    "Whoever wrote the headline clearly did not read the article.",
    "Oil exports are the real issue here, follow the money.",
    "It's going to take decades to rebuild the infrastructure.",
    "Another round of talks, another round of empty promises.",
    "The hospital was hit twice in one week, which is horrific.",
    "Can the moderators please remove the spam links above?",
    "Interesting that the minister changed his position within a week.",
    "The refugee camps are overcrowded and underfunded, as usual.",
    "Sanctions rarely hurt the people in power, they hurt ordinary families.",
    "I remember visiting the old city before the war, it was beautiful.",
    "The convoy was delayed at the checkpoint for nine hours.",
]
MENTIONS = [
    "As usual, Sunnis will have nothing and will be the losers.",
    "Not all Sunnis are terrorist but all terrorist are Sunnis.",
    "Many Sunnis fight in the SAA and Syria is a religiously plural state.",
    "The Kurds will negotiate and join Syria as Syrians.",
    "Putin has helped the Kurds in bombing ISIS.",
    "The Chinese also start casting a bigger shadow in the area already.",
    "As a Greek I can say that I approve this message!",
    "Alawites make up about ten percent of Syria's population.",
    "Muslims celebrate Eid at the end of Ramadan.",
    "Every Syrian deserves peace after all these years.",
    "The Turkish army and Russian police set up joint patrols.",
    "He said all Shia are traitors, which is a lie.",
    "Stop saying Kurds are traitors, they fought ISIS for years.",
    "Yup, death to all SalafiTerrorists in Syria.",
    "Turks are barbarians, always have been.",
    "Never trust a Persian, they smile and lie.",
    "Iranians and Arabs have a long and complicated history.",
    "Some Druze leaders met the Israelis last week.",
    "The Armenians of Aleppo have lived there for centuries.",
    "Christians in Idlib fear what comes next.",
]
PATHOLOGICAL_UNIT = (
    "all Sunnis \"every Shia 'all Kurds are' never trust\" Muslims = = Alawite dogs not all "
)


def make_corpus(n, share, seed=20251125):
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        with_group = rnd.random() < share
        parts = []
        length = 0
        if with_group:
            s = rnd.choice(MENTIONS)
            parts.append(s)
            length += len(s) + 1
        while length < 280:
            s = rnd.choice(NEUTRAL)
            parts.append(s)
            length += len(s) + 1
        rnd.shuffle(parts)
        out.append(" ".join(parts))
    return out


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def pathological(size=10_000):
    return _repeat(PATHOLOGICAL_UNIT, size)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--mention-share", type=float, default=0.25)
    ap.add_argument(
        "--check", action="store_true", help="also time the 10,000-char pathological input"
    )
    args = ap.parse_args(argv)
    corpus = make_corpus(args.n, args.mention_share)
    for text in corpus[:200]:  # warm-up (compiles nothing new, fills caches)
        detect(text)
    per_thousand = []
    for _ in range(args.runs):
        t0 = time.process_time()
        for text in corpus:
            detect(text)
        dt = time.process_time() - t0
        per_thousand.append(dt * 1000.0 * 1000.0 / len(corpus))
    median_ms = statistics.median(per_thousand)
    print(f"BENCH detector n={len(corpus)} db=none median_ms={median_ms:.1f} queries=0")
    if args.check:
        worst = 0.0
        cases = {"mixed": pathological(10_000), "hashtags": _repeat("#Shiites #Sunnis ", 10_000)}
        for name, text in cases.items():
            times = []
            for _ in range(5):
                t0 = time.process_time()
                detect(text)
                times.append((time.process_time() - t0) * 1000)
            median = statistics.median(times)
            worst = max(worst, median)
            print(
                f"BENCH detector_pathological_{name} n=10000chars db=none "
                f"median_ms={median:.1f} queries=0"
            )
        if worst > 50:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
