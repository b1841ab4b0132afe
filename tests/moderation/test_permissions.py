"""Who may use the moderation desk: every URL, every action, every role.

The URL matrix enumerates moderation.urls.urlpatterns, so a new moderation URL fails
here until it is given a row (and so a permission check).
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment
from moderation import services as moderation_services
from moderation import urls as moderation_urls
from moderation.models import ModerationEvent, UserModeration, UserNote
from tests.factories import UserFactory, make_moderator, make_staff, post

from . import action_url, events, fresh, user_action_url

pytestmark = pytest.mark.django_db

# name -> (method, staff only?)
URLS = {
    "queue": ("GET", False),
    "comment": ("GET", False),
    "user": ("GET", False),
    "log": ("GET", True),
    "detector": ("GET", True),
    "comment_action": ("POST", False),
    "bulk": ("POST", False),
    "article_mode": ("POST", False),
    "user_action": ("POST", False),
}

COMMENT_ACTIONS = ["approve", "reject", "restore", "feature", "unfeature", "lock", "unlock"]
USER_ACTIONS = ["suspend", "ban", "reinstate", "premoderate", "unpremoderate", "note"]


@pytest.fixture
def world(article, reader, other_reader):
    """A comment by `reader` in `article` (flagged once), and the data each URL needs."""
    comment = post(article, reader, "A comment the desk will look at.")
    moderation_services.comment_flag(comment=comment, reporter=other_reader, reason="spam")
    return {"article": article, "comment": comment, "author": reader}


def url_for(name, world, action=None):
    kwargs = {
        "queue": {},
        "bulk": {},
        "log": {},
        "detector": {},
        "comment": {"pk": world["comment"].pk},
        "comment_action": {"pk": world["comment"].pk, "action": action or "approve"},
        "article_mode": {"slug": world["article"].slug},
        "user": {"pk": world["author"].pk},
        "user_action": {"pk": world["author"].pk, "action": action or "ban"},
    }[name]
    return reverse(f"moderation:{name}", kwargs=kwargs)


POST_DATA = {
    "comment_action": {"reason": "spam"},
    "bulk": {"action": "approve"},
    "article_mode": {"mode": "closed"},
    "user_action": {"reason": "Repeated abuse"},
}


def post_data(name, world):
    data = dict(POST_DATA[name])
    if name == "bulk":
        data["ids"] = [world["comment"].pk]
    return data


def test_every_moderation_url_is_in_the_matrix():
    names = {p.name for p in moderation_urls.urlpatterns}
    assert names == set(URLS), (
        "A moderation URL was added or removed: give it a row in URLS (method, staff only)."
    )


def _request(client, name, world):
    method, _ = URLS[name]
    url = url_for(name, world)
    if method == "GET":
        return client.get(url)
    return client.post(url, post_data(name, world))


@pytest.mark.parametrize("name", sorted(URLS))
def test_anonymous_is_sent_to_the_login_page(client, world, name):
    before = ModerationEvent.objects.count()
    response = _request(client, name, world)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
    assert ModerationEvent.objects.count() == before


@pytest.mark.parametrize("name", sorted(URLS))
def test_reader_is_refused(client_for, world, other_reader, name):
    before = ModerationEvent.objects.count()
    response = _request(client_for(other_reader), name, world)
    assert response.status_code == 403
    assert ModerationEvent.objects.count() == before
    assert fresh(world["comment"]).decision == ""
    assert not UserModeration.objects.filter(user=world["author"]).exists()


@pytest.mark.parametrize("name", sorted(URLS))
def test_moderator_is_allowed_except_on_staff_pages(client_for, world, moderator, name):
    method, staff_only = URLS[name]
    response = _request(client_for(moderator), name, world)
    if staff_only:
        assert response.status_code == 403
    elif method == "GET":
        assert response.status_code == 200
    else:
        assert response.status_code == 302  # done; back to the queue
        assert ModerationEvent.objects.filter(actor=moderator).exists()


@pytest.mark.parametrize("name", sorted(URLS))
def test_staff_is_allowed_everywhere(client_for, world, staff, name):
    method, _ = URLS[name]
    response = _request(client_for(staff), name, world)
    if method == "GET":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert ModerationEvent.objects.filter(actor=staff).exists()


@pytest.mark.parametrize("name", [n for n, (m, _) in URLS.items() if m == "POST"])
def test_get_on_a_write_url_is_405_and_changes_nothing(client_for, world, moderator, name):
    before = ModerationEvent.objects.count()
    response = client_for(moderator).get(url_for(name, world))
    assert response.status_code == 405
    assert ModerationEvent.objects.count() == before


@pytest.mark.parametrize("name", [n for n, (m, _) in URLS.items() if m == "POST"])
def test_post_without_csrf_token_is_refused(world, moderator, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    before = ModerationEvent.objects.count()
    response = client.post(url_for(name, world), post_data(name, world))
    assert response.status_code == 403
    assert ModerationEvent.objects.count() == before
    assert fresh(world["comment"]).decision == ""


# --- each action, by role --------------------------------------------------------------------


def _prepare(comment, action, moderator):
    if action == "restore":
        moderation_services.comment_reject(comment=comment, acting_user=moderator, reason="spam")
    if action == "unfeature":
        moderation_services.comment_set_featured(comment=comment, acting_user=moderator)
    if action == "unlock":
        moderation_services.comment_set_locked(comment=comment, acting_user=moderator)


EXPECTED_EVENT = {
    "approve": "approve",
    "reject": "reject",
    "restore": "restore",
    "feature": "feature",
    "unfeature": "unfeature",
    "lock": "lock",
    "unlock": "unlock",
    "suspend": "suspend",
    "ban": "ban",
    "reinstate": "reinstate",
    "premoderate": "premoderate_user",
    "unpremoderate": "premoderate_user",
    "note": "user_note",
}
USER_POST = {
    "suspend": {"amount": "3", "unit": "days", "reason": "Cooling off"},
    "ban": {"reason": "Spam account"},
    "note": {"body": "Watch this one."},
}


@pytest.mark.parametrize("role", ["reader", "moderator", "staff"])
@pytest.mark.parametrize("action", COMMENT_ACTIONS)
def test_comment_action_by_role(client_for, world, other_reader, role, action):
    moderator = make_moderator()
    _prepare(world["comment"], action, moderator)
    actor = {"reader": other_reader, "moderator": make_moderator(), "staff": make_staff()}[role]
    before = events()
    response = client_for(actor).post(
        action_url(world["comment"], action),
        {"reason": "abuse", "seen": ""} if action == "reject" else {},
    )
    if role == "reader":
        assert response.status_code == 403
        assert events() == before
    else:
        assert response.status_code == 302, response.content[:300]
        assert events(EXPECTED_EVENT[action], actor=actor, comment=world["comment"]) == 1


@pytest.mark.parametrize("role", ["reader", "moderator", "staff"])
@pytest.mark.parametrize("action", USER_ACTIONS)
def test_user_action_by_role(client_for, world, other_reader, role, action):
    actor = {"reader": other_reader, "moderator": make_moderator(), "staff": make_staff()}[role]
    before = events()
    response = client_for(actor).post(
        user_action_url(world["author"], action), USER_POST.get(action, {})
    )
    if role == "reader":
        assert response.status_code == 403
        assert events() == before
        assert not UserModeration.objects.filter(user=world["author"]).exists()
        assert not UserNote.objects.exists()
    else:
        assert response.status_code == 302, response.content[:300]
        assert events(EXPECTED_EVENT[action], actor=actor, target_user=world["author"]) == 1


# --- the services enforce the rules themselves --------------------------------------------------


SERVICE_CALLS = {
    "approve": lambda c, u, a: moderation_services.comment_approve(comment=c, acting_user=u),
    "reject": lambda c, u, a: moderation_services.comment_reject(
        comment=c, acting_user=u, reason="spam"
    ),
    "restore": lambda c, u, a: moderation_services.comment_restore(comment=c, acting_user=u),
    "feature": lambda c, u, a: moderation_services.comment_set_featured(comment=c, acting_user=u),
    "lock": lambda c, u, a: moderation_services.comment_set_locked(comment=c, acting_user=u),
    "article_mode": lambda c, u, a: moderation_services.article_set_comment_mode(
        article=a, mode="closed", acting_user=u
    ),
    "suspend": lambda c, u, a: moderation_services.user_suspend(
        user=c.author, acting_user=u, duration=dt.timedelta(days=1)
    ),
    "ban": lambda c, u, a: moderation_services.user_ban(user=c.author, acting_user=u),
    "reinstate": lambda c, u, a: moderation_services.user_reinstate(user=c.author, acting_user=u),
    "premoderate": lambda c, u, a: moderation_services.user_set_premoderation(
        user=c.author, acting_user=u, premoderated=True
    ),
    "note": lambda c, u, a: moderation_services.user_add_note(
        user=c.author, acting_user=u, body="hm"
    ),
}


@pytest.mark.parametrize("acting", ["reader", "anonymous", "system"])
@pytest.mark.parametrize("call", sorted(SERVICE_CALLS))
def test_services_refuse_non_moderators(world, other_reader, acting, call):
    from django.contrib.auth.models import AnonymousUser

    actor = {"reader": other_reader, "anonymous": AnonymousUser(), "system": None}[acting]
    before = events()
    with pytest.raises(PermissionDenied):
        SERVICE_CALLS[call](world["comment"], actor, world["article"])
    assert events() == before
    comment = fresh(world["comment"])
    assert (comment.status, comment.decision, comment.is_featured, comment.is_locked) == (
        Comment.Status.PUBLISHED,
        "",
        False,
        False,
    )
    assert fresh(world["article"]).comment_mode == "open"
    assert not UserModeration.objects.exists()


def test_an_inactive_moderator_is_no_moderator(world):
    moderator = make_moderator()
    moderator.is_active = False
    moderator.save()
    with pytest.raises(PermissionDenied):
        moderation_services.comment_approve(comment=world["comment"], acting_user=moderator)


def test_leaving_the_moderators_group_closes_the_desk_on_the_next_request(
    client_for, world, moderator
):
    from django.contrib.auth.models import Group

    desk = client_for(moderator)
    assert desk.get(reverse("moderation:queue")).status_code == 200
    moderator.groups.remove(Group.objects.get(name="Moderators"))
    assert desk.get(reverse("moderation:queue")).status_code == 403


def test_the_role_is_read_with_the_signed_in_user(client_for, world, moderator):
    """No separate group lookup per request: the sign-in backend reads the role with the user."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    desk = client_for(moderator)
    with CaptureQueriesContext(connection) as ctx:
        assert desk.get(reverse("moderation:queue")).status_code == 200
    group_lookups = [q["sql"] for q in ctx.captured_queries if '"auth_group"' in q["sql"]]
    assert len(group_lookups) == 1
    assert '"accounts_user"."password"' in group_lookups[0]  # it is the user's own query


