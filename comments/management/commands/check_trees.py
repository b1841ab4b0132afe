"""Check every comment tree's nested-set columns against the parent links; --fix rebuilds them.

python manage.py check_trees          # report; exit status 1 if any tree is corrupted
python manage.py check_trees --fix    # rebuild the corrupted trees (no row is lost)
"""

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError

from comments.tree_check import count_trees, find_tree_problems, fix_trees


class Command(BaseCommand):
    help = "Report corrupted comment trees (lft/rght/level/tree_id); --fix rebuilds them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Rebuild the corrupted trees from the parent links."
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=20,
            help="Problems listed per article (default 20; the counts are exact).",
        )

    def handle(self, *args, fix=False, limit=20, verbosity=1, **options):
        problems = find_tree_problems()
        if not problems:
            self.stdout.write(self.style.SUCCESS(f"All {count_trees()} trees valid."))
            return
        self._report(problems, limit)
        if not fix:
            raise CommandError(
                f"{len(problems)} problem(s) in {len({p.tree_id for p in problems})} tree(s); "
                "run with --fix to rebuild them."
            )
        rebuilt = fix_trees(problems)
        self.stdout.write(f"Rebuilt {len(rebuilt)} tree(s): {', '.join(map(str, rebuilt))}.")
        remaining = find_tree_problems()
        if remaining:
            self._report(remaining, limit)
            raise CommandError(f"{len(remaining)} problem(s) remain after the rebuild.")
        self.stdout.write(self.style.SUCCESS(f"All {count_trees()} trees valid."))

    def _report(self, problems, limit):
        by_article = defaultdict(list)
        for p in problems:
            by_article[p.article_id].append(p)
        for article_id, items in sorted(by_article.items()):
            trees = sorted({p.tree_id for p in items})
            self.stdout.write(
                f"Article {article_id}: {len(items)} problem(s) in {len(trees)} tree(s) "
                f"(tree_id {', '.join(map(str, trees))})"
            )
            for p in items[:limit]:
                self.stdout.write(f"  {p}")
            if len(items) > limit:
                self.stdout.write(f"  ... and {len(items) - limit} more")
