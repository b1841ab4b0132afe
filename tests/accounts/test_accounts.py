"""Accounts under /accounts/: sign-up with a display name, sign-in, password change and reset."""

import re

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signup_mails_a_link_that_signs_the_reader_in(client, django_capture_on_commit_callbacks):
    form = {
        "email": "nadia@example.com",
        "display_name": "Nadia N.",
        "password1": "a-long-unusual-passphrase-42",
        "password2": "a-long-unusual-passphrase-42",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", form)
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    user = User.objects.get(email="nadia@example.com")
    assert user.public_name == "Nadia N." and not user.is_active
    assert "Signed in as" not in client.get("/").content.decode()  # not before confirming
    assert "nadia@example.com" in client.get(response["Location"]).content.decode()
    link = re.search(r"http://testserver(/accounts/confirm/\S+/)", mail.outbox[0].body).group(1)
    assert client.post(link, {"password": "a-long-unusual-passphrase-42"}).status_code == 302
    assert "Signed in as" in client.get("/").content.decode()
    user.refresh_from_db()
    assert user.is_active


def test_signup_with_mismatched_passwords_is_refused_and_creates_nothing(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "x@example.com",
            "display_name": "X",
            "password1": "a-long-unusual-passphrase-42",
            "password2": "different-one-42",
        },
    )
    assert response.status_code == 400
    assert not User.objects.exists()


def test_login_page_and_sign_in(client):
    UserFactory(username="rita")
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "rita", "password": "pw-for-tests-1"})
    assert response.status_code == 302


def test_password_change(client):
    user = UserFactory(username="rita")
    client.force_login(user)
    assert client.get("/accounts/password_change/").status_code == 200
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "another-long-passphrase-77",
            "new_password2": "another-long-passphrase-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase-77")


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    user = UserFactory(username="rita", email="rita@example.com")
    response = client.post("/accounts/password_reset/", {"email": "rita@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    form_url = client.get(link).url  # Django redirects to the set-password form
    response = client.post(
        form_url,
        {"new_password1": "reset-long-passphrase-99", "new_password2": "reset-long-passphrase-99"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("reset-long-passphrase-99")
