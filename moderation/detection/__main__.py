"""Command-line helper: python -m moderation.detection "text" ...  (or lines on stdin)."""

import sys

from . import LEXICON_VERSION, detect


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    texts = args or [line.rstrip("\n") for line in sys.stdin]
    for text in texts:
        res = detect(text)
        if not res.flagged:
            print(f"ok      {text}")
            continue
        for f in res.findings:
            print(
                f"{f.severity:7s} {f.rule:22s} {f.canonical} ({f.category}) [{f.start}:{f.end}] "
                f"{f.match!r}"
            )
            print(f"        {f.explanation}")
    print(f"(lexicon {LEXICON_VERSION})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
