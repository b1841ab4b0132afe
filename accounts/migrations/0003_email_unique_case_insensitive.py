"""One account per e-mail address, whatever its case: a unique index on lower(email).

Partial (blank addresses never clash) and on an expression, which SQLite and PostgreSQL both
build as `CREATE UNIQUE INDEX ... ON accounts_user (lower(email)) WHERE NOT email = ''`.

A database that already holds two accounts with the same address is not changed: the migration
stops and lists them (username, id, joined, last sign-in) so that an operator decides which
account keeps the address; blanking one by guesswork would lock its owner out of password
resets. Give each its own address (or blank the stale one) in the admin, then migrate again.
"""

from django.core.management.base import CommandError
from django.db import migrations, models

import accounts.models
from django.db.models import Count, Q
from django.db.models.functions import Lower


def refuse_duplicates(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = User.objects.using(schema_editor.connection.alias)
    shared = (
        users.exclude(email="")
        .annotate(address=Lower("email"))
        .values("address")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("address", flat=True)
    )
    shared = sorted(shared)
    if not shared:
        return
    lines = []
    for address in shared:
        lines.append(f"  {address}:")
        holders = users.annotate(address=Lower("email")).filter(address=address)
        for u in holders.order_by("date_joined", "pk"):
            seen = f"last sign-in {u.last_login:%Y-%m-%d}" if u.last_login else "never signed in"
            lines.append(
                f"    {u.username} (id {u.pk}, e-mail {u.email!r}, "
                f"joined {u.date_joined:%Y-%m-%d}, {seen})"
            )
    raise CommandError(
        f"accounts.0003: {len(shared)} e-mail address(es) belong to more than one account, so "
        "the unique index on lower(email) cannot be built. No account was changed. Give each "
        "account its own address (or blank the one that should not keep it) in the admin or "
        "with `manage.py shell`, then run `manage.py migrate` again:\n" + "\n".join(lines)
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_cache_table")]

    operations = [
        # The manager that asks User.objects.holding_email() (models.py).
        migrations.AlterModelManagers(
            name="user",
            managers=[("objects", accounts.models.AccountManager())],
        ),
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message="An account already uses this e-mail address.",
            ),
        ),
    ]
