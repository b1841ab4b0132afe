"""Moderators' decisions on comments, articles and users, and what readers then see."""

import threading

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from moderation import services as moderation_services
from moderation.models import ModerationEvent, UserModeration, UserNote
from tests.factories import UserFactory, comment_elements, make_moderator, parse_html, post

from . import (
    action_url,
    events,
    flag_by_readers,
    fresh,
    seen_token,
    text_of,
    thread_doc,
    user_action_url,
)

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.fixture
def mod(client_for, moderator):
    return client_for(moderator)


@pytest.fixture
def branch(article, reader, other_reader):
    """root (reader) -> child (other) -> grandchild (reader) -> great (other)."""
    root = post(article, reader, "Root comment with an opinion.")
    child = post(article, other_reader, "A reply to the root.", parent=root)
    grandchild = post(article, reader, "A reply to the reply.", parent=child)
    return root, child, grandchild


# --- approve / reject / restore -------------------------------------------------------------


def test_approve_closes_flags_and_records_who(mod, moderator, article, reader):
    c = post(article, reader, "Fine words.")
    flag_by_readers(c, 2)
    response = mod.post(action_url(c, "approve"), {"seen": seen_token(c)})
    assert response.status_code == 302
    c = fresh(c)
    assert (c.status, c.decision, c.decided_by, c.open_flag_count) == (
        Status.PUBLISHED,
        "approved",
        moderator,
        0,
    )
    assert not c.flags.filter(is_open=True).exists()
    assert events("approve", actor=moderator, comment=c) == 1


def test_approving_twice_records_one_approve_event(mod, moderator, article, reader):
    c = post(article, reader, "Fine words.")
    token = seen_token(c)
    assert mod.post(action_url(c, "approve"), {"seen": token}).status_code == 302
    # The same click again (e.g. a double submit with the now-stale token): nothing new.
    second = mod.post(action_url(c, "approve"), {"seen": token}, HTTP_HX_REQUEST="true")
    assert second.status_code == 409
    # And through the service without a token: a no-op too.
    moderation_services.comment_approve(comment=c, acting_user=moderator)
    assert events("approve", comment=c) == 1


def test_reject_with_a_reason_hides_the_comment_and_keeps_replies(
    mod, moderator, client, client_for, branch, reader, other_reader
):
    root, child, grandchild = branch
    response = mod.post(
        action_url(root, "reject"),
        {"reason": "sectarian", "note": "Blames a whole sect", "seen": ""},
    )
    assert response.status_code == 302
    root = fresh(root)
    assert (root.status, root.decision, root.rejection_reason, root.rejection_note) == (
        Status.REJECTED,
        "rejected",
        "sectarian",
        "Blames a whole sect",
    )
    event = ModerationEvent.objects.get(action="reject", comment=root)
    assert (event.actor, event.reason, event.note, event.state_before, event.state_after) == (
        moderator,
        "sectarian",
        "Blames a whole sect",
        "published",
        "rejected",
    )

    # An anonymous reader: a placeholder, and every reply still in place under it.
    doc = thread_doc(client, root.article)
    els = comment_elements(doc)
    assert {root.pk, child.pk, grandchild.pk} <= set(els)
    assert "Removed by a moderator" in els[root.pk].text()
    assert "Root comment with an opinion." not in els[root.pk].text()
    assert els[child.pk].is_inside(els[root.pk])
    assert els[grandchild.pk].is_inside(els[child.pk])
    assert "A reply to the reply." in els[grandchild.pk].text()

    # Another signed-in reader: the same placeholder.
    other = comment_elements(thread_doc(client_for(other_reader), root.article))[root.pk].text()
    assert "Removed by a moderator" in other and "Root comment" not in other

    # Its author: their own text, the reason, and that only they see it.
    own = comment_elements(thread_doc(client_for(reader), root.article))[root.pk].text()
    assert "Root comment with an opinion." in own
    assert "Sectarian generalisation" in own and "Blames a whole sect" in own
    assert "Only you can see this" in own


