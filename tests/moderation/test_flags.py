"""Readers' reports: the reason list, one report per reader, auto-hide, and the queue after it."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from comments.models import Comment
from moderation import services as moderation_services
from moderation.models import Flag, ModerationEvent
from tests.factories import comment_elements, parse_html, post, trusted_reader

from . import events, flag_by_readers, fresh, open_flags, text_of, thread_doc

pytestmark = pytest.mark.django_db

Status = Comment.Status
REASONS = [
    "Sectarian generalisation",
    "Abuse or harassment",
    "Spam or advertising",
    "Off-topic",
    "Misinformation",
    "Other",
]


def flag_url(c):
    return reverse("comment_flag", args=[c.pk])


def test_flag_form_offers_the_reason_list(client_for, article, reader, other_reader):
    c = post(article, reader)
    response = client_for(other_reader).get(flag_url(c))
    assert response.status_code == 200
    doc = parse_html(response.content)
    labels = [
        " ".join(label.text().split())
        for label in doc.find_all("label")
        if label.attrs.get("for", "").startswith("id_reason")
    ]
    assert labels == REASONS
    radios = doc.find_all("input", type="radio", name="reason")
    assert [r.attrs["value"] for r in radios] == [
        "sectarian",
        "abuse",
        "spam",
        "off_topic",
        "misinformation",
        "other",
    ]


def test_reader_reports_a_comment(client_for, article, reader, other_reader):
    c = post(article, reader)
    response = client_for(other_reader).post(flag_url(c), {"reason": "spam", "note": "Link farm"})
    assert response.status_code == 200
    assert "a moderator will look at it" in text_of(response)
    flag = Flag.objects.get(comment=c)
    assert (flag.reporter, flag.reason, flag.note, flag.is_open) == (
        other_reader,
        "spam",
        "Link farm",
        True,
    )
    assert fresh(c).open_flag_count == 1
    assert events("flag", actor=other_reader, comment=c) == 1


def test_other_needs_a_note(client_for, article, reader, other_reader):
    c = post(article, reader)
    response = client_for(other_reader).post(flag_url(c), {"reason": "other", "note": "  "})
    assert response.status_code == 400
    assert "Please add a note explaining “Other”." in text_of(response)
    assert not Flag.objects.exists() and fresh(c).open_flag_count == 0
    ok = client_for(other_reader).post(flag_url(c), {"reason": "other", "note": "Doxxing"})
    assert ok.status_code == 200 and Flag.objects.get().note == "Doxxing"


@pytest.mark.parametrize("reason", ["", "rude", "SPAM"])
def test_unknown_reason_is_refused(client_for, article, reader, other_reader, reason):
    c = post(article, reader)
    response = client_for(other_reader).post(flag_url(c), {"reason": reason})
    assert response.status_code == 400
    assert "Choose a reason from the list." in text_of(response)
    assert not Flag.objects.exists()


def test_a_second_report_by_the_same_reader_is_refused(client_for, article, reader, other_reader):
    c = post(article, reader)
    client = client_for(other_reader)
    assert client.post(flag_url(c), {"reason": "spam"}).status_code == 200
    response = client.post(flag_url(c), {"reason": "abuse"})
    assert response.status_code == 400
    assert "You have already reported this comment." in text_of(response)
    assert Flag.objects.filter(comment=c).count() == 1
    assert fresh(c).open_flag_count == 1
    assert events("flag") == 1


def test_the_database_refuses_a_duplicate_flag(article, reader, other_reader):
    c = post(article, reader)
    Flag.objects.create(comment=c, reporter=other_reader, reason="spam")
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(comment=c, reporter=other_reader, reason="abuse")
    assert Flag.objects.filter(comment=c).count() == 1
    # Flags without a reporter (a deleted account) are not limited by it.
    Flag.objects.create(comment=c, reporter=None, reason="spam")
    Flag.objects.create(comment=c, reporter=None, reason="spam")


def test_reporting_ones_own_comment_is_refused(client_for, article, reader):
    c = post(article, reader)
    response = client_for(reader).post(flag_url(c), {"reason": "spam"})
    assert response.status_code == 400
    assert "You can't report your own comment." in text_of(response)
    assert not Flag.objects.exists() and events("flag") == 0
    # Nor is a Report link offered on one's own comment.
    els = comment_elements(thread_doc(client_for(reader), article))
    assert els[c.pk].find("a", class_="flag") is None


def test_anonymous_reports_go_to_login(client, article, reader):
    c = post(article, reader)
    response = client.post(flag_url(c), {"reason": "spam"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Flag.objects.exists()


def test_three_readers_auto_hide_a_comment(client, client_for, article, reader):
    c = post(article, reader, "Contentious words here.")
    flag_by_readers(c, 2)
    assert fresh(c).status == Status.PUBLISHED
    assert "Contentious words here." in thread_doc(client, article).text()
    third = trusted_reader()
    assert client_for(third).post(flag_url(c), {"reason": "abuse"}).status_code == 200
    c = fresh(c)
    assert (c.status, c.held_because, c.open_flag_count) == (Status.PENDING, "flags", 3)
    assert events("auto_hide", comment=c) == 1
    assert "Contentious words here." not in thread_doc(client, article).text()
    # Its author still sees it, marked as awaiting moderation.
    own = comment_elements(thread_doc(client_for(reader), article))[c.pk].text()
    assert "Contentious words here." in own and "Awaiting moderation" in own


def test_one_reader_cannot_hide_a_comment_alone(article, reader, other_reader):
    c = post(article, reader)
    moderation_services.comment_flag(comment=c, reporter=other_reader, reason="spam")
    for _ in range(3):
        with pytest.raises(Exception, match="already reported"):
            moderation_services.comment_flag(comment=c, reporter=other_reader, reason="spam")
    assert fresh(c).status == Status.PUBLISHED


def test_the_threshold_is_a_setting(settings, article, reader):
    settings.NEWSROOM = {**settings.NEWSROOM, "AUTO_HIDE_FLAGS": 5}
    c = post(article, reader)
    flag_by_readers(c, 4)
    assert fresh(c).status == Status.PUBLISHED
    flag_by_readers(c, 1)
    assert fresh(c).status == Status.PENDING


def test_after_approval_flags_reach_the_queue_but_do_not_hide_again(
    client, client_for, moderator, article, reader
):
    c = post(article, reader, "Approved but unpopular.")
    flag_by_readers(c, 3)
    assert fresh(c).status == Status.PENDING
    desk = client_for(moderator)
    pending = text_of(desk.get(reverse("moderation:queue") + "?tab=pending"))
    assert "Approved but unpopular." in pending
    moderation_services.comment_approve(comment=c, acting_user=moderator)
    assert (fresh(c).status, fresh(c).open_flag_count) == (Status.PUBLISHED, 0)

    flag_by_readers(c, 4, reason="misinformation", note="Wrong date")
    c = fresh(c)
    assert (c.status, c.open_flag_count) == (Status.PUBLISHED, 4)
    assert events("auto_hide", comment=c) == 1  # only the first time
    assert "Approved but unpopular." in thread_doc(client, article).text()
    response = desk.get(reverse("moderation:queue") + "?tab=reported")
    doc = parse_html(response.content)
    card = doc.by_id(f"card-{c.pk}")
    assert card is not None
    assert "Misinformation ×4" in " ".join(card.text().split())
    assert "Wrong date" in card.text()
    assert doc.find("a", data_tab="reported").find("span", class_="count").text() == "1"


def test_rejecting_closes_the_reports(moderator, article, reader):
    c = post(article, reader)
    flag_by_readers(c, 2)
    moderation_services.comment_reject(comment=c, acting_user=moderator, reason="abuse")
    assert open_flags(c) == 0 and fresh(c).open_flag_count == 0
    # A rejected comment can't be reported again from the thread.
    assert ModerationEvent.objects.filter(action="flag", comment=c).count() == 2
