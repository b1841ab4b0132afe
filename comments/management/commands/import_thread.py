"""Import an article and its comment thread from a seed text page or a JSON export."""

import json
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from comments import services
from comments.importing import ImportFormatError, decode_file, parse_thread
from comments.locks import TreeBusy


def read_thread(path: str, *, slug: str | None = None) -> services.ImportedThread:
    """Read and parse PATH (JSON if it starts with '{', else seed text); CommandError if not."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CommandError(f"No such file: {path}") from None
    except IsADirectoryError:
        raise CommandError(f"{path} is a directory, not a file.") from None
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
    try:
        return parse_thread(decode_file(data, path), slug=slug)
    except ImportFormatError as exc:
        raise CommandError(f"{path}: {exc}") from None


def import_thread(thread: services.ImportedThread, *, replace: bool = False):
    """services.thread_import in one transaction; its refusals become CommandError."""
    try:
        with transaction.atomic():
            return services.thread_import(thread=thread, replace=replace, acting_user=None)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from None
    except IntegrityError:
        # Another import took the slug between the service's check and its insert.
        raise CommandError(f"An article with slug “{thread.slug}” already exists.") from None
    except TreeBusy as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = (
        "Import an article and its comments from PATH: JSON (as written by export_thread) if the "
        "file starts with '{', else a plain-text article page with a bulleted comment thread. "
        'The last line printed is {"url": ..., "imported": N, "seconds": S}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--slug", help="Use this slug instead of the file's (or the title's).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="If the slug is taken, move that article aside (its comments are kept, "
            "closed) and import this one in its place.",
        )
        parser.add_argument("--base-url", default="", help="Prefix for the printed URL.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        thread = read_thread(options["path"], slug=options["slug"])
        article = import_thread(thread, replace=options["replace"])
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Imported “{article.title}” with {len(thread.comments)} comments at "
            f"{article.get_absolute_url()}"
        )
        result = {
            "url": options["base_url"].rstrip("/") + article.get_absolute_url(),
            "imported": len(thread.comments),
            "seconds": round(seconds, 3),
        }
        self.stdout.write(json.dumps(result))
