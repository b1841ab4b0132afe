"""One account per e-mail address, whatever its case, in the database and in every form.

The security review found e-mails neither unique nor verified: here, unique. Readers sign in
with their address (any case) or their username.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory, make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "Unguessable-pw-4711"  # noqa: S105


@pytest.fixture
def rita(db):
    return UserFactory(username="rita", display_name="Rita", email="rita@example.com")


# --- one account per address, in the database ------------------------------------------------


def test_the_database_refuses_an_address_that_differs_only_in_case():
    User.objects.create(username="first", email="Rita@Example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        # Straight to the table, past every check in Python.
        User.objects.create(username="second", email="rita@example.COM")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(username="first").update(email="x@example.com")
        User.objects.create(username="third", email="X@EXAMPLE.COM")
    # Accounts without an address do not clash.
    User.objects.create(username="blank1", email="")
    User.objects.create(username="blank2", email="")
    assert User.objects.count() == 3


def test_the_admin_refuses_an_address_another_account_has(client_for, rita):
    staff = make_staff(username="boss", is_superuser=True)
    other = UserFactory(username="other", email="other@example.com")
    url = reverse("admin:accounts_user_change", args=[other.pk])
    form = {
        "username": "other",
        "email": "RITA@example.com",
        "display_name": "Other",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client_for(staff).post(url, form)
    assert response.status_code == 200
    assert "An account already uses this e-mail address." in response.content.decode()
    assert User.objects.get(pk=other.pk).email == "other@example.com"
    response = client_for(staff).post(
        reverse("admin:accounts_user_add"),
        {
            "username": "added",
            "email": "Rita@Example.COM",
            "usable_password": "false",
            "display_name": "",
        },
    )
    assert "An account already uses this e-mail address." in response.content.decode()
    assert not User.objects.filter(username="added").exists()


def test_model_validation_is_the_same_check(rita):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        User(username="copy", email="RITA@example.com").full_clean(exclude=["password"])
    assert exc.value.message_dict == {"email": ["An account already uses this e-mail address."]}
    rita.full_clean(exclude=["password"])  # its own address is no clash


def test_create_user_and_createsuperuser_refuse_a_taken_address(rita):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        User.objects.create_user("copy", "RITA@example.com", "pw")
    with pytest.raises(CommandError, match="An account already uses this e-mail address."):
        call_command(
            "createsuperuser", "--noinput", username="root2", email="Rita@Example.com", verbosity=0
        )
    assert User.objects.count() == 1
    User.objects.create_user("blank", "", "pw")  # no address: no clash


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_existing_duplicates_listing_them_and_changes_nothing():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    before_index = ("accounts", "0002_cache_table")
    with_index = ("accounts", "0003_email_unique_case_insensitive")
    _migrate([before_index])
    try:
        for username, email in [
            ("ann", "ann@example.com"),
            ("ann2", "Ann@Example.com"),
            ("bo", "bo@example.com"),
            ("x", ""),
            ("y", ""),
        ]:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO accounts_user (username, email, password, is_superuser, "
                    "first_name, last_name, is_staff, is_active, date_joined, display_name) "
                    "VALUES (%s, %s, '', %s, '', '', %s, %s, %s, '')",
                    [username, email, False, False, True, "2026-01-02 03:04:05"],
                )
        with connection.cursor() as cursor:
            cursor.execute("SELECT username, email FROM accounts_user ORDER BY username")
            before = cursor.fetchall()
        with pytest.raises(CommandError) as exc:
            _migrate([with_index])
        text = str(exc.value)
        assert "1 e-mail address(es) belong to more than one account" in text
        assert "ann@example.com:" in text and "ann (id" in text and "ann2 (id" in text
        assert "'Ann@Example.com'" in text and "bo (id" not in text
        with connection.cursor() as cursor:
            cursor.execute("SELECT username, email FROM accounts_user ORDER BY username")
            assert cursor.fetchall() == before

        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE accounts_user SET email = 'ann.two@example.com' WHERE username = 'ann2'"
            )
        _migrate(latest)
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(username="ann3", email="ANN@example.com")
    finally:  # whatever happened, leave the schema as every other test expects it
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_user")
        _migrate(latest)


# --- signing in ------------------------------------------------------------------------------


def login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def test_readers_sign_in_with_their_address_in_any_case_or_their_username():
    UserFactory(username="rita", email="Rita@Example.com")
    for typed in ("rita", "rita@example.com", "RITA@EXAMPLE.COM", "Rita@Example.com"):
        response = login(Client(), typed, "pw-for-tests-1")
        assert response.status_code == 302, typed
    assert login(Client(), "Rita", "pw-for-tests-1").status_code == 200  # usernames: exact
    assert login(Client(), "rita@example.com", "wrong").status_code == 200


def test_lockout_counts_every_spelling_of_an_account_together(settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="target", email="target@example.com")
    for typed in ("target", "Target@Example.com", "TARGET@example.com"):
        login(Client(), typed, "wrong")
    for typed in ("target", "target@example.com"):
        assert login(Client(), typed, "pw-for-tests-1").status_code == 429


# --- the demo accounts ------------------------------------------------------------------------


def test_demo_accounts_sign_in_with_the_printed_passwords_by_name_or_address(tmp_path):
    out = StringIO()
    call_command("demo_setup", "--seeds", str(tmp_path), stdout=out, stderr=StringIO())
    pairs = (line.strip("| ").split(" / ") for line in out.getvalue().splitlines() if " / " in line)
    printed = {user.strip(): password.strip() for user, password in pairs}
    assert set(printed) == {"reader", "moderator", "editor"}
    for username, password in printed.items():
        user = User.objects.get(username=username)
        assert user.is_active
        assert login(Client(), username, password).status_code == 302
        assert login(Client(), f"{username}@example.com", password).status_code == 302
