"""`manage.py detect [FILE ...]`: one comment per line in, one JSON object per line out."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from moderation.detection import detect
from moderation.findings import detector_extra_terms


def finding_json(f) -> dict:
    return {
        "start": f.start,
        "end": f.end,
        "match": f.match,
        "group": f.group,
        "canonical": f.canonical,
        "category": f.category,
        "rule": f.rule,
        "severity": f.severity,
        "explanation": f.explanation,
    }


class Command(BaseCommand):
    help = "Run the sectarian-generalisation detector over lines of text (files or stdin)."

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", help="Files with one comment per line (default: stdin)."
        )

    def handle(self, *args, **options):
        streams = []
        try:
            streams = [open(path, encoding="utf-8", errors="replace") for path in options["files"]]  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot read {exc.filename}: {exc.strerror}") from None
        try:
            extra_terms = detector_extra_terms()  # the staff's groups, read once
        except DatabaseError as exc:
            raise CommandError(
                f"Cannot read the staff's detector terms ({exc}); run `manage.py migrate` first."
            ) from None
        try:
            for stream in streams or [sys.stdin]:
                for line in stream:
                    text = line.rstrip("\r\n")
                    result = detect(text, extra_terms=extra_terms)
                    # ensure_ascii keeps "<" etc. as-is but JSON-escapes nothing executable: the
                    # output is data, never HTML.
                    self.stdout.write(
                        json.dumps(
                            {
                                "text": text,
                                "flagged": result.flagged,
                                "severity": result.severity,
                                "findings": [finding_json(f) for f in result.findings],
                            },
                            ensure_ascii=False,
                        )
                    )
        finally:
            for stream in streams:
                stream.close()
