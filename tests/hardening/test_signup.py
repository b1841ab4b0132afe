"""Sign-up that says nothing about who has an account; one account per e-mail address.

The security review's finding: sign-up answered "already exists" for `editor`, and e-mails were
neither unique nor verified. Sign-up now takes an address, a display name and a password, and
always answers "check your inbox"; the mailbox gets either a confirmation link (new account,
inactive until the link is followed and the password chosen at sign-up typed there, or a
password reset completed) or a note that the address has an account already. The database
refuses a second account with the same address in any case.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.names import imitates_a_role
from tests.factories import ArticleFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "Unguessable-pw-4711"  # noqa: S105
RIGHT = {"password": PASSWORD}  # what the confirmation page asks for: the sign-up password
LINK = re.compile(r"http://testserver(/accounts/confirm/[^/\s]+/)")


@pytest.fixture
def limits_on(settings):
    settings.NEWSROOM = {
        **settings.NEWSROOM,
        "RATE_LIMITS": {**settings.NEWSROOM["RATE_LIMITS"], "ENABLED": True},
    }


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """Run the view with its after-commit mail sent (tests run inside one transaction)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def signup(client, **fields):
    data = {
        "email": "newcomer@example.com",
        "display_name": "Nadia Newcomer",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }
    return client.post(reverse("signup"), data)


def rows():
    return list(
        User.objects.order_by("pk").values_list(
            "pk", "username", "email", "password", "display_name", "is_active", "last_login"
        )
    )


@pytest.fixture
def rita(db):
    return UserFactory(username="rita", display_name="Rita", email="rita@example.com")


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def pending(mails, email="newcomer@example.com", **fields):
    """A new account waiting for its link; (the client that signed up, the link)."""
    client = Client()
    mails(signup, client, email=email, **fields)
    return client, link_in(mail.outbox[-1])


# --- the same answer, whoever has an account ---------------------------------------------------


def test_a_taken_address_and_a_fresh_one_get_the_same_pages(mails, rita):
    taken_client, fresh_client = Client(), Client()
    before = rows()
    taken = mails(signup, taken_client, email="Rita@Example.com")
    assert rows() == before  # nothing created, nothing changed
    fresh = mails(signup, fresh_client, email="fresh@example.com")
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert taken.status_code == 302
    assert taken.content == fresh.content
    assert sorted(taken.cookies) == sorted(fresh.cookies)
    taken_page = taken_client.get(taken["Location"])
    fresh_page = fresh_client.get(fresh["Location"])
    assert taken_page.status_code == fresh_page.status_code == 200
    assert taken_page.content.replace(b"Rita@example.com", b"ADDRESS") == (
        fresh_page.content.replace(b"fresh@example.com", b"ADDRESS")
    )
    assert b"Check your inbox" in fresh_page.content
    assert b"We sent a confirmation link to <strong>fresh@example.com</strong>" in (
        fresh_page.content
    )


def test_the_owner_of_a_taken_address_is_told_and_the_new_one_gets_a_link(mails, rita):
    mails(signup, Client(), email="RITA@example.com", display_name="Someone Else")
    mails(signup, Client(), email="fresh@example.com")
    to_rita, to_fresh = mail.outbox
    assert to_rita.to == ["rita@example.com"]  # the account's own address
    assert "already has an account" in to_rita.body
    assert "http://testserver/accounts/login/" in to_rita.body
    assert "http://testserver/accounts/password_reset/" in to_rita.body
    assert "rita" in to_rita.body and not LINK.search(to_rita.body)
    assert to_fresh.to == ["fresh@example.com"]
    assert LINK.search(to_fresh.body) and "already" not in to_fresh.body
    assert User.objects.filter(email__iexact="rita@example.com").count() == 1
    new = User.objects.get(email="fresh@example.com")
    assert not new.is_active and new.awaiting_confirmation
    assert new.check_password(PASSWORD)


def test_a_taken_username_is_no_longer_an_answer(mails):
    """The review's own probe: `editor` exists; nothing in the reply may say so."""
    UserFactory(username="editor", email="editor@example.com")
    response = mails(signup, Client(), username="editor", email="someone@example.com")
    assert response.status_code == 302
    assert b"already" not in response.content
    assert User.objects.filter(username="editor").count() == 1


def test_mail_goes_out_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert signup(Client()).status_code == 302
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[0].to == ["newcomer@example.com"]


