"""Accounts made by sign-up wait, inactive, for the link mailed to their address."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_email_unique_case_insensitive")]

    operations = [
        # Every account that exists already is not waiting for anything: False for all of them.
        migrations.AddField(
            model_name="user",
            name="awaiting_confirmation",
            field=models.BooleanField(default=False, editable=False),
        ),
    ]
