"""/accounts/me/ (display name, password, links) and /accounts/me/data/ (the JSON export):
what the reader gets, that nothing about another reader is in it, and the refusals."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from comments import services as comment_services
from comments.models import Comment
from moderation import services as moderation_services
from profiles import selectors
from tests.factories import comment_elements, parse_html, post

pytestmark = pytest.mark.django_db

ME, NAME, DATA = reverse("account_me"), reverse("account_name"), reverse("account_data")


def export_of(client, username):
    response = client.get(DATA, {"account": username})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert (
        response["Content-Disposition"] == f'attachment; filename="newsroom-data-{username}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


# --- /accounts/me/ ------------------------------------------------------------------------------


def test_the_settings_page_links_everything(reader, client_for):
    response = client_for(reader).get(ME)
    assert response.status_code == 200
    doc = parse_html(response.content)
    hrefs = {a.attrs.get("href") for a in doc.find_all("a")}
    assert reverse("password_change") in hrefs
    assert reverse("account_delete") in hrefs
    assert f"{DATA}?account=reader1" in hrefs
    assert reverse("profile", args=["reader1"]) in hrefs
    assert doc.find("input", name="display_name").attrs["value"] == "Rita Reader"
    # The header links here for every signed-in page.
    assert doc.find("header").find("a", href=ME) is not None


def _with_notifications_page():
    """The site's URLs plus a stand-in for the notifications app's settings page."""
    from django.http import HttpResponse
    from django.urls import path

    from newsroom import urls

    return [
        path("accounts/me/notifications/", lambda request: HttpResponse("stand-in")),
        *urls.urlpatterns,
    ]


def test_the_notifications_link_appears_once_its_page_exists(reader, client_for, settings):
    class WithNotifications:  # a URLconf may be any object with `urlpatterns`
        urlpatterns = _with_notifications_page()

    settings.ROOT_URLCONF = WithNotifications
    body = client_for(reader).get(ME).content.decode()
    assert 'href="/accounts/me/notifications/"' in body


def test_no_notifications_link_while_its_page_does_not_exist(reader, client_for, monkeypatch):
    from profiles import views

    monkeypatch.setattr(views, "NOTIFICATIONS_PATH", "/accounts/me/not-built-yet/")
    response = client_for(reader).get(ME)
    assert response.status_code == 200
    assert "/accounts/me/not-built-yet/" not in response.content.decode()
    assert "Notifications" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in():
    for url in (ME, DATA, reverse("account_delete")):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = Client().post(NAME, {"display_name": "Anon"})
    assert response["Location"].startswith(reverse("login"))


def test_changing_the_display_name_renames_the_author_in_threads(reader, article, client_for):
    mine = post(article, reader, "Something I said.")
    anonymous, client = Client(), client_for(reader)

    def author_on_page():
        doc = parse_html(anonymous.get(article.get_absolute_url()).content)
        return comment_elements(doc)[mine.pk].find("span", class_="author").text()

    assert author_on_page() == "Rita Reader"  # rendered and cached now
    response = client.post(NAME, {"display_name": "  Rita R.  ", "account": "reader1"})
    assert response.status_code == 302 and response["Location"] == ME
    assert User.objects.get(pk=reader.pk).display_name == "Rita R."
    assert author_on_page() == "Rita R."  # the cache did not keep the old name
    assert "now show the name Rita R." in client.get(ME).content.decode()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Choose a name to show next to your comments."),
        ("Site Moderator", "Names that read as a role"),
        ("N e w s r o o m", "Names that read as a role"),
        ("x" * 61, "at most 60 characters"),
    ],
)
def test_display_names_are_judged_as_at_sign_up(reader, client_for, name, message):
    response = client_for(reader).post(NAME, {"display_name": name, "account": "reader1"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.get(pk=reader.pk).display_name == "Rita Reader"


def test_bidi_controls_are_stripped_from_a_new_name(reader, client_for):
    client_for(reader).post(NAME, {"display_name": "Rita\u202e Reversed", "account": "reader1"})
    assert User.objects.get(pk=reader.pk).display_name == "Rita Reversed"


def test_a_name_change_naming_another_account_is_403(reader, other_reader, client_for):
    response = client_for(reader).post(NAME, {"display_name": "Hijack", "account": "reader2"})
    assert response.status_code == 403
    assert {u.display_name for u in User.objects.all()} == {"Rita Reader", "Omar Other"}


def test_get_to_the_name_url_is_405(reader, client_for):
    assert client_for(reader).get(NAME).status_code == 405


def test_a_name_change_without_csrf_token_is_403(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(NAME, {"display_name": "No token"}).status_code == 403
    assert User.objects.get(pk=reader.pk).display_name == "Rita Reader"


# --- /accounts/me/data/ -------------------------------------------------------------------------


@pytest.fixture
def busy(reader, other_reader, article, moderator):
    """The reader's comments in every state, reactions given and received, a flag filed; and
    another reader's activity around them that must not reach the export."""
    mine = post(article, reader, "My <b>raw</b> words.")
    theirs = post(article, other_reader, "Omar's secret-ish words.", parent=mine)
    removed = post(article, reader, "Removed words.")
    moderation_services.comment_reject(
        comment=removed, acting_user=moderator, reason="spam", note="Looks like an ad."
    )
    comment_services.reaction_set(comment=theirs, acting_user=reader, pressed=True)
    comment_services.reaction_set(comment=mine, acting_user=other_reader, pressed=True)
    moderation_services.comment_flag(comment=theirs, reporter=reader, reason="spam", note="ad?")
    moderation_services.comment_flag(comment=mine, reporter=other_reader, reason="abuse")
    return {"mine": mine, "theirs": theirs, "removed": removed}


