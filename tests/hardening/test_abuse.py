"""Abuse: rate limits (429 saying when to retry, nothing lost), login throttling, honeypot.

Rate limits are off under NEWSROOM_TESTING; each test here turns them on. Time is moved by
replacing the `time` module that newsroom.ratelimits and the local-memory cache read.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from comments import services
from comments.models import Comment
from moderation.models import Flag
from newsroom import ratelimits
from tests.factories import ArticleFactory, UserFactory, parse_html, post

pytestmark = pytest.mark.django_db


class FakeTime:
    def __init__(self):
        self.now = 1_700_000_000.0

    def time(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(settings, monkeypatch):
    settings.NEWSROOM = {
        **settings.NEWSROOM,
        "RATE_LIMITS": {**settings.NEWSROOM["RATE_LIMITS"], "ENABLED": True},
    }
    from django.core.cache.backends import base, db, locmem

    fake = FakeTime()
    fake.now = __import__("time").time()
    # The limits and the caches' expiry read the same (fake) clock, as with a real Redis.
    monkeypatch.setattr(ratelimits, "time", fake)
    monkeypatch.setattr(locmem, "time", fake)
    monkeypatch.setattr(base, "time", fake)
    monkeypatch.setattr(db, "tz_now", lambda: dt.datetime.fromtimestamp(fake.now, tz=dt.UTC))
    return fake


@pytest.fixture
def old_reader(db):
    """An account older than a day: the ordinary 5-second interval applies."""
    user = UserFactory(username="veteran")
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=30))
    return User.objects.get(pk=user.pk)


def _retry_seconds(response) -> int:
    assert response.status_code == 429, response.status_code
    retry = int(response["Retry-After"])
    text = response.content.decode()
    assert re.search(r"(wait \d+ seconds?|try again in \d+ minutes)", text), text[-600:]
    return retry


def _textarea(response) -> str:
    area = parse_html(response.content).find("textarea", name="body")
    return area.text() if area is not None else ""


def test_one_comment_per_five_seconds_and_the_refused_text_is_kept(clock, client_for, old_reader):
    article = ArticleFactory()
    client = client_for(old_reader)
    url = reverse("comment_create", args=[article.slug])
    assert client.post(url, {"body": "First thoughts."}).status_code == 302
    clock.advance(2)
    refused = client.post(url, {"body": "Second thoughts, too quick."})
    assert 1 <= _retry_seconds(refused) <= 5
    assert "too quickly" in refused.content.decode()
    assert _textarea(refused) == "Second thoughts, too quick."  # nothing to retype
    assert list(Comment.objects.values_list("body_raw", flat=True)) == ["First thoughts."]
    clock.advance(4)
    assert client.post(url, {"body": "Second thoughts, too quick."}).status_code == 302
    assert Comment.objects.count() == 2


def test_new_accounts_wait_thirty_seconds(clock, client_for):
    newbie = UserFactory()  # joined just now
    article = ArticleFactory()
    client = client_for(newbie)
    url = reverse("comment_create", args=[article.slug])
    assert client.post(url, {"body": "Hello, first post."}).status_code == 302
    clock.advance(10)
    response = client.post(url, {"body": "Another one."})
    assert 15 <= _retry_seconds(response) <= 30
    clock.advance(21)
    assert client.post(url, {"body": "Another one."}).status_code == 302


def test_identical_comment_within_five_minutes_is_refused(clock, client_for, old_reader):
    article = ArticleFactory()
    client = client_for(old_reader)
    url = reverse("comment_create", args=[article.slug])
    assert client.post(url, {"body": "Buy   cheap watches"}).status_code == 302
    clock.advance(60)
    response = client.post(url, {"body": "buy cheap WATCHES"})  # same words, same case-folded
    assert _retry_seconds(response) > 200
    assert "same comment" in response.content.decode()
    # A different comment is fine meanwhile; the same one after five minutes too.
    assert client.post(url, {"body": "Something else entirely."}).status_code == 302
    clock.advance(250)
    assert client.post(url, {"body": "Buy cheap watches"}).status_code == 302
    assert Comment.objects.count() == 3


def test_rate_limited_htmx_reply_answers_429_with_the_form(clock, client_for, old_reader):
    root = post(ArticleFactory(), body="Root.")
    client = client_for(old_reader)
    url = reverse("comment_reply", args=[root.pk])
    assert client.post(url, {"body": "A reply."}, HTTP_HX_REQUEST="true").status_code == 200
    response = client.post(url, {"body": "A second reply."}, HTTP_HX_REQUEST="true")
    _retry_seconds(response)
    assert _textarea(response) == "A second reply."


def test_at_most_twenty_flags_a_day(clock, client_for, old_reader):
    article = ArticleFactory()
    comments = [post(article, body=f"Comment {i}") for i in range(22)]  # 22 different authors
    client = client_for(old_reader)
    for c in comments[:20]:
        response = client.post(reverse("comment_flag", args=[c.pk]), {"reason": "spam"})
        assert response.status_code == 200
    response = client.post(reverse("comment_flag", args=[comments[20].pk]), {"reason": "spam"})
    assert _retry_seconds(response) > 3600
    assert "at most 20" in response.content.decode()
    assert Flag.objects.filter(reporter=old_reader).count() == 20
    clock.advance(86400 + 5)
    response = client.post(reverse("comment_flag", args=[comments[20].pk]), {"reason": "spam"})
    assert response.status_code == 200
    assert Flag.objects.filter(reporter=old_reader).count() == 21


def test_edits_are_capped_at_twenty_an_hour(clock, client_for, old_reader):
    comment = post(ArticleFactory(), old_reader, "Version 0")
    client = client_for(old_reader)
    url = reverse("comment_edit", args=[comment.pk])
    for i in range(1, 21):
        assert client.post(url, {"body": f"Version {i}"}).status_code == 302
    response = client.post(url, {"body": "Version 21"})
    assert _retry_seconds(response) > 60
    assert "editing too often" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body_raw == "Version 20"  # the last accepted edit is kept


def test_reactions_are_capped_at_thirty_a_minute_in_the_shared_limit_cache(
    clock, client_for, old_reader
):
    from django.core.cache import caches

    from comments.models import Reaction

    article = ArticleFactory()
    comments = [post(article, body=f"Comment {i}") for i in range(31)]
    own = post(article, old_reader, "My own.")
    client = client_for(old_reader)
    # A refused reaction (one's own comment) is not counted toward the limit.
    assert client.post(reverse("comment_react", args=[own.pk])).status_code == 403
    for c in comments[:30]:
        assert client.post(reverse("comment_react", args=[c.pk])).status_code == 302
    # Counted where every worker and app server counts (Redis, else the database).
    assert caches["ratelimits"].get(f"rl:reactions:{old_reader.pk}") == 30
    response = client.post(reverse("comment_react", args=[comments[30].pk]))
    assert 0 < _retry_seconds(response) <= 61
    assert "reacting too quickly" in response.content.decode()
    htmx = client.post(reverse("comment_react", args=[comments[30].pk]), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 429 and "Retry-After" in htmx
    button = parse_html(htmx.content).find("button", class_="react")
    assert button.attrs["aria-pressed"] == "false"  # the button stays as it was
    assert Reaction.objects.filter(user=old_reader).count() == 30
    assert not Reaction.objects.filter(comment=comments[30]).exists()
    clock.advance(61)
    assert client.post(reverse("comment_react", args=[comments[30].pk])).status_code == 302
    assert Reaction.objects.filter(user=old_reader).count() == 31


def test_five_signups_per_address_per_hour(clock):
    def signup(n, address="203.0.113.9"):
        return Client(REMOTE_ADDR=address).post(
            reverse("signup"),
            {
                "email": f"newcomer{n}@example.com",
                "display_name": f"Newcomer {n}",
                "password1": "Unguessable-pw-4711",
                "password2": "Unguessable-pw-4711",
            },
        )

    for n in range(5):
        assert signup(n).status_code == 302
    refused = signup(5)
    assert _retry_seconds(refused) > 60 if "Retry-After" in refused else refused.status_code == 429
    assert "Too many accounts" in refused.content.decode()
    # The form comes back filled in (nothing to retype but the passwords).
    assert 'value="newcomer5@example.com"' in refused.content.decode()
    assert 'value="Newcomer 5"' in refused.content.decode()
    assert not User.objects.filter(email="newcomer5@example.com").exists()
    assert signup(6, address="198.51.100.7").status_code == 302  # another address is not blocked


def test_rate_limits_are_off_under_testing_by_default(client_for, old_reader):
    article = ArticleFactory()
    client = client_for(old_reader)
    for i in range(3):
        assert (
            client.post(
                reverse("comment_create", args=[article.slug]), {"body": f"Quick {i}"}
            ).status_code
            == 302
        )


# --- login throttling (django-axes) ----------------------------------------------------------


def _login(username, password, address="192.0.2.44"):
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def _visible(response) -> str:
    return " ".join(parse_html(response.content).find("main").text().split())


def test_ten_failures_lock_the_account_from_that_address_then_cool_off(settings):
    user = UserFactory(username="target")
    for _ in range(9):
        response = _login("target", "wrong")
        assert response.status_code == 200
        assert "didn't match" in _visible(response)
    last = _login("target", "wrong")  # the tenth failure locks
    assert last.status_code in (403, 429)
    locked = _login("target", "pw-for-tests-1")  # even the right password is refused now
    assert locked.status_code in (403, 429)
    assert "Too many failed sign-ins" in _visible(locked)
    assert "_auth_user_id" not in Client().session
    # Another address is not locked out of the same account.
    assert _login("target", "pw-for-tests-1", address="198.51.100.20").status_code == 302
    # After the cool-off the account works again from the first address.
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(hours=2))
    assert _login("target", "pw-for-tests-1").status_code == 302
    assert user.pk


def test_lockout_does_not_reveal_whether_the_account_exists():
    UserFactory(username="realperson")
    real = [_login("realperson", "wrong") for _ in range(11)]
    ghost = [_login("nobody-by-this-name", "wrong") for _ in range(11)]
    assert [r.status_code for r in real] == [r.status_code for r in ghost]
    assert _visible(real[0]).replace("realperson", "X") == _visible(ghost[0]).replace(
        "nobody-by-this-name", "X"
    )
    assert _visible(real[-1]) == _visible(ghost[-1])
    assert real[-1].status_code in (403, 429)


def test_honeypot_field_is_on_the_form_and_hidden_from_people(client_for, reader):
    article = ArticleFactory()
    doc = parse_html(client_for(reader).get(article.get_absolute_url()).content)
    field = doc.find("input", name="website")
    assert field is not None
    assert field.attrs.get("tabindex") == "-1" and field.attrs.get("autocomplete") == "off"
    wrapper = next(a for a in field.ancestors() if a.attrs.get("aria-hidden") == "true")
    assert "hp" in wrapper.attrs.get("class", "").split()
    response = client_for(reader).post(
        reverse("comment_create", args=[article.slug]),
        {"body": "Great deals!", "website": "http://spam.example"},
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert services  # the service is never reached (nothing posted)
