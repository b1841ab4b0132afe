"""The audit trail: one append-only event per decision, refused edits at every level, the log
page."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from moderation import services as moderation_services
from moderation.models import ModerationEvent
from tests.factories import ArticleFactory, UserFactory, make_moderator, parse_html, post

pytestmark = pytest.mark.django_db


def only_event(**filters):
    qs = ModerationEvent.objects.filter(**filters)
    assert qs.count() == 1, list(qs.values_list("action", "actor_name"))
    return qs.get()


def test_every_decision_is_recorded_with_who_what_why_and_when(moderator, article, reader):
    start = timezone.now()
    c = post(article, reader, "Under scrutiny.")
    moderation_services.comment_reject(
        comment=c, acting_user=moderator, reason="other", note="Doxxing"
    )
    moderation_services.comment_restore(comment=c, acting_user=moderator)
    moderation_services.comment_set_featured(comment=c, acting_user=moderator)
    moderation_services.comment_set_locked(comment=c, acting_user=moderator)
    moderation_services.article_set_comment_mode(
        article=article, mode="closed", acting_user=moderator
    )
    moderation_services.user_suspend(
        user=reader, acting_user=moderator, duration=dt.timedelta(hours=5), reason="Heated"
    )
    moderation_services.user_ban(user=reader, acting_user=moderator, reason="Repeat")
    moderation_services.user_reinstate(user=reader, acting_user=moderator)
    moderation_services.user_set_premoderation(
        user=reader, acting_user=moderator, premoderated=True
    )
    moderation_services.user_add_note(user=reader, acting_user=moderator, body="Talked to them.")

    reject = only_event(action="reject")
    assert (
        reject.actor,
        reject.actor_name,
        reject.comment,
        reject.article,
        reject.reason,
        reject.note,
        reject.state_before,
        reject.state_after,
    ) == (moderator, "mod1", c, article, "other", "Doxxing", "published", "rejected")
    assert start <= reject.created_at <= timezone.now()
    restore = only_event(action="restore")
    assert (restore.state_before, restore.state_after) == ("rejected", "published")
    assert only_event(action="feature").state_after == "True"
    assert only_event(action="lock").comment == c
    mode = only_event(action="article_mode")
    assert (mode.article, mode.state_before, mode.state_after) == (article, "open", "closed")
    suspend = only_event(action="suspend")
    assert (suspend.target_user, suspend.note, suspend.state_before) == (reader, "Heated", "active")
    assert suspend.state_after.startswith("suspended until ")
    ban = only_event(action="ban")
    assert (ban.state_before, ban.state_after, ban.note) == ("suspended", "banned", "Repeat")
    assert only_event(action="reinstate").state_after == "active"
    assert only_event(action="premoderate_user").state_after == "True"
    assert only_event(action="user_note").note == "Talked to them."
    # Nothing was recorded twice, and every event names its actor.
    decisions = ModerationEvent.objects.exclude(action__in=["post"])
    assert decisions.count() == 10
    assert set(decisions.values_list("actor_name", flat=True)) == {"mod1"}


def test_no_op_decisions_record_nothing(moderator, article, reader):
    c = post(article, reader)
    moderation_services.comment_approve(comment=c, acting_user=moderator)
    moderation_services.comment_approve(comment=c, acting_user=moderator)
    moderation_services.comment_set_featured(comment=c, acting_user=moderator, featured=False)
    moderation_services.article_set_comment_mode(
        article=article, mode="open", acting_user=moderator
    )
    assert list(
        ModerationEvent.objects.exclude(action="post").values_list("action", flat=True)
    ) == ["approve"]


def test_the_model_refuses_update_and_delete(moderator, article, reader):
    c = post(article, reader)
    moderation_services.comment_approve(comment=c, acting_user=moderator)
    event = ModerationEvent.objects.get(action="approve")
    event.note = "rewritten history"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    event = ModerationEvent.objects.get(pk=event.pk)
    assert event.note == ""


def test_the_database_refuses_update_and_delete(moderator, article, reader):
    c = post(article, reader)
    moderation_services.comment_reject(comment=c, acting_user=moderator, reason="spam")
    event = ModerationEvent.objects.get(action="reject")
    total = ModerationEvent.objects.count()
    assert ModerationEvent._meta.db_table == "comments_moderationevent"
    statements = [
        ("UPDATE comments_moderationevent SET note = %s WHERE id = %s", ["forged", event.pk]),
        ("UPDATE comments_moderationevent SET actor_name = %s", ["nobody"]),
        ("DELETE FROM comments_moderationevent WHERE id = %s", [event.pk]),
        ("DELETE FROM comments_moderationevent", []),
    ]
    for sql, params in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
    # Bulk ORM calls skip the model's save()/delete(), but not the database.
    with pytest.raises(DatabaseError), transaction.atomic():
        ModerationEvent.objects.filter(pk=event.pk).update(note="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        ModerationEvent.objects.all().delete()
    event = ModerationEvent.objects.get(pk=event.pk)
    assert (event.note, event.actor_name, event.reason) == ("", "mod1", "spam")
    assert ModerationEvent.objects.count() == total
    # Appending still works.
    moderation_services.comment_restore(comment=c, acting_user=moderator)
    assert ModerationEvent.objects.count() == total + 1


def test_events_outlive_what_they_point_at(moderator, article):
    target = UserFactory()
    moderation_services.user_ban(user=target, acting_user=moderator, reason="Gone")
    target_pk = target.pk
    target.delete()  # the account goes; its moderation record cascades; the event stays
    event = ModerationEvent.objects.get(action="ban")
    assert event.target_user_id == target_pk and event.actor_name == "mod1"


# --- the log page ------------------------------------------------------------------------------


@pytest.fixture
def history(moderator, reader):
    other_mod = make_moderator(username="zed")
    budget, sport = ArticleFactory(slug="budget"), ArticleFactory(slug="sport")
    a, b = post(budget, reader, "On budget"), post(sport, reader, "On sport")
    moderation_services.comment_reject(comment=a, acting_user=moderator, reason="spam")
    moderation_services.comment_approve(comment=b, acting_user=other_mod)
    moderation_services.comment_set_featured(comment=b, acting_user=moderator)
    return a, b


def rows(response):
    assert response.status_code == 200
    doc = parse_html(response.content)
    table = doc.find("table", class_="log")
    return [
        [" ".join(td.text().split()) for td in tr.find_all("td")]
        for tr in table.find("tbody").find_all("tr")
    ]


def test_staff_log_lists_events_newest_first(client_for, staff, history):
    a, b = history
    log = rows(client_for(staff).get(reverse("moderation:log")))
    actions = [r[2] for r in log]
    assert actions[:3] == ["Featured", "Approved", "Rejected"]
    reject = log[2]
    assert reject[1] == "mod1" and f"comment #{a.pk}" in reject[3] and reject[4] == "spam"
    assert reject[5] == "published → rejected"


def test_log_filters(client_for, staff, history):
    a, b = history
    client = client_for(staff)
    url = reverse("moderation:log")
    assert [r[2] for r in rows(client.get(url, {"action": "approve"}))] == ["Approved"]
    by_zed = rows(client.get(url, {"actor": "zed"}))
    assert [r[1] for r in by_zed] == ["zed"]
    sport = rows(client.get(url, {"article": "sport"}))
    assert {r[2] for r in sport} == {"Featured", "Approved", "Posted"}
    assert all(f"#{b.pk}" in r[3] for r in sport)
    both = rows(client.get(url, {"article": "sport", "actor": "mod1"}))
    assert [r[2] for r in both] == ["Featured"]
    assert rows(client.get(url, {"actor": "nobody-by-that-name"})) == [["No events."]]


def test_moderators_who_are_not_staff_cannot_see_the_log(client_for, moderator, history):
    response = client_for(moderator).get(reverse("moderation:log"))
    assert response.status_code == 403
    assert "staff" in response.content.decode()


def test_log_paginates(client_for, staff, moderator, article):
    for i in range(30):
        post(article, UserFactory(), f"Comment {i}")  # 30 "post" events
    for c in list(article.comments.all())[:25]:
        moderation_services.comment_approve(comment=c, acting_user=moderator)
    client = client_for(staff)
    first = client.get(reverse("moderation:log"))
    assert len(rows(first)) == 50
    assert "Page 1 of 2" in " ".join(parse_html(first.content).text().split())
    assert len(rows(client.get(reverse("moderation:log"), {"page": 2}))) == 5
