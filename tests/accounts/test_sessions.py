"""accounts.sessions: Django's database sessions, read with SQL compiled once."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def saved_session(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_saved_session_reads_back_as_saved():
    key = saved_session(_auth_user_id="7", theme="dark")
    assert dict(SessionStore(key).load()) == {"_auth_user_id": "7", "theme": "dark"}


def test_an_expired_or_unknown_session_is_empty_and_gets_a_new_key():
    key = saved_session(_auth_user_id="7")
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    for stale in (key, "no-such-session-key-0123456789"):
        store = SessionStore(stale)
        assert store.load() == {}
        assert store.session_key is None


def test_signing_in_and_out_work_through_it(client):
    UserFactory(username="sam")
    assert (
        client.post(
            "/accounts/login/", {"username": "sam", "password": "pw-for-tests-1"}
        ).status_code
        == 302
    )
    assert "Signed in as" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert "Signed in as" not in client.get("/").content.decode()