def test_reject_with_unknown_reason_is_400_and_changes_nothing(mod, article, reader):
    c = post(article, reader)
    before = events()
    for reason in ("", "rude", "OTHER"):
        response = mod.post(action_url(c, "reject"), {"reason": reason}, HTTP_HX_REQUEST="true")
        assert response.status_code == 400
        assert "Unknown reason" in response.content.decode()
        assert response["HX-Reswap"] == "none"  # the card stays
    assert events() == before
    assert fresh(c).status == Status.PUBLISHED


def test_reject_as_other_needs_a_note(mod, article, reader):
    c = post(article, reader)
    before = events()
    response = mod.post(
        action_url(c, "reject"), {"reason": "other", "note": "   "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "Please add a note explaining" in response.content.decode()
    assert events() == before and fresh(c).status == Status.PUBLISHED
    # Without htmx: back to the queue with the message shown there.
    response = mod.post(action_url(c, "reject"), {"reason": "other"}, follow=True)
    assert "Please add a note explaining" in text_of(response)
    assert events() == before
    ok = mod.post(action_url(c, "reject"), {"reason": "other", "note": "Personal details"})
    assert ok.status_code == 302 and fresh(c).rejection_note == "Personal details"


def test_restore_brings_a_rejected_comment_back(mod, client, moderator, article, reader):
    c = post(article, reader, "Back from the dead.")
    moderation_services.comment_reject(comment=c, acting_user=moderator, reason="spam")
    response = mod.post(action_url(c, "restore"), {"seen": seen_token(c)})
    assert response.status_code == 302
    c = fresh(c)
    assert (c.status, c.decision, c.rejection_reason) == (Status.PUBLISHED, "approved", "")
    assert "Back from the dead." in comment_elements(thread_doc(client, article))[c.pk].text()
    assert events("restore", comment=c) == 1


def test_restoring_a_published_comment_is_refused(mod, article, reader):
    c = post(article, reader)
    response = mod.post(action_url(c, "restore"), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Only a rejected comment can be restored" in response.content.decode()
    assert events("restore") == 0


def test_htmx_decision_removes_the_card_and_says_what_happened(mod, article, reader):
    c = post(article, reader)
    response = mod.post(action_url(c, "approve"), {"seen": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    doc = parse_html(body)
    status = doc.by_id("desk-status")
    assert status is not None and status.attrs.get("hx-swap-oob") == "true"
    assert f"Approved comment #{c.pk}" in status.text()
    assert f'id="card-{c.pk}"' not in body  # nothing replaces the card: it leaves


# --- feature and lock -------------------------------------------------------------------------


def test_feature_shows_a_badge_in_the_thread(mod, client, article, reader):
    c = post(article, reader, "An insightful comment.")
    plain = post(article, reader, "An ordinary one.")
    assert mod.post(action_url(c, "feature")).status_code == 302
    els = comment_elements(thread_doc(client, article))
    assert "Featured" in els[c.pk].text()
    assert "Featured" not in els[plain.pk].text()
    assert mod.post(action_url(c, "unfeature")).status_code == 302
    assert "Featured" not in comment_elements(thread_doc(client, article))[c.pk].text()
    assert events("feature", comment=c) == events("unfeature", comment=c) == 1


def test_locked_branch_refuses_replies_anywhere_below(
    mod, client_for, branch, reader, other_reader
):
    root, child, grandchild = branch
    outside = post(root.article, reader, "Another thread.")
    assert mod.post(action_url(child, "lock")).status_code == 302
    client = client_for(other_reader)
    before = Comment.objects.count()
    for target in (child, grandchild):
        response = client.post(reverse("comment_reply", args=[target.pk]), {"body": "Me too!"})
        assert response.status_code == 400
        assert "A moderator has locked this part of the thread." in text_of(response)
    assert Comment.objects.count() == before
    # No Reply link under the locked branch, but still above it and elsewhere.
    els = comment_elements(thread_doc(client, root.article))
    assert els[grandchild.pk].find("a", class_="reply") is None
    assert "Replies locked" in els[child.pk].text()
    assert (
        client.post(reverse("comment_reply", args=[root.pk]), {"body": "Fine."}).status_code == 302
    )
    assert (
        client.post(reverse("comment_reply", args=[outside.pk]), {"body": "Ok."}).status_code == 302
    )
    # Unlock: replies welcome again.
    assert mod.post(action_url(child, "unlock")).status_code == 302
    assert (
        client.post(
            reverse("comment_reply", args=[grandchild.pk]), {"body": "Now I can."}
        ).status_code
        == 302
    )


# --- articles ------------------------------------------------------------------------------


def test_close_and_reopen_an_article(mod, moderator, client_for, article, reader):
    url = reverse("moderation:article_mode", args=[article.slug])
    assert mod.post(url, {"mode": "closed"}).status_code == 302
    assert fresh(article).comment_mode == "closed"
    client = client_for(reader)
    page = client.get(reverse("article", args=[article.slug]))
    assert "Comments are closed on this article." in text_of(page)
    before = Comment.objects.count()
    response = client.post(reverse("comment_create", args=[article.slug]), {"body": "Hello?"})
    assert response.status_code == 400
    assert "Comments are closed on this article." in text_of(response)
    assert Comment.objects.count() == before

    assert mod.post(url, {"mode": "open"}).status_code == 302
    assert (
        client.post(
            reverse("comment_create", args=[article.slug]), {"body": "Open again."}
        ).status_code
        == 302
    )
    assert Comment.objects.count() == before + 1
    modes = list(
        ModerationEvent.objects.filter(action="article_mode", article=article)
        .order_by("pk")
        .values_list("state_before", "state_after", "actor")
    )
    assert modes == [("open", "closed", moderator.pk), ("closed", "open", moderator.pk)]


def test_unknown_article_mode_is_400(mod, article):
    response = mod.post(
        reverse("moderation:article_mode", args=[article.slug]),
        {"mode": "frozen"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "Unknown comment mode" in response.content.decode()
    assert fresh(article).comment_mode == "open" and events("article_mode") == 0


def test_premoderate_an_article_from_the_desk(mod, article, reader):
    assert (
        mod.post(
            reverse("moderation:article_mode", args=[article.slug]), {"mode": "premoderated"}
        ).status_code
        == 302
    )
    c = post(article, reader, "Held for review.")
    assert (c.status, c.held_because) == (Status.PENDING, "premoderated_article")


# --- users ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount,unit,message",
    [
        ("-3", "days", "between 1 hour and 365 days"),
        ("0", "hours", "between 1 hour and 365 days"),
        ("9999", "days", "at most 365 days"),
        ("100000", "hours", "between 1 hour and 365 days"),
        ("two", "days", "whole number"),
        ("", "days", "whole number"),
        ("3", "weeks", "hours or days"),
    ],
)
def test_bad_suspension_lengths_are_refused(mod, reader, amount, unit, message):
    before = events()
    response = mod.post(
        user_action_url(reader, "suspend"),
        {"amount": amount, "unit": unit, "reason": "x"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert events() == before
    assert not UserModeration.objects.filter(user=reader).exists()
    # The reader can still post.
    post(Article.objects.create(title="t", slug="t"), reader, "Still here.")


def test_suspended_user_sees_why_and_until_when(mod, moderator, client_for, article, reader):
    response = mod.post(
        user_action_url(reader, "suspend"),
        {"amount": "3", "unit": "days", "reason": "Personal attacks"},
    )
    assert response.status_code == 302
    standing = UserModeration.objects.get(user=reader)
    until = timezone.localtime(standing.suspended_until)
    assert standing.standing == "suspended"
    assert abs((standing.suspended_until - timezone.now()).total_seconds() - 3 * 86400) < 60
    event = ModerationEvent.objects.get(action="suspend", target_user=reader)
    assert (event.actor, event.note, event.state_before) == (
        moderator,
        "Personal attacks",
        "active",
    )

    before = Comment.objects.count()
    response = client_for(reader).post(
        reverse("comment_create", args=[article.slug]), {"body": "Let me speak!"}
    )
    assert response.status_code == 403
    text = text_of(response)
    assert "suspended until" in text
    assert f"{until:%d %b %Y}" in text
    assert "Personal attacks" in text
    assert Comment.objects.count() == before


def test_suspension_in_hours_and_reinstatement(mod, client_for, article, reader):
    assert (
        mod.post(user_action_url(reader, "suspend"), {"amount": "6", "unit": "hours"}).status_code
        == 302
    )
    standing = UserModeration.objects.get(user=reader)
    assert abs((standing.suspended_until - timezone.now()).total_seconds() - 6 * 3600) < 60
    assert mod.post(user_action_url(reader, "reinstate")).status_code == 302
    assert fresh(standing).standing == "active"
    assert (
        client_for(reader)
        .post(reverse("comment_create", args=[article.slug]), {"body": "Back."})
        .status_code
        == 302
    )


def test_banned_user_sees_why_when_posting(mod, client_for, article, reader):
    target = post(article, UserFactory(), "Something to reply to.")
    assert mod.post(user_action_url(reader, "ban"), {"reason": "Spam account"}).status_code == 302
    assert UserModeration.objects.get(user=reader).standing == "banned"
    client = client_for(reader)
    before = Comment.objects.count()
    for url in (
        reverse("comment_create", args=[article.slug]),
        reverse("comment_reply", args=[target.pk]),
    ):
        response = client.post(url, {"body": "Buy cheap watches"})
        assert response.status_code == 403
        text = text_of(response)
        assert "banned from commenting" in text and "Spam account" in text
    assert Comment.objects.count() == before


def test_premoderate_a_user(mod, client_for, article, reader, other_reader):
    assert mod.post(user_action_url(reader, "premoderate")).status_code == 302
    c = post(article, reader, "My held words.")
    assert (c.status, c.held_because) == (Status.PENDING, "premoderated_user")
    assert post(article, other_reader).status == Status.PUBLISHED  # only that user
    assert mod.post(user_action_url(reader, "unpremoderate")).status_code == 302
    assert post(article, reader).status == Status.PUBLISHED


def test_add_a_note_shows_on_the_authors_cards(mod, moderator, article, reader):
    c = post(article, reader)
    flag_by_readers(c, 1)
    assert (
        mod.post(
            user_action_url(reader, "note"), {"body": "Warned by email on Monday."}
        ).status_code
        == 302
    )
    note = UserNote.objects.get(user=reader)
    assert (note.author, note.body) == (moderator, "Warned by email on Monday.")
    assert "Warned by email on Monday." in text_of(mod.get(reverse("moderation:queue")))
    assert "Warned by email on Monday." in text_of(
        mod.get(reverse("moderation:user", args=[reader.pk]))
    )


def test_empty_note_is_refused(mod, reader):
    response = mod.post(user_action_url(reader, "note"), {"body": "  "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Please add a note" in response.content.decode()
    assert not UserNote.objects.exists() and events("user_note") == 0


# --- bulk -------------------------------------------------------------------------------------


def test_bulk_approve(mod, moderator, article, reader):
    cs = [post(article, reader, f"Bulk {i}") for i in range(3)]
    for c in cs:
        flag_by_readers(c, 1)
    untouched = post(article, reader, "Not selected")
    flag_by_readers(untouched, 1)
    response = mod.post(
        reverse("moderation:bulk"), {"action": "approve", "ids": [c.pk for c in cs]}, follow=True
    )
    assert "Approved 3 comment(s)." in text_of(response)
    assert [fresh(c).decision for c in cs] == ["approved"] * 3
    assert fresh(untouched).decision == "" and fresh(untouched).open_flag_count == 1
    assert events("approve", actor=moderator) == 3


def test_bulk_reject_needs_a_reason(mod, moderator, article, reader):
    cs = [post(article, reader, f"Bulk {i}") for i in range(2)]
    ids = [c.pk for c in cs]
    before = events()
    for data in (
        {"action": "reject", "ids": ids},
        {"action": "reject", "reason": "nope", "ids": ids},
        {"action": "erase", "ids": ids},
        {"action": "approve"},
        {"action": "approve", "ids": ["1; DROP TABLE"]},
    ):
        assert mod.post(reverse("moderation:bulk"), data, HTTP_HX_REQUEST="true").status_code == 400
    assert events() == before
    response = mod.post(
        reverse("moderation:bulk"),
        {"action": "reject", "reason": "spam", "ids": ids},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Rejected 2 comment(s)." in response.content.decode()
    assert [(fresh(c).status, fresh(c).rejection_reason) for c in cs] == [("rejected", "spam")] * 2
    assert events("reject", actor=moderator) == 2


def test_bulk_reject_as_other_without_note_skips_with_a_message(mod, article, reader):
    c = post(article, reader)
    response = mod.post(
        reverse("moderation:bulk"),
        {"action": "reject", "reason": "other", "ids": [c.pk]},
        HTTP_HX_REQUEST="true",
    )
    assert "Please add a note explaining" in response.content.decode()
    assert fresh(c).status == Status.PUBLISHED and events("reject") == 0


# --- two moderators on the same comment ----------------------------------------------------------


def test_second_moderator_with_a_stale_view_gets_409(client_for, article, reader):
    first, second = make_moderator(username="alice"), make_moderator(username="bob")
    c = post(article, reader, "Contested.")
    token = seen_token(c)  # both loaded the queue now
    assert (
        client_for(first)
        .post(action_url(c, "reject"), {"reason": "abuse", "seen": token})
        .status_code
        == 302
    )
    response = client_for(second).post(
        action_url(c, "approve"), {"seen": token}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "Already rejected by alice" in response.content.decode()
    c = fresh(c)
    assert (c.status, c.decided_by) == (Status.REJECTED, first)
    assert events("approve") + events("reject") == 1
    # Without htmx the message is flashed on the queue.
    follow = client_for(second).post(action_url(c, "restore"), {"seen": token}, follow=True)
    assert "Already rejected by alice" in text_of(follow)
    assert fresh(c).status == Status.REJECTED


def test_second_reject_with_stale_view_also_409(client_for, article, reader):
    first, second = make_moderator(username="alice"), make_moderator(username="bob")
    c = post(article, reader)
    token = seen_token(c)
    assert client_for(first).post(action_url(c, "approve"), {"seen": token}).status_code == 302
    response = client_for(second).post(
        action_url(c, "reject"), {"seen": token, "reason": "spam"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "Already approved by alice" in response.content.decode()
    assert fresh(c).status == Status.PUBLISHED and events("reject") == 0


def test_a_fresh_view_may_overturn_a_decision(client_for, article, reader):
    first, second = make_moderator(username="alice"), make_moderator(username="bob")
    c = post(article, reader)
    client_for(first).post(action_url(c, "approve"), {"seen": seen_token(c)})
    response = client_for(second).post(
        action_url(c, "reject"), {"seen": seen_token(c), "reason": "spam"}
    )
    assert response.status_code == 302
    assert fresh(c).decided_by == second


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "actions", [("approve", "reject"), ("reject", "reject"), ("approve", "approve")]
)
def test_concurrent_decisions_make_exactly_one_event(actions):
    from django.db import connection

    from tests.factories import ArticleFactory

    article = ArticleFactory()
    c = post(article, UserFactory(), "Raced over.")
    mods = [make_moderator(), make_moderator()]
    token = seen_token(c)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(moderator, action):
        try:
            barrier.wait(timeout=10)
            if action == "approve":
                moderation_services.comment_approve(
                    comment=c, acting_user=moderator, seen_token=token
                )
            else:
                moderation_services.comment_reject(
                    comment=c, acting_user=moderator, reason="spam", seen_token=token
                )
            outcomes.append("done")
        except moderation_services.AlreadyDecided as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(m, a)) for m, a in zip(mods, actions, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(outcomes) == 2 and outcomes.count("done") == 1, outcomes
    c = fresh(c)
    events_ = ModerationEvent.objects.filter(comment=c, action__in=["approve", "reject"])
    assert events_.count() == 1
    assert events_.get().actor_id == c.decided_by_id
    # The loser is told who decided (the winner's name, read after the lock was released).
    loser = next(o for o in outcomes if o != "done")
    assert loser.startswith(
        f"Already {c.get_decision_display().lower()} by {c.decided_by.get_username()}"
    ), loser
