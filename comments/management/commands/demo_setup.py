"""The demo: accounts with fresh passwords, the seed threads and the generated articles."""

import datetime as dt
import os
import secrets
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.roles import MODERATORS_GROUP
from articles.models import Article
from comments.management.commands.import_thread import import_thread, read_thread
from demo import build  # the one importer of demo/ (pyproject.toml: import contracts)

# username, display name, role
DEMO_ACCOUNTS = (
    ("reader", "Demo Reader", "reader"),
    ("moderator", "Demo Moderator", "moderator"),
    ("editor", "Demo Editor", "staff"),
    ("amira", "Amira N.", "reader"),
    ("tom", "Tom B.", "reader"),
    ("lena", "Lena F.", "reader"),
)
# New demo accounts are members for this long: readers' reports weigh in full only from
# accounts older than a week (moderation.policy.flag_weights).
DEMO_ACCOUNT_AGE = dt.timedelta(days=90)
# Reserved for examples (RFC 2606): no real mailbox, and mail goes to the console under DEBUG.
DEMO_EMAIL_DOMAIN = "example.com"


class Command(BaseCommand):
    help = (
        "(Re)create the demo accounts reader, moderator, editor, amira, tom and lena (addresses "
        "<username>@example.com) with new random passwords, printed once (they are stored "
        "nowhere else); import every *.txt / *.json thread in --seeds whose slug is not taken "
        "yet, its comments spread over the days after publication; and build the generated "
        "demo articles (demo/build.py) that do not exist yet. Safe to run repeatedly. Refuses "
        "to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seeds",
            default=str(Path(settings.BASE_DIR) / "demo" / "seeds"),
            help="Folder of seed threads (default: demo/seeds in the checkout).",
        )
        parser.add_argument(
            "--busy-comments",
            type=int,
            default=build.DEFAULT_BUSY_COMMENTS,
            help=f"Comments in the busiest generated thread (default "
            f"{build.DEFAULT_BUSY_COMMENTS}; at least 20).",
        )
        parser.add_argument(
            "--no-generated",
            action="store_true",
            help="Only the accounts and the seed threads, no generated articles.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run with DEBUG off: accounts with printed passwords, on a site that may be "
            "public.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this may be a public site, and demo_setup creates accounts whose "
                "passwords it prints (a staff account among them). Nothing was changed. Run it "
                "with DEBUG=1 (as `make run` does), or pass --force if you mean it."
            )
        if options["busy_comments"] < 20:
            raise CommandError("--busy-comments must be at least 20.")
        passwords, users = self._accounts()
        readers = [users[u] for u, _, role in DEMO_ACCOUNTS if role == "reader"]
        self._import_seeds(Path(options["seeds"]), readers)
        if not options["no_generated"]:
            self._generate(users["moderator"], readers, options["busy_comments"])
        port = os.environ.get("PORT", "8000")
        lines = ["Demo logins (new passwords every run):", ""]
        width = max(len(u) for u in passwords)
        lines += [f"  {user.ljust(width)} / {pw}" for user, pw in passwords.items()]
        lines += ["", f"(or sign in with <username>@{DEMO_EMAIL_DOMAIN})"]
        lines += ["", f"Open http://127.0.0.1:{port}/"]
        inner = max(len(line) for line in lines)
        box = ["+" + "-" * (inner + 2) + "+"]
        box += [f"| {line.ljust(inner)} |" for line in lines]
        box += [box[0]]
        self.stdout.write("\n".join(box))

    def _generate(self, moderator, readers, busy_comments: int) -> None:
        started = time.perf_counter()
        built = build.build_articles(
            moderator=moderator, readers=readers, busy_comments=busy_comments
        )
        for article, created in built:
            if created:
                count = article.comments.count()
                self.stdout.write(f"{article.get_absolute_url()}: generated, {count} comments")
            else:
                self.stdout.write(f"{article.get_absolute_url()}: exists, skipped.")
        self.stdout.write(f"Generated articles in {time.perf_counter() - started:.1f} s.")

    def _import_seeds(self, folder: Path, readers) -> None:
        if not folder.is_dir():
            self.stderr.write(
                f"Seeds folder {folder} does not exist (or is not a folder); no articles imported. "
                "Pass --seeds DIR."
            )
            return
        files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".json") and p.is_file())
        if not files:
            self.stderr.write(f"No *.txt or *.json files in {folder}.")
        for path in files:
            try:
                thread = read_thread(str(path))
                if Article.objects.filter(slug=thread.slug).exists():
                    self.stdout.write(f"{path.name}: slug “{thread.slug}” exists, skipped.")
                    continue
                article = import_thread(build.spread_seed_times(thread, now=timezone.now()))
                build.flag_seed(article, readers=readers)
            except CommandError as exc:
                # One broken seed should not stop the demo; say which and carry on.
                self.stderr.write(f"{path.name}: not imported: {exc}")
                continue
            self.stdout.write(
                f"{path.name}: imported {len(thread.comments)} comments at "
                f"{article.get_absolute_url()}"
            )

    def _accounts(self) -> tuple[dict[str, str], dict]:
        User = get_user_model()
        passwords, users = {}, {}
        with transaction.atomic():
            moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
            for username, display_name, role in DEMO_ACCOUNTS:
                user = User.objects.filter(username=username).first() or User(
                    username=username, date_joined=timezone.now() - DEMO_ACCOUNT_AGE
                )
                user.display_name = display_name
                user.is_active = True
                user.awaiting_confirmation = False
                # Sign-in by address works too; through the one check that an address is free.
                email = f"{username}@{DEMO_EMAIL_DOMAIN}"
                if User.objects.holding_email(email, exclude_pk=user.pk).exists():
                    self.stderr.write(
                        f"{email} belongs to another account; {username} keeps its own."
                    )
                else:
                    user.email = email
                user.is_staff = user.is_superuser = role == "staff"
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save()
                if role == "moderator":
                    user.groups.add(moderators)
                passwords[username] = password
                users[username] = user
        if apps.is_installed("axes"):
            # New passwords: earlier failed attempts should not keep the demo accounts locked.
            from axes.utils import reset

            for username in passwords:
                reset(username=username)
        return passwords, users