def test_the_rate_limit_counts_sign_ups_with_taken_addresses_too(limits_on, settings, rita):
    settings.NEWSROOM["RATE_LIMITS"]["SIGNUPS_PER_ADDRESS_PER_HOUR"] = 1
    assert signup(Client(), email="rita@example.com").status_code == 302
    refused = signup(Client(), email="fresh@example.com")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 60
    assert not User.objects.filter(email="fresh@example.com").exists()


def test_a_mailbox_gets_at_most_so_many_account_mails_an_hour(limits_on, settings, mails, rita):
    settings.NEWSROOM["RATE_LIMITS"]["SIGNUPS_PER_ADDRESS_PER_HOUR"] = 100
    settings.NEWSROOM["RATE_LIMITS"]["ACCOUNT_MAILS_PER_RECIPIENT_PER_HOUR"] = 2
    responses = [mails(signup, Client(), email="rita@example.com") for _ in range(4)]
    assert {r.status_code for r in responses} == {302}  # the page never changes
    assert len(mail.outbox) == 2


# --- the confirmation link -----------------------------------------------------------------------


def test_the_link_confirms_once_signs_in_and_goes_where_the_reader_was(mails):
    article = ArticleFactory(slug="ceasefire")
    back = article.get_absolute_url() + "#discussion"
    client, link = pending(mails, next=back)
    user = User.objects.get(email="newcomer@example.com")
    assert not user.is_active

    page = client.get(link)  # what a mail scanner's GET sees: a button, nothing used up
    assert page.status_code == 200 and b"Confirm and sign in" in page.content
    assert not User.objects.get(pk=user.pk).is_active

    done = client.post(link, RIGHT)
    assert done.status_code == 302 and done["Location"] == back
    user.refresh_from_db()
    assert user.is_active and not user.awaiting_confirmation
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get("/").content.decode()
    assert "Signed in as" in home and "Nadia Newcomer" in home and user.username in home

    again = Client()
    before = rows()
    for response in (again.get(link), again.post(link, RIGHT)):
        assert response.status_code == 410
        assert "has been used already" in response.content.decode()
    assert rows() == before and "_auth_user_id" not in again.session


@pytest.mark.parametrize("nxt", ["https://evil.example/", "//evil.example/x", "/accounts/login/"])
def test_the_link_does_not_send_the_reader_off_the_site(mails, nxt):
    client, link = pending(mails, next=nxt)
    assert client.post(link, RIGHT)["Location"] == reverse("home")


def _tampered(link: str) -> list[str]:
    token = link.split("/")[-2]
    head, sig = token.rsplit(":", 1)
    flipped = sig[:-1] + ("A" if sig[-1] != "A" else "B")
    other = signing.dumps({"u": 1, "e": "x", "n": ""}, salt="some other purpose", compress=True)
    return [
        link.replace(token, f"{head}:{flipped}"),  # a changed signature
        link.replace(token, token[:-4]),  # cut short
        link.replace(token, other),  # signed, but for something else
        "/accounts/confirm/%00/",
    ]


def test_tampered_links_are_refused_and_change_nothing(mails):
    _, link = pending(mails)
    before = rows()
    for bad in _tampered(link):
        for response in (Client().get(bad), Client().post(bad, RIGHT)):
            assert response.status_code == 400, bad
            assert "This link is not valid" in response.content.decode()
            assert "_auth_user_id" not in response.client.session
    assert rows() == before
    assert Client().post(link, RIGHT).status_code == 302  # the genuine link still works


def test_a_link_for_another_account_cannot_be_forged_from_a_real_one(mails):
    _, link = pending(mails)
    victim = UserFactory(is_active=False)
    User.objects.filter(pk=victim.pk).update(awaiting_confirmation=True)
    token = link.split("/")[-2]
    from accounts.confirmation import SALT

    payload = signing.loads(token, salt=SALT)
    forged = signing.dumps({**payload, "u": victim.pk}, salt="wrong", compress=True)
    assert Client().post(link.replace(token, forged), RIGHT).status_code == 400
    assert not User.objects.get(pk=victim.pk).is_active


def test_expired_links_are_refused_and_change_nothing(mails, monkeypatch, settings):
    _, link = pending(mails)
    before = rows()

    class Later:
        @staticmethod
        def time():
            import time

            return time.time() + settings.NEWSROOM["CONFIRMATION_LINK_DAYS"] * 86400 + 60

    monkeypatch.setattr(signing, "time", Later)
    for response in (Client().get(link), Client().post(link, RIGHT)):
        assert response.status_code == 410
        text = response.content.decode()
        assert "This link has expired" in text and reverse("signup_resend") in text
    assert rows() == before