def test_the_export_holds_everything_about_the_reader(reader, busy, client_for):
    data = export_of(client_for(reader), "reader1")
    assert data["format"] == selectors.EXPORT_FORMAT
    assert data["account"]["username"] == "reader1"
    assert data["account"]["display_name"] == "Rita Reader"
    assert data["account"]["reactions_received"] == 1
    comments = {c["id"]: c for c in data["comments"]}
    assert set(comments) == {busy["mine"].pk, busy["removed"].pk}
    assert comments[busy["mine"].pk]["body_raw"] == "My <b>raw</b> words."
    assert comments[busy["mine"].pk]["status"] == "published"
    assert comments[busy["removed"].pk]["status"] == "rejected"
    assert comments[busy["removed"].pk]["rejection_reason"] == "spam"
    assert comments[busy["removed"].pk]["rejection_note"] == "Looks like an ad."
    assert [r["comment_id"] for r in data["reactions_given"]] == [busy["theirs"].pk]
    assert [(f["comment_id"], f["note"]) for f in data["flags_filed"]] == [
        (busy["theirs"].pk, "ad?")
    ]
    assert data["moderation_standing"]["standing"] == "active"


def test_nothing_about_another_reader_leaks_into_the_export(
    reader, other_reader, moderator, busy, client_for
):
    raw = client_for(reader).get(DATA).content.decode()
    for trace in (
        "Omar",
        "reader2",
        other_reader.email or "reader2@",
        "secret-ish",
        "mod1",
        "Mo Moderator",
        '"abuse"',  # the flag Omar filed on the reader's comment
    ):
        assert trace not in raw, trace


def test_the_export_costs_one_query_per_section(
    reader, busy, client_for, django_assert_num_queries
):
    client = client_for(reader)
    # The session and the account, then one query per section (the account's: its reactions
    # received).
    expected = 2 + len(selectors.EXPORT_SECTIONS)
    with django_assert_num_queries(expected):
        client.get(DATA)
    for n in range(5):
        post(busy["mine"].article, reader, f"More words {n}.")
    with django_assert_num_queries(expected):
        client.get(DATA)


def test_a_section_is_one_builder(reader, monkeypatch):
    """How the notification settings will join the export: one more (name, builder) pair."""
    monkeypatch.setattr(
        selectors,
        "EXPORT_SECTIONS",
        [*selectors.EXPORT_SECTIONS, ("extra", lambda user: {"for": user.username})],
    )
    assert selectors.data_export(reader)["extra"] == {"for": "reader1"}


def test_an_export_naming_another_account_is_403(reader, other_reader, client_for):
    response = client_for(reader).get(DATA, {"account": "reader2"})
    assert response.status_code == 403
    assert b"opened for another account (reader2)" in response.content
    assert b"Omar" not in response.content


def test_post_to_the_export_is_405(reader, client_for):
    assert client_for(reader).post(DATA).status_code == 405


def test_the_export_has_no_comment_of_anyone_else(reader, other_reader, article, client_for):
    post(article, other_reader, "Only Omar's.")
    data = export_of(client_for(reader), "reader1")
    assert data["comments"] == []
    assert Comment.objects.count() == 1