def test_a_deactivated_account_is_signed_out(client_for, reader):
    session = client_for(reader)
    reader.is_active = False
    reader.save()
    response = session.get(reverse("moderation:queue"))
    assert response.status_code == 302 and "/login" in response["Location"]


# --- bad input ------------------------------------------------------------------------------


def test_unknown_comment_is_404(client_for, moderator):
    before = events()
    response = client_for(moderator).post(
        reverse("moderation:comment_action", args=[987654, "approve"])
    )
    assert response.status_code == 404
    assert (
        client_for(moderator).get(reverse("moderation:comment", args=[987654])).status_code == 404
    )
    assert events() == before


def test_unknown_action_is_refused(client_for, world, moderator):
    client = client_for(moderator)
    before = events()
    assert client.post(action_url(world["comment"], "delete")).status_code in (400, 404)
    assert client.post(user_action_url(world["author"], "erase")).status_code in (400, 404)
    assert events() == before
    assert Comment.objects.filter(pk=world["comment"].pk).exists()


def test_unknown_reason_is_400_and_changes_nothing(client_for, world, moderator):
    before = events()
    response = client_for(moderator).post(
        action_url(world["comment"], "reject"), {"reason": "because"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "Unknown reason" in response.content.decode()
    assert events() == before
    assert fresh(world["comment"]).status == Comment.Status.PUBLISHED


def test_moderator_cannot_suspend_staff_or_other_moderators(client_for, moderator):
    client = client_for(moderator)
    for target in (make_staff(), make_moderator()):
        before = events()
        response = client.post(user_action_url(target, "suspend"), {"amount": "2", "unit": "days"})
        assert response.status_code == 403
        assert events() == before
        assert not UserModeration.objects.filter(user=target).exists()


def test_nobody_acts_on_themselves_or_a_superuser(client_for, staff):
    root = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(staff)
    assert client.post(user_action_url(root, "ban")).status_code == 403
    assert client.post(user_action_url(staff, "ban")).status_code == 403
    assert not UserModeration.objects.exists()


def test_staff_can_suspend_a_moderator(client_for, staff):
    target = make_moderator()
    response = client_for(staff).post(
        user_action_url(target, "suspend"), {"amount": "2", "unit": "days"}
    )
    assert response.status_code == 302
    assert UserModeration.objects.get(user=target).standing == "suspended"


def test_readers_guessing_ids_in_other_articles_change_nothing(client_for, reader, other_reader):
    from tests.factories import ArticleFactory

    here, elsewhere = ArticleFactory(), ArticleFactory()
    theirs = post(elsewhere, other_reader, "Someone else's words, elsewhere.")
    client = client_for(reader)
    before = (events("approve") + events("reject"), Comment.objects.count())
    # Moderation URLs: refused outright.
    assert client.post(action_url(theirs, "reject"), {"reason": "spam"}).status_code == 403
    assert (
        client.post(
            reverse("moderation:bulk"), {"action": "reject", "reason": "spam", "ids": [theirs.pk]}
        ).status_code
        == 403
    )
    # Reader URLs for someone else's comment: refused, text unchanged.
    assert (
        client.post(reverse("comment_edit", args=[theirs.pk]), {"body": "Hijacked"}).status_code
        == 403
    )
    assert client.post(reverse("comment_delete", args=[theirs.pk])).status_code == 403
    theirs = fresh(theirs)
    assert theirs.body_raw == "Someone else's words, elsewhere."
    assert theirs.status == Comment.Status.PUBLISHED
    # A reply whose parent id belongs to another article is refused by the service.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="another article"):
        services.comment_create(article=here, author=reader, body="Sneaky", parent=theirs.pk)
    assert (events("approve") + events("reject"), Comment.objects.count()) == before
    # The refused edit, delete and foreign-parent reply are all in the audit trail.
    assert events("denied", actor=reader) == 3


def test_bulk_with_ids_that_do_not_exist_changes_nothing(client_for, world, moderator):
    before = events()
    response = client_for(moderator).post(
        reverse("moderation:bulk"),
        {"action": "approve", "ids": [999991, 999992]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Approved 0 comment(s)" in response.content.decode()
    assert events() == before
