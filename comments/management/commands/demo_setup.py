"""Import the seed threads and (re)create the demo accounts with fresh passwords."""

import os
import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import MODERATORS_GROUP
from articles.models import Article
from comments.management.commands.import_thread import import_thread, read_thread

# username, display name, role
DEMO_ACCOUNTS = (
    ("reader", "Demo Reader", "reader"),
    ("moderator", "Demo Moderator", "moderator"),
    ("editor", "Demo Editor", "staff"),
)
# Reserved for examples (RFC 2606): no real mailbox, and mail goes to the console under DEBUG.
DEMO_EMAIL_DOMAIN = "example.com"


class Command(BaseCommand):
    help = (
        "Import every *.txt / *.json thread in --seeds whose slug is not taken yet, and "
        "(re)create the demo accounts reader, moderator and editor (addresses "
        "<username>@example.com) with new random passwords, "
        "printed once (they are stored nowhere else). Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seeds",
            default=str(Path(settings.BASE_DIR) / "demo" / "seeds"),
            help="Folder of seed threads (default: demo/seeds in the checkout).",
        )

    def handle(self, *args, **options):
        self._import_seeds(Path(options["seeds"]))
        passwords = self._accounts()
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

    def _import_seeds(self, folder: Path) -> None:
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
                article = import_thread(thread)
            except CommandError as exc:
                # One broken seed should not stop the demo; say which and carry on.
                self.stderr.write(f"{path.name}: not imported: {exc}")
                continue
            self.stdout.write(
                f"{path.name}: imported {len(thread.comments)} comments at "
                f"{article.get_absolute_url()}"
            )

    def _accounts(self) -> dict[str, str]:
        User = get_user_model()
        passwords = {}
        with transaction.atomic():
            moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
            for username, display_name, role in DEMO_ACCOUNTS:
                user = User.objects.filter(username=username).first() or User(username=username)
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
        if apps.is_installed("axes"):
            # New passwords: earlier failed attempts should not keep the demo accounts locked.
            from axes.utils import reset

            for username in passwords:
                reset(username=username)
        return passwords