def test_a_link_no_longer_reactivates_an_account_that_staff_deactivated(mails):
    client, link = pending(mails)
    assert client.post(link, RIGHT).status_code == 302
    User.objects.filter(email="newcomer@example.com").update(is_active=False)
    assert Client().post(link, RIGHT).status_code == 410
    assert not User.objects.get(email="newcomer@example.com").is_active


def test_a_link_sent_before_the_address_changed_is_refused(mails):
    _, link = pending(mails)
    User.objects.filter(email="newcomer@example.com").update(email="other@example.com")
    assert Client().post(link, RIGHT).status_code == 400
    assert not User.objects.get(email="other@example.com").is_active


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


def _visible(response) -> str:
    from tests.factories import parse_html

    return " ".join(parse_html(response.content).find("main").text().split())


def test_an_unconfirmed_account_fails_to_sign_in_exactly_like_a_wrong_password(mails):
    pending(mails)  # a right password, but not confirmed
    UserFactory(username="real", email="real@example.com")
    unconfirmed = login(Client(), "newcomer@example.com")
    wrong = login(Client(), "real@example.com", "not-the-password")
    nobody = login(Client(), "nobody@example.com")
    assert unconfirmed.status_code == wrong.status_code == nobody.status_code == 200
    assert (
        _visible(unconfirmed).replace("newcomer@example.com", "X")
        == _visible(wrong).replace("real@example.com", "X")
        == _visible(nobody).replace("nobody@example.com", "X")
    )
    assert "_auth_user_id" not in unconfirmed.client.session


def test_the_browser_that_just_signed_up_is_offered_a_new_link_on_sign_in(mails, rita):
    client, _ = pending(mails)
    page = _visible(login(client, "newcomer@example.com"))
    assert "Confirm it first with the link we sent to newcomer@example.com" in page
    assert "Resend the confirmation link" in page
    # The same reminder after signing up with a taken address: it comes from this browser.
    taken = Client()
    mails(signup, taken, email="rita@example.com")
    assert "link we sent to rita@example.com" in _visible(login(taken, "rita@example.com", "x"))


def test_resending_answers_the_same_for_a_waiting_a_confirmed_and_an_unknown_address(mails, rita):
    pending(mails)
    outbox_before = len(mail.outbox)
    answers = {}
    for address in ("newcomer@example.com", "rita@example.com", "nobody@example.com"):
        client = Client()
        response = mails(client.post, reverse("signup_resend"), {"email": address})
        page = client.get(response["Location"])
        answers[address] = (
            response.status_code,
            response["Location"],
            page.status_code,
            page.content.replace(address.encode(), b"ADDRESS"),
        )
    assert len(set(answers.values())) == 1
    waiting, confirmed = mail.outbox[outbox_before:]  # nothing to the unknown address
    assert waiting.to == ["newcomer@example.com"] and LINK.search(waiting.body)
    assert confirmed.to == ["rita@example.com"] and "already has an account" in confirmed.body
    # The new link works (and the first one too, until either is used).
    assert Client().post(link_in(waiting), RIGHT).status_code == 302


def test_resending_is_rate_limited_whatever_the_address(limits_on, settings, rita):
    settings.NEWSROOM["RATE_LIMITS"]["CONFIRMATION_RESENDS_PER_ADDRESS_PER_HOUR"] = 2
    client = Client(REMOTE_ADDR="203.0.113.7")
    url = reverse("signup_resend")
    assert client.post(url, {"email": "rita@example.com"}).status_code == 302
    assert client.post(url, {"email": "nobody@example.com"}).status_code == 302
    for address in ("rita@example.com", "nobody@example.com"):
        refused = client.post(url, {"email": address})
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 60
        assert f'value="{address}"' in refused.content.decode()


def test_lockout_counts_every_spelling_of_an_account_together(settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="target", email="target@example.com")
    for typed in ("target", "Target@Example.com", "TARGET@example.com"):
        login(Client(), typed, "wrong")
    for typed in ("target", "target@example.com"):
        assert login(Client(), typed, "pw-for-tests-1").status_code == 429


# --- someone else's address --------------------------------------------------------------------
# Anyone can sign up with an address that is not theirs, choosing the password. Following the
# link used to be enough to activate that account: its owner, clicking "Confirm and sign in",
# handed it to whoever chose the password. Now the page asks for that password, and whoever
# has the mailbox but not the password sets a new one through a reset, which confirms it.

