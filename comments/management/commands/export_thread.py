"""Write an article and its whole comment thread as JSON that import_thread reads back."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from comments.importing import export_thread


class Command(BaseCommand):
    help = "Export the article SLUG and all its comments (every status) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", help="Write to this file instead of stdout.")

    def handle(self, *args, **options):
        article = Article.objects.filter(slug=options["slug"]).first()
        if article is None:
            raise CommandError(f"No article with slug “{options['slug']}”.")
        data = export_thread(article)
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        if options["output"]:
            try:
                Path(options["output"]).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(
                    f"Cannot write {options['output']}: {exc.strerror or exc}"
                ) from None
            self.stdout.write(
                f"Exported {len(data['comments'])} comments of “{article.title}” to "
                f"{options['output']}."
            )
        else:
            self.stdout.write(text, ending="")
