"""`manage.py scan_comments [--article SLUG] [--since DATE]`: re-scan stored comments.

Idempotent: a comment whose current findings already match the detector's answer is left alone,
so running it twice files no second flag.
"""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from articles.models import Article
from comments.models import Comment
from moderation import detection, services


class Command(BaseCommand):
    help = "Re-run the detector over stored comments and file flags for new findings."

    def add_arguments(self, parser):
        parser.add_argument("--article", help="Only this article's comments (slug).")
        parser.add_argument(
            "--since", help="Only comments posted on or after this date (YYYY-MM-DD or ISO time)."
        )

    def handle(self, *args, **options):
        comments = Comment.objects.exclude(status=Comment.Status.DELETED).order_by("pk")
        if options["article"]:
            if not Article.objects.filter(slug=options["article"]).exists():
                raise CommandError(f"No article with slug “{options['article']}”.")
            comments = comments.filter(article__slug=options["article"])
        if options["since"]:
            since = parse_datetime(options["since"]) or (
                dt.datetime.combine(d, dt.time.min) if (d := parse_date(options["since"])) else None
            )
            if since is None:
                raise CommandError(f"--since: “{options['since']}” is not a date (YYYY-MM-DD).")
            if timezone.is_naive(since):
                since = timezone.make_aware(since, dt.UTC)
            comments = comments.filter(created_at__gte=since)
        scanned = changed = 0
        for comment in comments.iterator(chunk_size=500):
            scanned += 1
            if services.comment_rescan(comment=comment):
                changed += 1
        self.stdout.write(
            json.dumps(
                {
                    "scanned": scanned,
                    "updated": changed,
                    "detector_version": detection.DETECTOR_VERSION,
                }
            )
        )