# Long enough that no random username suffix can make Django's similarity validator refuse them.
ATTACKER_PW = "Attackers-own-password-0666-zebra-quilt"  # noqa: S105
VICTIM_PW = "Victims-new-password-2468-oyster-jolt"  # noqa: S105
RESET_LINK = re.compile(r"http://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)")


def reset_password(client, email, new_password):
    """Ask for a reset mail to `email`, follow it and set `new_password`; the last response."""
    sent = len(mail.outbox)
    assert client.post(reverse("password_reset"), {"email": email}).status_code == 302
    (message,) = mail.outbox[sent:]
    assert message.to == [email]
    form_url = client.get(RESET_LINK.search(message.body).group(1))["Location"]
    return client.post(form_url, {"new_password1": new_password, "new_password2": new_password})


def test_signing_up_with_someone_elses_address_gets_the_stranger_nothing(mails):
    attacker = Client()
    mails(
        signup,
        attacker,
        email="victim@example.com",
        display_name="Vic Tim",
        password1=ATTACKER_PW,
        password2=ATTACKER_PW,
    )
    (to_victim,) = mail.outbox
    assert to_victim.to == ["victim@example.com"]
    link = link_in(to_victim)

    # The victim follows the link and presses the button: that activates nothing any more.
    victim = Client()
    before = rows()
    for data in ({}, {"password": ""}, {"password": VICTIM_PW}):  # the button alone, a guess
        response = victim.post(link, data)
        assert response.status_code == 400, data
        assert "_auth_user_id" not in victim.session
    assert rows() == before
    # The page asks for a password the victim never chose, and offers a reset instead.
    page = victim.get(link)
    assert page.status_code == 200
    text = _visible(page)
    assert "Enter the password you chose when you signed up." in text
    assert "Didn't sign up, or forgot the password? Set a new password" in text
    assert f'<a href="{reverse("password_reset")}">Set a new password</a>' in page.content.decode()

    # The stranger cannot sign in with the address and their own password.
    refused = login(Client(), "victim@example.com", ATTACKER_PW)
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session

    # A password reset proves the mailbox: the account is confirmed, with the victim's password.
    done = reset_password(victim, "victim@example.com", VICTIM_PW)
    assert done.status_code == 302
    account = User.objects.get(email="victim@example.com")
    assert account.is_active and not account.awaiting_confirmation
    assert account.check_password(VICTIM_PW) and not account.check_password(ATTACKER_PW)
    assert "Your address is confirmed and your new password set" in (
        victim.get(done["Location"]).content.decode()
    )
    assert login(Client(), "victim@example.com", ATTACKER_PW).status_code == 200
    signed_in = login(Client(), "victim@example.com", VICTIM_PW)
    assert signed_in.status_code == 302
    assert signed_in.client.session["_auth_user_id"] == str(account.pk)
    # The confirmation link is spent: not even the stranger's password does anything with it.
    for data in ({"password": ATTACKER_PW}, {"password": VICTIM_PW}):
        assert Client().post(link, data).status_code == 410
    assert User.objects.get(pk=account.pk).check_password(VICTIM_PW)


def test_the_confirmation_page_asks_for_the_sign_up_password_and_the_right_one_confirms(mails):
    client, link = pending(mails)
    assert "asks for the password you chose when you signed up" in mail.outbox[-1].body
    from tests.factories import parse_html

    form = parse_html(client.get(link).content).find("main").find("form")
    field = form.find("input", name="password")
    assert field.attrs["type"] == "password" and field.attrs["autocomplete"] == "current-password"
    assert "Enter the password you chose when you signed up." in form.text()
    done = client.post(link, RIGHT)
    assert done.status_code == 302
    user = User.objects.get(email="newcomer@example.com")
    assert user.is_active and not user.awaiting_confirmation and user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_on_the_confirmation_page_says_so_and_changes_nothing(mails):
    client, link = pending(mails)
    before = rows()
    response = client.post(link, {"password": "not-what-I-chose-1"})
    assert response.status_code == 400
    text = _visible(response)
    assert "That is not the password this account was created with. Nothing was changed." in text
    assert "Set a new password" in text
    assert "not-what-I-chose-1" not in response.content.decode()  # never echoed back
    from axes.models import AccessAttempt

    (attempt,) = AccessAttempt.objects.all()  # counted as a failed sign-in, the password masked
    assert "not-what-I-chose-1" not in attempt.post_data
    assert rows() == before and "_auth_user_id" not in client.session
    assert client.post(link, RIGHT).status_code == 302  # the link was not used up


