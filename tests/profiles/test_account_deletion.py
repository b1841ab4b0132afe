"""Deleting one's account at /accounts/me/delete/: the password confirms it; the account row is
anonymised (its comments stay in their threads as "[deleted user]", their text per
NEWSROOM_DELETED_ACCOUNT_COMMENTS); moderation keeps every flag, finding, note, standing and
audit event; threads show the change at once; refusals write nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from comments import services as comment_services
from comments.models import Comment, Reaction
from moderation import services as moderation_services
from moderation.models import Finding, Flag, ModerationEvent, UserModeration, UserNote
from profiles import services
from tests.factories import UserFactory, comment_elements, parse_html, post

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # noqa: S105 - tests.factories.UserFactory's password
WRONG = "not-the-password"  # noqa: S105
DELETE = reverse("account_delete")


def everything():
    """Every row a deletion could touch, to compare before and after a refusal."""
    return (
        list(User.objects.order_by("pk").values_list()),
        list(Comment.objects.order_by("pk").values_list("pk", "author_id", "status", "body_raw")),
        list(Reaction.objects.order_by("pk").values_list("user_id", "comment_id")),
        list(Flag.objects.order_by("pk").values_list("reporter_id", "comment_id", "is_open")),
        list(ModerationEvent.objects.exclude(action="denied").values_list("pk", flat=True)),
    )


@pytest.fixture
def leaving(article, other_reader, moderator):
    """A reader with a published comment that has a reply, a held one, a removed one, a
    reaction given and received, a flag filed, a moderator's note and a standing."""
    user = UserFactory(
        username="leaving-reader", display_name="Lea Leaving", email="lea@example.com"
    )
    published = post(article, user, "My published words.")
    reply = post(article, other_reader, "A reply to Lea.", parent=published)
    held = post(article, user, "Held words.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    removed = post(article, user, "Removed words.")
    moderation_services.comment_reject(comment=removed, acting_user=moderator, reason="spam")
    comment_services.reaction_set(comment=reply, acting_user=user, pressed=True)
    comment_services.reaction_set(comment=published, acting_user=other_reader, pressed=True)
    moderation_services.comment_flag(comment=reply, reporter=user, reason="spam", note="ad")
    UserNote.objects.create(user=user, author=moderator, body="Watch this one.")
    UserModeration.objects.create(user=user, premoderated=True)
    return {
        "user": user,
        "published": published,
        "reply": reply,
        "held": held,
        "removed": removed,
    }


def delete_over_http(client, user, password=PASSWORD, **extra):
    return client.post(DELETE, {"password": password, "account": user.username, **extra})


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def thread_authors(client, article) -> dict[int, str]:
    doc = parse_html(client.get(article.get_absolute_url()).content)
    return {pk: el.find("span", class_="author").text() for pk, el in comment_elements(doc).items()}


def test_get_shows_the_confirmation_form(leaving, client_for):
    response = client_for(leaving["user"]).get(DELETE)
    assert response.status_code == 200
    doc = parse_html(response.content)
    form = doc.find("form", action=DELETE)
    assert form.find("input", type="password", name="password") is not None
    assert form.find("input", name="account").attrs["value"] == "leaving-reader"


def test_deleting_anonymises_the_account_and_keeps_its_comments_in_place(
    leaving, article, client_for, settings
):
    settings.NEWSROOM = {**settings.NEWSROOM, "DELETED_ACCOUNT_COMMENTS": "hide"}
    user, client = leaving["user"], client_for(leaving["user"])
    comments_before = Comment.objects.count()
    response = delete_over_http(client, user)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert SESSION_KEY not in client.session  # signed out
    gone = fresh(user)
    assert gone.pk == user.pk and gone.deleted_at is not None
    assert (gone.username, gone.email, gone.display_name) == (f"deleted-{user.pk}", "", "")
    assert not gone.is_active and not gone.has_usable_password()
    assert gone.public_name == "[deleted user]"
    # Nothing deleted: every comment is where it was, the reply under its parent.
    assert Comment.objects.count() == comments_before
    assert fresh(leaving["reply"]).parent_id == leaving["published"].pk
    assert fresh(leaving["published"]).author_id == user.pk
    # The message on the next page says what happened to the comments.
    home = client.get(reverse("home"))
    assert "Your account is deleted" in home.content.decode()


def test_hide_withdraws_published_and_held_comments_but_keeps_the_text_for_moderators(
    leaving, article, client_for, moderator, settings
):
    settings.NEWSROOM = {**settings.NEWSROOM, "DELETED_ACCOUNT_COMMENTS": "hide"}
    delete_over_http(client_for(leaving["user"]), leaving["user"])
    published, held, removed = (fresh(leaving[k]) for k in ("published", "held", "removed"))
    assert published.status == held.status == Comment.Status.DELETED
    assert removed.status == Comment.Status.REJECTED  # a moderator's decision stays
    assert published.body_raw == "My published words."  # for moderators
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "My published words." not in page and "Held words." not in page
    # Each withdrawn comment's history says why; the removed one's is untouched.
    withdrawn = ModerationEvent.objects.filter(action="delete_own", note="account deleted")
    assert set(withdrawn.values_list("comment_id", flat=True)) == {published.pk, held.pk}
    card = client_for(moderator).get(reverse("moderation:comment", args=[published.pk]))
    assert "My published words." in card.content.decode()


def test_keep_leaves_the_text_under_deleted_user(leaving, article, client_for, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "DELETED_ACCOUNT_COMMENTS": "keep"}
    delete_over_http(client_for(leaving["user"]), leaving["user"])
    assert fresh(leaving["published"]).status == Comment.Status.PUBLISHED
    assert fresh(leaving["held"]).status == Comment.Status.PENDING  # still the desk's to decide
    anonymous = Client()
    authors = thread_authors(anonymous, article)
    assert authors[leaving["published"].pk] == "[deleted user]"
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert "My published words." in page
    assert "Lea Leaving" not in page and "leaving-reader" not in page


def test_scrub_erases_the_text_from_the_database(leaving, client_for, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "DELETED_ACCOUNT_COMMENTS": "scrub"}
    delete_over_http(client_for(leaving["user"]), leaving["user"])
    for key in ("published", "held", "removed"):
        comment = fresh(leaving[key])
        assert (comment.body_raw, comment.body_html) == ("", ""), key
    assert fresh(leaving["published"]).status == Comment.Status.DELETED
    assert fresh(leaving["reply"]).body_raw == "A reply to Lea."  # others' words stay


def test_moderation_data_survives(leaving, moderator, client_for):
    user = leaving["user"]
    flags, notes = Flag.objects.count(), UserNote.objects.count()
    findings = Finding.objects.count()
    events_before = set(ModerationEvent.objects.values_list("pk", flat=True))
    delete_over_http(client_for(user), user)
    assert Flag.objects.filter(reporter_id=user.pk).count() == 1  # the flag they filed
    assert (Flag.objects.count(), UserNote.objects.count()) == (flags, notes)
    assert Finding.objects.count() == findings
    assert UserModeration.objects.get(user_id=user.pk).premoderated
    assert events_before <= set(ModerationEvent.objects.values_list("pk", flat=True))
    event = ModerationEvent.objects.get(action="account_delete")
    assert (event.actor_id, event.target_user_id) == (user.pk, user.pk)
    assert event.actor_name == "leaving-reader"  # the name earlier events knew them by
    assert "3 comments kept" in event.note
    # The desk's record of the account still lists its comments.
    record = client_for(moderator).get(reverse("moderation:user", args=[user.pk]))
    assert record.status_code == 200
    assert f"#{leaving['removed'].pk}" in record.content.decode()


def test_reactions_given_stay_counted_but_no_longer_name_the_reader(leaving, client_for):
    user, reply = leaving["user"], leaving["reply"]
    delete_over_http(client_for(user), user)
    assert fresh(reply).reaction_count == 1
    assert list(Reaction.objects.filter(comment=reply).values_list("user_id", flat=True)) == [None]


def test_threads_show_deleted_user_at_once_even_from_the_shared_cache(
    leaving, article, client_for, settings
):
    settings.NEWSROOM = {**settings.NEWSROOM, "DELETED_ACCOUNT_COMMENTS": "keep"}
    anonymous, reader = Client(), client_for(UserFactory())
    pk = leaving["published"].pk
    # Rendered and cached before the deletion, for both viewer classes.
    assert thread_authors(anonymous, article)[pk] == "Lea Leaving"
    assert thread_authors(reader, article)[pk] == "Lea Leaving"
    delete_over_http(client_for(leaving["user"]), leaving["user"])
    assert thread_authors(anonymous, article)[pk] == "[deleted user]"
    assert thread_authors(reader, article)[pk] == "[deleted user]"
    detail = anonymous.get(reverse("comment_detail", args=[leaving["reply"].pk]))
    assert "Lea Leaving" not in detail.content.decode()


def test_the_deleted_account_cannot_sign_in_and_its_profile_is_gone(leaving, client_for):
    user = leaving["user"]
    other_session = client_for(user)  # signed in elsewhere too
    delete_over_http(client_for(user), user)
    assert other_session.get(reverse("account_me")).status_code == 302  # to sign-in
    for name in ("leaving-reader", "lea@example.com", f"deleted-{user.pk}"):
        browser = Client()
        signin = browser.post(reverse("login"), {"username": name, "password": PASSWORD})
        assert signin.status_code == 200, name  # the form again, with its error
        assert SESSION_KEY not in browser.session
        assert b"match. Please try again." in signin.content
    assert Client().get(reverse("profile", args=["leaving-reader"])).status_code == 404
    assert Client().get(reverse("profile", args=[f"deleted-{user.pk}"])).status_code == 404


def test_the_address_can_sign_up_again_afterwards(leaving, client_for):
    delete_over_http(client_for(leaving["user"]), leaving["user"])
    assert not User.objects.holding_email("lea@example.com").exists()


def test_a_wrong_password_deletes_nothing(leaving, client_for):
    client = client_for(leaving["user"])
    before = everything()
    response = delete_over_http(client, leaving["user"], password=WRONG)
    assert response.status_code == 400
    assert "That is not your password. Nothing was deleted." in response.content.decode()
    assert everything() == before


def test_a_missing_password_deletes_nothing(leaving, client_for):
    client = client_for(leaving["user"])
    before = everything()
    response = client.post(DELETE, {"account": "leaving-reader"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert everything() == before


def test_a_request_naming_another_account_is_403(leaving, other_reader, client_for):
    """A tab opened for one account, submitted after signing in as another."""
    client = client_for(other_reader)
    before = everything()
    response = delete_over_http(client, leaving["user"])
    assert response.status_code == 403
    assert "opened for another account (leaving-reader)" in response.content.decode()
    assert everything() == before
    assert fresh(other_reader).deleted_at is None


def test_the_service_refuses_someone_elses_account(leaving, other_reader):
    before = everything()
    with pytest.raises(PermissionDenied):
        services.account_delete(user=leaving["user"], password=PASSWORD, acting_user=other_reader)
    assert everything() == before


def test_staff_accounts_are_refused(staff, client_for):
    client = client_for(staff)
    before = everything()
    response = delete_over_http(client, staff)
    assert response.status_code == 400
    assert "Staff accounts are not deleted from here" in response.content.decode()
    assert everything() == before


def test_repeated_wrong_passwords_lock_the_form(leaving, client_for, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = client_for(leaving["user"])
    statuses = [
        delete_over_http(client, leaving["user"], password=WRONG).status_code for _ in range(4)
    ]
    assert statuses[-1] == 429
    before = everything()
    assert delete_over_http(client, leaving["user"]).status_code == 429  # the right one too
    assert everything() == before


def test_anonymous_is_sent_to_sign_in():
    for response in (Client().get(DELETE), Client().post(DELETE, {"password": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_missing_csrf_token_is_403(leaving):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leaving["user"])
    before = everything()
    response = client.post(DELETE, {"password": PASSWORD, "account": "leaving-reader"})
    assert response.status_code == 403
    assert everything() == before


def test_service_summary_counts(leaving, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "DELETED_ACCOUNT_COMMENTS": "hide"}
    user = leaving["user"]
    summary = services.account_delete(user=user, password=PASSWORD, acting_user=user)
    assert (summary.comments, summary.hidden, summary.mode) == (3, 2, "hide")
    with pytest.raises((PermissionDenied, ValidationError)):
        services.account_delete(user=fresh(user), password=PASSWORD, acting_user=fresh(user))
