"""The admin panel: staff only, events read-only, no deleting comments, actions through services."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from comments.models import Comment
from moderation import services as moderation_services
from moderation.models import ModerationEvent
from tests.factories import UserFactory, parse_html, post

from . import events, flag_by_readers, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client_(client_for, admin_user):
    return client_for(admin_user)


def test_moderators_get_the_desk_but_not_the_admin(client_for, moderator):
    client = client_for(moderator)
    assert client.get(reverse("moderation:queue")).status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.get(reverse("admin:comments_comment_changelist")).status_code == 302
    # The header links match.
    page = client.get(reverse("home")).content.decode()
    assert 'href="/moderation/"' in page and 'href="/admin/"' not in page


def test_staff_get_both(client_for, staff):
    client = client_for(staff)
    assert client.get(reverse("moderation:queue")).status_code == 200
    assert client.get("/admin/").status_code == 200
    page = client.get(reverse("home")).content.decode()
    assert 'href="/moderation/"' in page and 'href="/admin/"' in page


def test_readers_get_neither(client_for, reader):
    client = client_for(reader)
    assert client.get(reverse("moderation:queue")).status_code == 403
    assert client.get("/admin/").status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert 'href="/moderation/"' not in page and 'href="/admin/"' not in page


def test_events_are_read_only_in_admin(admin_client_, moderator, article, reader):
    c = post(article, reader)
    moderation_services.comment_approve(comment=c, acting_user=moderator)
    event = ModerationEvent.objects.get(action="approve")
    client = admin_client_
    assert client.get(reverse("admin:moderation_moderationevent_changelist")).status_code == 200
    assert client.get(reverse("admin:moderation_moderationevent_add")).status_code == 403
    change = client.get(reverse("admin:moderation_moderationevent_change", args=[event.pk]))
    assert change.status_code == 200
    doc = parse_html(change.content)
    assert doc.find("input", name="_save") is None  # a view page, nothing to submit
    posted = client.post(
        reverse("admin:moderation_moderationevent_change", args=[event.pk]),
        {"note": "forged", "action": "reject"},
    )
    assert posted.status_code == 403
    assert (
        client.get(reverse("admin:moderation_moderationevent_delete", args=[event.pk])).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:moderation_moderationevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    changelist = client.get(reverse("admin:moderation_moderationevent_changelist")).content.decode()
    assert "delete_selected" not in changelist
    event = ModerationEvent.objects.get(pk=event.pk)
    assert (event.note, event.action) == ("", "approve")


def test_comments_cannot_be_deleted_in_admin(admin_client_, article, reader):
    c = post(article, reader)
    client = admin_client_
    changelist = client.get(reverse("admin:comments_comment_changelist"))
    assert changelist.status_code == 200
    doc = parse_html(changelist.content)
    options = [
        o.attrs.get("value")
        for o in doc.find_all("option")
        if o.parent is not None and o.parent.attrs.get("name") == "action"
    ]
    assert "delete_selected" not in options
    assert "approve" in options
    assert client.get(reverse("admin:comments_comment_delete", args=[c.pk])).status_code == 403
    assert (
        client.post(
            reverse("admin:comments_comment_delete", args=[c.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    # Nor through the bulk action, even asked for by name.
    client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [c.pk], "post": "yes"},
    )
    assert Comment.objects.filter(pk=c.pk).exists()
    assert client.get(reverse("admin:comments_comment_add")).status_code == 403


def _admin_action(client, action, comments):
    return client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in comments]},
        follow=True,
    )


def test_admin_bulk_approve_goes_through_the_service(admin_client_, admin_user, article, reader):
    cs = [post(article, reader, f"Flagged {i}") for i in range(2)]
    for c in cs:
        flag_by_readers(c, 1)
    response = _admin_action(admin_client_, "approve", cs)
    assert response.status_code == 200
    assert "2 comment(s) updated, 0 skipped." in response.content.decode()
    for c in cs:
        c = fresh(c)
        assert (c.decision, c.decided_by, c.open_flag_count) == ("approved", admin_user, 0)
    assert events("approve", actor=admin_user) == 2


def test_admin_bulk_reject_goes_through_the_service(admin_client_, admin_user, article, reader):
    cs = [post(article, reader, f"Sectarian {i}") for i in range(2)]
    _admin_action(admin_client_, "reject_sectarian", cs)
    for c in cs:
        c = fresh(c)
        assert (c.status, c.rejection_reason, c.decided_by) == ("rejected", "sectarian", admin_user)
    assert events("reject", actor=admin_user, reason="sectarian") == 2
    # Restoring through the admin, too; a published one is skipped with a message.
    other = post(article, reader, "Never rejected")
    response = _admin_action(admin_client_, "restore", [*cs, other])
    assert "2 comment(s) updated, 1 skipped." in response.content.decode()
    assert events("restore", actor=admin_user) == 2


def test_staff_with_view_and_change_permission_act_as_themselves(client_for, article, reader):
    from django.contrib.auth.models import Permission

    staff = UserFactory(username="editor", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_comment", "change_comment"])
    )
    c = post(article, reader)
    _admin_action(client_for(staff), "reject_off_topic", [c])
    assert fresh(c).status == "rejected"
    event = ModerationEvent.objects.get(action="reject")
    assert (event.actor, event.actor_name) == (staff, "editor")


def test_comment_change_page_is_read_only(admin_client_, article, reader):
    c = post(article, reader, "Original words.")
    url = reverse("admin:comments_comment_change", args=[c.pk])
    assert admin_client_.get(url).status_code == 200
    admin_client_.post(url, {"body_raw": "Rewritten by admin", "status": "rejected"})
    c = fresh(c)
    assert (c.body_raw, c.status) == ("Original words.", "published")