def test_wrong_passwords_on_the_confirmation_page_count_as_failed_sign_ins(mails, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client, link = pending(mails)
    before = rows()
    assert login(Client(), "newcomer@example.com", "wrong-at-sign-in").status_code == 200
    assert client.post(link, {"password": "wrong-1"}).status_code == 400
    locked = client.post(link, {"password": "wrong-2"})  # the third failure of this account
    assert locked.status_code == 429 and int(locked["Retry-After"]) == 3600
    text = _visible(locked)
    assert "Too many wrong passwords for this account from your address." in text
    assert "Set a new password" in text and "Confirm and sign in" in text  # not sign-in's page
    right = client.post(link, RIGHT)  # while locked, the right password waits too
    assert right.status_code == 429 and "Too many wrong passwords" in _visible(right)
    assert login(Client(), "newcomer@example.com").status_code == 429  # one count with sign-in
    assert rows() == before and "_auth_user_id" not in client.session
    # Per account and client address, as sign-in: from elsewhere the right password works.
    assert Client(REMOTE_ADDR="203.0.113.9").post(link, RIGHT).status_code == 302


def test_a_reset_neither_reaches_nor_reactivates_an_account_staff_deactivated(mails):
    client, link = pending(mails)
    assert client.post(link, RIGHT).status_code == 302
    User.objects.filter(email="newcomer@example.com").update(is_active=False)
    sent = len(mail.outbox)
    assert Client().post(reverse("password_reset"), {"email": "newcomer@example.com"}).status_code
    assert len(mail.outbox) == sent  # as in Django: no mail for an inactive account
    from accounts import services

    user = User.objects.get(email="newcomer@example.com")
    assert services.reset_password(user, VICTIM_PW) is False
    user.refresh_from_db()
    assert not user.is_active and user.check_password(VICTIM_PW)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "new\x00comer@example.com"}, "Null characters are not allowed."),
        ({"display_name": "Nadia\x00"}, "Null characters are not allowed."),
        ({"password1": "pw\x00" + PASSWORD}, "Null characters are not allowed."),
        ({"email": "a" * 250 + "@example.com"}, "at most 254 characters"),
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
        ({"display_name": "   "}, "This field is required."),
        ({"display_name": "\u202e\u2066"}, "Choose a name to show next to your comments."),
        ({"display_name": "N" * 61}, "at most 60 characters"),
        ({"password2": "something-else-entirely"}, "didn’t match"),
        ({"password1": "newcomer", "password2": "newcomer"}, "too similar to the email"),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(mails, fields, message):
    response = mails(signup, Client(), **fields)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert text.count('class="errorlist') == 1  # that message alone, on its field
    assert not User.objects.exists() and mail.outbox == []
    # Without the bad field, the same form goes through.
    assert mails(signup, Client()).status_code == 302
    assert User.objects.count() == 1 and len(mail.outbox) == 1


def test_an_empty_form_gets_a_message_for_each_field(mails):
    response = mails(Client().post, reverse("signup"), {})
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") == 4
    assert not User.objects.exists() and mail.outbox == []


# --- the generated username ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["ad.min", "Mod-erator", "Стафф", "57aff", "", "Ωmega ✓"])
def test_generated_usernames_are_unique_and_never_read_as_a_role(name):
    from accounts.services import generate_username

    made = {generate_username(name) for _ in range(50)}
    assert len(made) == 50
    for username in made:
        assert not imitates_a_role(username)
        assert re.fullmatch(r"[a-z0-9_-]+-[a-z2-9]{6}", username)
        User(username=username).full_clean(exclude=["password"])


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


# --- the demo accounts ------------------------------------------------------------------------


def test_demo_accounts_sign_in_with_the_printed_passwords_by_name_or_address(tmp_path):
    out = StringIO()
    call_command(
        "demo_setup",
        "--force",
        "--no-generated",
        "--seeds",
        str(tmp_path),
        stdout=out,
        stderr=StringIO(),
    )
    pairs = (line.strip("| ").split(" / ") for line in out.getvalue().splitlines() if " / " in line)
    printed = {user.strip(): password.strip() for user, password in pairs}
    assert set(printed) == {"reader", "moderator", "editor", "amira", "tom", "lena"}
    for username, password in printed.items():
        user = User.objects.get(username=username)
        assert user.is_active and not user.awaiting_confirmation
        assert login(Client(), username, password).status_code == 302
        assert login(Client(), f"{username}@example.com", password).status_code == 302
