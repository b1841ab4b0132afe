"""Issue 21: what an attacker found on a production-mode server, one test (or a few) per item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.names import imitates_a_role
from comments import services
from comments.models import Comment
from moderation import services as moderation_services
from moderation.models import ModerationEvent
from tests.factories import ArticleFactory, UserFactory, parse_html, post, trusted_reader

pytestmark = pytest.mark.django_db

Status = Comment.Status
ABUSE = "All Shia are liars and cheats"  # the detector reports it (not a hold finding)


def fresh(obj):
    obj.refresh_from_db()
    return obj


def _flag(comment, reporter, reason="abuse"):
    return moderation_services.comment_flag(comment=comment, reporter=reporter, reason=reason)


# --- item 3: three brand-new accounts cannot hide a comment --------------------------------


def test_three_minutes_old_accounts_cannot_hide_a_comment(article, reader):
    c = post(article, reader, "An unpopular but fair opinion.")
    for _ in range(3):
        newcomer = UserFactory()
        User.objects.filter(pk=newcomer.pk).update(
            date_joined=timezone.now() - dt.timedelta(minutes=3)
        )
        _flag(c, User.objects.get(pk=newcomer.pk))
    c = fresh(c)
    assert c.status == Status.PUBLISHED and c.open_flag_count == 3  # reported, still shown


def test_days_old_accounts_without_comments_count_half(article, reader):
    c = post(article, reader, "Another opinion.")
    for _ in range(5):
        silent = UserFactory()
        User.objects.filter(pk=silent.pk).update(date_joined=timezone.now() - dt.timedelta(days=3))
        _flag(c, User.objects.get(pk=silent.pk))
    assert fresh(c).status == Status.PUBLISHED  # 2.5 < 3
    for _ in range(3):
        _flag(c, trusted_reader())
    assert fresh(c).status == Status.PENDING


# --- item 4: an approval does not survive an edit ------------------------------------------


def test_an_approved_comment_edited_into_abuse_goes_back_to_review(
    client, client_for, article, reader, moderator
):
    c = post(article, reader, "A fine and measured comment.")
    moderation_services.comment_approve(comment=c, acting_user=moderator)
    response = client_for(reader).post(reverse("comment_edit", args=[c.pk]), {"body": ABUSE})
    assert response.status_code == 302
    c = fresh(c)
    assert (c.status, c.decision, c.held_because) == (
        Status.PENDING,
        Comment.Decision.UNDECIDED,
        "detector",
    )
    assert ModerationEvent.objects.filter(comment=c, action="hold", reason="detector").exists()
    assert ABUSE not in client.get(article.get_absolute_url()).content.decode()


def test_after_any_edit_reader_flags_can_hide_an_approved_comment_again(article, reader, moderator):
    c = post(article, reader, "A fine and measured comment.")
    moderation_services.comment_approve(comment=c, acting_user=moderator)
    c = services.comment_edit(
        comment=fresh(c), body="Now a different, mild text.", acting_user=reader
    )
    c = fresh(c)
    assert (c.status, c.decision, c.decided_by) == (
        Status.PUBLISHED,
        Comment.Decision.UNDECIDED,
        None,
    )
    for _ in range(3):
        _flag(c, trusted_reader())
    assert fresh(c).status == Status.PENDING


def test_an_edit_with_a_finding_sends_an_approved_comment_back(article, reader, moderator):
    c = post(article, reader, "A fine and measured comment.")
    moderation_services.comment_approve(comment=c, acting_user=moderator)
    c = services.comment_edit(comment=fresh(c), body=ABUSE, acting_user=reader)
    assert (fresh(c).status, fresh(c).decision) == (Status.PENDING, Comment.Decision.UNDECIDED)


def test_an_edit_in_a_premoderated_article_waits_again(article, reader):
    c = post(article, reader, "Posted while the article was open.")
    article.comment_mode = "premoderated"
    article.save()
    services.comment_edit(comment=fresh(c), body="Rewritten afterwards.", acting_user=reader)
    assert (fresh(c).status, fresh(c).held_because) == (Status.PENDING, "premoderated_article")


# --- item 6: banned or suspended users can neither edit nor flag ---------------------------


@pytest.fixture
def banned(db, moderator):
    user = UserFactory(username="banned1")
    c = post(ArticleFactory(), user, "Written before the ban.")
    moderation_services.user_ban(user=user, acting_user=moderator, reason="Abuse")
    return User.objects.get(pk=user.pk), c


def test_a_banned_user_cannot_edit(client_for, banned):
    user, c = banned
    response = client_for(user).post(reverse("comment_edit", args=[c.pk]), {"body": ABUSE})
    assert response.status_code == 403
    assert "banned" in response.content.decode()
    assert fresh(c).body_raw == "Written before the ban."
    with pytest.raises(PermissionDenied, match="banned from editing"):
        services.comment_edit(comment=c, body=ABUSE, acting_user=user)


def test_a_banned_user_cannot_flag(client_for, banned, article, reader):
    user, _ = banned
    target = post(article, reader, "Someone else's comment.")
    response = client_for(user).post(reverse("comment_flag", args=[target.pk]), {"reason": "spam"})
    assert response.status_code == 403
    assert "banned from reporting" in response.content.decode()
    assert fresh(target).open_flag_count == 0


def test_a_suspended_user_cannot_flag(article, reader, other_reader, moderator):
    moderation_services.user_suspend(
        user=other_reader, acting_user=moderator, duration=dt.timedelta(days=1)
    )
    target = post(article, reader, "Someone else's comment.")
    with pytest.raises(PermissionDenied, match="suspended"):
        _flag(target, User.objects.get(pk=other_reader.pk))


# --- item 9: hidden comments are not reported ------------------------------------------------


def test_pending_or_deleted_comments_cannot_be_flagged(article, reader, other_reader):
    c = post(article, reader, "Soon withdrawn.")
    services.comment_delete_own(comment=c, acting_user=reader)
    with pytest.raises(Exception, match="not shown"):
        _flag(fresh(c), other_reader)
    assert fresh(c).open_flag_count == 0


@pytest.fixture
def held(db, article, reader, moderator):
    c = post(article, reader, "Waiting for a moderator.")
    Comment.objects.filter(pk=c.pk).update(status=Status.PENDING, held_because="flags")
    return fresh(c)


@pytest.mark.parametrize("name", ["comment_detail", "comment_reply", "comment_flag"])
def test_a_held_comment_is_404_to_other_readers(client_for, held, other_reader, name):
    response = client_for(other_reader).get(reverse(name, args=[held.pk]))
    assert response.status_code == 404
    assert "Rita Reader" not in response.content.decode()


def test_a_held_comment_is_shown_to_its_author_and_moderators(client_for, held, reader, moderator):
    assert client_for(reader).get(reverse("comment_detail", args=[held.pk])).status_code == 200
    assert client_for(moderator).get(reverse("comment_detail", args=[held.pk])).status_code == 200


def test_a_deleted_comment_is_404_even_anonymously(client, article, reader):
    c = post(article, reader, "Withdrawn.")
    services.comment_delete_own(comment=c, acting_user=reader)
    assert client.get(reverse("comment_detail", args=[c.pk])).status_code == 404


def test_readers_cannot_reply_to_a_held_comment(client_for, held, other_reader):
    response = client_for(other_reader).post(
        reverse("comment_reply", args=[held.pk]), {"body": "Replying anyway."}
    )
    assert response.status_code in (400, 404)
    assert not Comment.objects.filter(body_raw="Replying anyway.").exists()


# --- item 2: rate limits hold across workers without Redis ----------------------------------


@pytest.fixture
def limits_on(settings):
    settings.NEWSROOM = {
        **settings.NEWSROOM,
        "RATE_LIMITS": {**settings.NEWSROOM["RATE_LIMITS"], "ENABLED": True},
    }


def test_without_redis_the_limits_live_in_the_database_not_in_a_worker(settings):
    assert not settings.REDIS_URL
    backend = settings.CACHES["ratelimits"]["BACKEND"]
    assert "locmem" not in backend and backend.endswith("AtomicDatabaseCache")


def test_two_workers_share_one_count(limits_on, monkeypatch, client_for, article):
    """Each worker has its own cache connection; the count is the same for both."""
    from django.core.cache import caches

    from newsroom import ratelimits

    workers = [caches.create_connection("ratelimits") for _ in range(2)]
    turn = iter(workers * 4)
    monkeypatch.setattr(ratelimits, "_cache", lambda: next(turn))
    old = UserFactory()
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - dt.timedelta(days=30))
    client = client_for(User.objects.get(pk=old.pk))
    url = reverse("comment_create", args=[article.slug])
    assert client.post(url, {"body": "Once."}).status_code == 302
    assert client.post(url, {"body": "Once."}).status_code == 429
    assert Comment.objects.count() == 1


def test_database_cache_increments_are_counted_once_each(db):
    from django.core.cache import caches

    a, b = caches.create_connection("ratelimits"), caches.create_connection("ratelimits")
    a.add("n", 0, 60)
    assert [a.incr("n"), b.incr("n"), a.incr("n")] == [1, 2, 3]
    assert b.get("n") == 3


# --- item 5: oversized numbers are 404/400, and errors are logged ---------------------------


@pytest.mark.parametrize("page", ["9223372036854775807", "99999999999999999999"])
def test_an_oversized_article_page_number_is_404(client, client_for, article, reader, page):
    post(article, reader)
    assert client.get(article.get_absolute_url(), {"page": page}).status_code == 404
    assert client_for(reader).get(article.get_absolute_url(), {"page": page}).status_code == 404


def test_an_oversized_queue_page_number_is_404(client_for, moderator):
    response = client_for(moderator).get(
        reverse("moderation:queue"), {"page": "99999999999999999999"}
    )
    assert response.status_code == 404


def test_bulk_ids_past_the_database_range_are_400(client_for, moderator, article, reader):
    c = post(article, reader)
    desk = client_for(moderator)
    data = {"action": "approve", "ids": [str(c.pk), "99999999999999999999"]}
    response = desk.post(reverse("moderation:bulk"), data, headers={"HX-Request": "true"})
    assert response.status_code == 400 and "Bad selection" in response.content.decode()
    response = desk.post(reverse("moderation:bulk"), data, follow=True)  # without htmx: flashed
    assert response.status_code == 200 and "Bad selection" in response.content.decode()
    assert fresh(c).decision == Comment.Decision.UNDECIDED  # nothing done


def test_server_errors_are_logged_to_stderr_without_debug(settings):
    import logging
    import sys

    assert not settings.DEBUG
    handlers = logging.getLogger("django.request").handlers
    assert any(
        isinstance(h, logging.StreamHandler) and h.stream is sys.stderr and h.level <= logging.ERROR
        for h in handlers
    )


# --- item 7: per-user desk pages show moderators what the queue shows -----------------------


def test_a_moderators_user_page_does_not_list_what_the_user_did(
    client_for, article, reader, other_reader, moderator, staff
):
    theirs = post(article, other_reader, "Other reader's comment.")
    _flag(theirs, reader, reason="spam")  # reader's act: actor=reader, about someone else
    c = post(article, reader, "Reader's own comment.")
    moderation_services.comment_reject(comment=c, acting_user=moderator, reason="spam")
    url = reverse("moderation:user", args=[reader.pk])
    as_moderator = client_for(moderator).get(url).content.decode()
    assert "Reader&#x27;s own comment." in as_moderator or "Reader's own comment." in as_moderator
    assert f"#{theirs.pk}" not in as_moderator and "Other reader" not in as_moderator
    as_staff = client_for(staff).get(url).content.decode()
    assert f"#{theirs.pk}" in as_staff or "Other reader" in as_staff


def test_a_moderators_view_of_another_moderator_hides_their_decisions(
    client_for, article, reader, moderator
):
    from tests.factories import make_moderator

    colleague = make_moderator(username="mod2", display_name="Colleague")
    c = post(article, reader, "Decided by the colleague.")
    moderation_services.comment_reject(comment=c, acting_user=colleague, reason="spam")
    page = client_for(moderator).get(reverse("moderation:user", args=[colleague.pk]))
    assert page.status_code == 200
    assert "Decided by the colleague." not in page.content.decode()


def test_no_notes_about_superusers_or_oneself(client_for, moderator):
    boss = UserFactory(is_superuser=True, is_staff=True)
    for target in (boss, moderator):
        with pytest.raises(PermissionDenied):
            moderation_services.user_add_note(user=target, acting_user=moderator, body="Hmm.")
        response = client_for(moderator).post(
            reverse("moderation:user_action", args=[target.pk, "note"]), {"body": "Hmm."}
        )
        assert response.status_code == 403
    from moderation.models import UserNote

    assert not UserNote.objects.exists()


# --- item 12 (messages) -----------------------------------------------------------------------


def test_an_empty_moderator_note_does_not_speak_of_other(moderator, reader):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        moderation_services.user_add_note(user=reader, acting_user=moderator, body="  ")
    assert "Other" not in " ".join(exc.value.messages)


def test_a_nul_byte_in_a_flag_note_is_named(client_for, article, reader, other_reader):
    c = post(article, reader)
    response = client_for(other_reader).post(
        reverse("comment_flag", args=[c.pk]), {"reason": "spam", "note": "bad\x00note"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "NUL" in text and "Choose a reason" not in text


# --- item 8: names that imitate a role; bidi controls ----------------------------------------


def _signup(client, **fields):
    data = {
        "email": "newcomer@example.com",
        "display_name": "Newcomer",
        "password1": "Unguessable-pw-4711",
        "password2": "Unguessable-pw-4711",
        **fields,
    }
    return client.post(reverse("signup"), data)


@pytest.mark.parametrize(
    "name",
    [
        "Demo Moderator",
        "ADMIN",
        "Newsroom staff",
        "M o d e r a t o r",
        "Аdmin",
        "N3wsroom",
        "St4ff",
        "adm1n",
    ],
)
def test_display_names_that_imitate_a_role_are_refused(client, name):
    response = _signup(client, display_name=name)
    assert response.status_code == 400
    assert "read as a role" in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.com").exists()


def test_readers_cannot_choose_a_username_that_imitates_a_role(client):
    # Sign-up takes no login name: one is made from the display name (tests/hardening/
    # test_signup.py checks that it never reads as a role either).
    assert _signup(client, username="moderator").status_code == 302
    assert not User.objects.filter(username="moderator").exists()
    assert not imitates_a_role(User.objects.get(email="newcomer@example.com").username)


def test_ordinary_names_are_accepted_and_bidi_controls_stripped(client):
    assert _signup(client, display_name="\u202eRita\u2066 Reader\u200f").status_code == 302
    assert User.objects.get(email="newcomer@example.com").display_name == "Rita Reader"
    assert (
        _signup(Client(), email="modern@example.com", display_name="Stafford Modern").status_code
        == 302
    )


def test_emails_are_unique_whatever_their_case(client):
    UserFactory(username="first", email="Rita@Example.com")
    response = _signup(client, email="rita@example.COM")
    # The same answer as for a free address (test_signup.py); no second account.
    assert response.status_code == 302
    assert User.objects.holding_email("RITA@example.com").get().username == "first"


# --- item 10: every 429 keeps the typed text and says when to retry --------------------------


def test_an_edit_over_the_limit_keeps_the_text_and_says_when(
    limits_on, settings, client_for, reader, article
):
    settings.NEWSROOM["RATE_LIMITS"]["EDITS_PER_HOUR"] = 1
    c = post(article, reader, "Version 0")
    client = client_for(reader)
    url = reverse("comment_edit", args=[c.pk])
    assert client.post(url, {"body": "Version 1"}).status_code == 302
    refused = client.post(url, {"body": "Version 2, carefully typed"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    area = parse_html(refused.content).find("textarea", name="body")
    assert area is not None and area.text() == "Version 2, carefully typed"
    assert "editing too often" in refused.content.decode()


def test_a_flag_over_the_limit_keeps_the_note_and_says_when(
    limits_on, settings, client_for, reader, other_reader, article
):
    settings.NEWSROOM["RATE_LIMITS"]["FLAGS_PER_DAY"] = 1
    first, second = post(article, reader, "One."), post(article, UserFactory(), "Two.")
    client = client_for(other_reader)
    assert (
        client.post(reverse("comment_flag", args=[first.pk]), {"reason": "spam"}).status_code == 200
    )
    refused = client.post(
        reverse("comment_flag", args=[second.pk]),
        {"reason": "other", "note": "My careful explanation"},
    )
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "My careful explanation" in refused.content.decode()
    assert "Report a comment" in refused.content.decode()  # the form, not a bare page


def test_a_signup_over_the_limit_says_when(limits_on, settings):
    settings.NEWSROOM["RATE_LIMITS"]["SIGNUPS_PER_ADDRESS_PER_HOUR"] = 1
    assert _signup(Client(), email="one@example.com").status_code == 302
    refused = _signup(Client(), email="two@example.com")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 60
    assert 'value="two@example.com"' in refused.content.decode()


def test_a_login_lockout_says_when_and_keeps_the_username(settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="target")
    for _ in range(3):
        response = Client().post(reverse("login"), {"username": "target", "password": "no"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 3600
    assert 'value="target"' in response.content.decode()


# --- item 12: the client's address behind a trusted proxy -------------------------------------


def test_signup_limits_key_on_the_forwarded_address_behind_a_trusted_proxy(limits_on, settings):
    settings.NEWSROOM["RATE_LIMITS"]["SIGNUPS_PER_ADDRESS_PER_HOUR"] = 1
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"

    def via_proxy(name, client_ip, spoofed=""):
        forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
        client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)
        return _signup(client, email=f"{name}@example.com")

    assert via_proxy("one", "203.0.113.5").status_code == 302
    assert via_proxy("two", "198.51.100.9").status_code == 302  # another reader, same proxy
    # The client cannot pick its address: only the entry the proxy appended counts.
    assert via_proxy("three", "203.0.113.5", spoofed="192.0.2.77").status_code == 429


def test_login_throttling_keys_on_the_forwarded_address(settings):
    from newsroom.clientip import client_address

    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    request = Client().get("/healthz").wsgi_request
    request.META.update(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert client_address(request) == "203.0.113.5"
    assert settings.AXES_CLIENT_IP_CALLABLE == "newsroom.clientip.client_address"


def test_moderation_pages_are_never_stored(client_for, moderator):
    response = client_for(moderator).get(reverse("moderation:queue"))
    assert "no-store" in response["Cache-Control"]


def test_the_admin_may_use_inline_styles_but_the_site_may_not(client_for, staff, client):
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(Permission.objects.filter(codename="view_comment"))
    admin_csp = client_for(staff).get("/admin/")["Content-Security-Policy"]
    style = [d for d in admin_csp.split(";") if d.strip().startswith("style-src")][0]
    assert (
        "'unsafe-inline'" in style
        and "'unsafe-inline'" not in admin_csp.split("script-src")[1].split(";")[0]
    )
    site_csp = client.get("/")["Content-Security-Policy"]
    assert "unsafe-inline" not in site_csp


def test_production_refuses_an_email_backend_that_sends_nothing():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "SECRET_KEY": "x" * 50,
        "DEBUG": "0",
        "NEWSROOM_TESTING": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "delivers no mail" in result.stderr


# --- item 11: the shared page never echoes junk parameters -----------------------------------


def test_the_shared_page_ignores_and_never_echoes_unknown_parameters(client, article, reader):
    post(article, reader, "Something to read.")
    url = article.get_absolute_url()
    for _ in range(4):
        Client().get(url, {"page": "ANYTHING", "all": "X", "utm_evil": "<junk>"})
    clean = Client().get(url).content.decode()
    assert "ANYTHING" not in clean and "junk" not in clean and "utm_evil" not in clean
    poisoned = Client().get(url, {"page": "ANYTHING", "utm_evil": "junk"}).content.decode()
    assert "ANYTHING" not in poisoned and "junk" not in poisoned
    assert f"next={url}".replace("/", "%2F") in poisoned or f"next={url}" in poisoned


def test_a_stale_decision_on_an_undecided_comment_says_what_happened(article, reader, moderator):
    c = post(article, reader, "Approved, then edited.")
    c = moderation_services.comment_approve(comment=c, acting_user=moderator)
    seen = moderation_services.decision_token(c)
    services.comment_edit(comment=fresh(c), body="Edited after approval.", acting_user=reader)
    with pytest.raises(moderation_services.AlreadyDecided) as exc:
        moderation_services.comment_reject(
            comment=c, acting_user=moderator, reason="spam", seen_token=seen
        )
    message = " ".join(exc.value.messages)
    assert "no decision yet" not in message.lower() and "changed since you loaded it" in message
