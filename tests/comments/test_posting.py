"""Posting, replying, editing and deleting as a signed-in reader, through the real views."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment
from moderation.models import ModerationEvent
from tests.factories import UserFactory, comment_elements, parse_html, post

pytestmark = pytest.mark.django_db

Action = ModerationEvent.Action


def article_page(client, article):
    response = client.get(reverse("article", kwargs={"slug": article.slug}))
    assert response.status_code == 200
    return parse_html(response.content)


def create_url(article):
    return f"/articles/{article.slug}/comment/"


def test_reader_posts_a_top_level_comment(client_for, article, reader):
    c = client_for(reader)
    response = c.post(create_url(article), {"body": "First!"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.slug}/#c{comment.pk}"
    assert comment.author == reader and comment.parent is None
    assert comment.status == Comment.Status.PUBLISHED
    el = comment_elements(article_page(c, article))[comment.pk]
    assert el.find("div", class_="comment-body").text() == "First!"
    assert el.find("span", class_="author").text() == "Rita Reader"


def test_reader_replies_to_a_comment(client_for, article, reader, other_reader):
    root = post(article, other_reader, "Root")
    c = client_for(reader)
    # The reply page (for readers without JavaScript) shows a form that posts back to it.
    form_page = parse_html(c.get(f"/comments/{root.pk}/reply/").content)
    form = form_page.find("form", class_="comment-form")
    assert form.attrs["action"] == f"/comments/{root.pk}/reply/"
    assert "Reply to Omar Other" in form.text()
    response = c.post(f"/comments/{root.pk}/reply/", {"body": "A reply"})
    reply = Comment.objects.get(parent=root)
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.slug}/#c{reply.pk}"
    assert reply.author == reader and reply.level == 1
    els = comment_elements(article_page(c, article))
    assert els[reply.pk].is_inside(els[root.pk])


def test_a_reply_costs_eight_queries_and_reads_its_parent_under_the_tree_lock(
    client_for, article, reader
):
    """Round trips are most of a reply's cost, so the budget is pinned here, whatever the tree.

    Session, user (with role and standing), the parent's tree (locked in the same statement on
    PostgreSQL), the parent again under the lock, mptt's renumbering, the comment, the audit
    event, the thread version. The view does not read the parent: the service does, locked.
    """
    root = post(article)
    bigger = post(article)
    for _ in range(30):
        post(article, parent=bigger)
    c = client_for(reader)
    for parent in (root, bigger):
        with CaptureQueriesContext(connection) as ctx:
            response = c.post(f"/comments/{parent.pk}/reply/", {"body": "A reply"})
        assert response.status_code == 302
        sqls = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(sqls) == 8, sqls
        parent_reads = [
            sql
            for sql in sqls
            if "comments_comment" in sql and sql.lstrip().startswith(("SELECT", "SET"))
        ]
        assert len(parent_reads) == 2, parent_reads
        # Only the read under the lock loads the whole row; the first one only finds its tree.
        assert ["body_html" in sql for sql in parent_reads] == [False, True]
        if connection.vendor == "postgresql":
            assert "pg_advisory_xact_lock" in parent_reads[0]


def test_htmx_post_returns_the_new_comments_fragment(client_for, article, reader):
    c = client_for(reader)
    response = c.post(
        create_url(article), {"body": "Via <i>htmx</i>"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    comment = Comment.objects.get()
    doc = parse_html(response.content)
    assert doc.find("html") is None  # a fragment, not a page
    els = comment_elements(doc)
    assert list(els) == [comment.pk]
    el = els[comment.pk]
    assert el.attrs["data-depth"] == "0" and el.attrs["data-parent"] == ""
    assert el.find("span", class_="author").text() == "Rita Reader"
    assert el.find("div", class_="comment-body").find("i").text() == "htmx"
    assert el.find("a", class_="edit") is not None  # the author may edit it straight away


def test_htmx_reply_returns_the_fragment_and_clears_the_reply_form(client_for, article, reader):
    root = post(article, body="Root")
    c = client_for(reader)
    form = parse_html(c.get(f"/comments/{root.pk}/reply/", headers={"HX-Request": "true"}).content)
    assert form.find("html") is None
    assert form.find("form").attrs["hx-target"] == f"#replies-{root.pk}"
    response = c.post(
        f"/comments/{root.pk}/reply/", {"body": "Quick reply"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    reply = Comment.objects.get(parent=root)
    doc = parse_html(response.content)
    el = comment_elements(doc)[reply.pk]
    assert el.attrs["data-depth"] == "1" and el.attrs["data-parent"] == str(root.pk)
    slot = doc.find(id=f"reply-slot-{root.pk}")
    assert slot.attrs["hx-swap-oob"] == "true" and slot.children == []


def test_htmx_post_error_returns_the_form_with_the_message(client_for, article, reader):
    response = client_for(reader).post(
        create_url(article), {"body": "  "}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    doc = parse_html(response.content)
    assert doc.find("html") is None
    assert "Write something before posting." in doc.find("ul", class_="errors").text()
    assert not Comment.objects.exists()


def test_edit_own_comment_within_the_window(client_for, article, reader):
    comment = post(article, reader, "Frist")
    c = client_for(reader)
    page = parse_html(c.get(f"/comments/{comment.pk}/edit/").content)
    assert page.find("textarea").text() == "Frist"  # the raw text comes back for editing
    response = c.post(f"/comments/{comment.pk}/edit/", {"body": "First, *corrected*"})
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.slug}/#c{comment.pk}"
    comment.refresh_from_db()
    assert comment.body_raw == "First, *corrected*"
    assert comment.edited_at is not None
    el = comment_elements(article_page(c, article))[comment.pk]
    assert el.find("div", class_="comment-body").text() == "First, *corrected*"
    assert el.find("span", class_="edited").text() == "(edited)"
    event = ModerationEvent.objects.get(action=Action.EDIT)
    assert event.actor == reader and event.comment_id == comment.pk and event.note == "Frist"


def test_unedited_comment_has_no_edited_marker(client, article):
    comment = post(article)
    assert (
        comment_elements(article_page(client, article))[comment.pk].find("span", class_="edited")
        is None
    )


def _age(comment, minutes):
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes)
    )
    comment.refresh_from_db()


def test_edit_after_the_window_is_refused_with_a_message(client_for, article, reader):
    comment = post(article, reader, "Original")
    _age(comment, 16)
    c = client_for(reader)
    el = comment_elements(article_page(c, article))[comment.pk]
    assert el.find("a", class_="edit") is None  # no Edit link once the window closed
    assert el.find("a", class_="delete") is not None  # deleting stays possible
    response = c.get(f"/comments/{comment.pk}/edit/")
    assert response.status_code == 400
    assert "edit window for this comment has closed" in response.content.decode()
    events = ModerationEvent.objects.count()
    response = c.post(f"/comments/{comment.pk}/edit/", {"body": "Rewritten"})
    assert response.status_code == 400
    assert "within 15 minutes of posting" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body_raw == "Original" and comment.edited_at is None
    assert ModerationEvent.objects.count() == events


def test_edit_window_follows_the_setting(client_for, article, reader, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "EDIT_WINDOW_MINUTES": 60}
    comment = post(article, reader, "Original")
    _age(comment, 30)
    c = client_for(reader)
    assert c.post(f"/comments/{comment.pk}/edit/", {"body": "Still in time"}).status_code == 302
    settings.NEWSROOM = {**settings.NEWSROOM, "EDIT_WINDOW_MINUTES": 5}
    response = c.post(f"/comments/{comment.pk}/edit/", {"body": "Too late"})
    assert response.status_code == 400
    assert "within 5 minutes" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body_raw == "Still in time"


def test_delete_own_comment_leaves_a_placeholder_and_the_replies(client_for, article, reader):
    comment = post(article, reader, "I take it back")
    reply = post(article, body="But I replied", parent=comment)
    c = client_for(reader)
    assert c.get(f"/comments/{comment.pk}/delete/").status_code == 200  # confirmation page
    response = c.post(f"/comments/{comment.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.slug}/#c{comment.pk}"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED
    assert comment.body_raw == "I take it back"  # rows are never deleted
    doc = article_page(c, article)
    els = comment_elements(doc)
    assert els[comment.pk].find("div", class_="comment-body").text() == "[deleted]"
    assert "I take it back" not in doc.text()
    assert els[reply.pk].is_inside(els[comment.pk])
    assert "But I replied" in els[reply.pk].text()
    # Nobody can reply to the placeholder, and its author can't edit it any more.
    assert els[comment.pk].find("footer").find("a", class_="reply") is None
    assert els[comment.pk].find("footer").find("a", class_="edit") is None
    event = ModerationEvent.objects.get(action=Action.DELETE_OWN)
    assert event.actor == reader and event.comment_id == comment.pk


def test_account_deletion_keeps_comments_under_deleted_user(client, article, reader):
    comment = post(article, reader, "Still worth reading")
    reply = post(article, body="Reply to it", parent=comment)
    reader.delete()
    assert Comment.objects.count() == 2
    comment.refresh_from_db()
    assert comment.author_id is None
    els = comment_elements(article_page(client, article))
    assert els[comment.pk].find("span", class_="author").text() == "[deleted user]"
    assert els[comment.pk].find("div", class_="comment-body").text() == "Still worth reading"
    assert els[reply.pk].is_inside(els[comment.pk])
    assert ModerationEvent.objects.filter(action=Action.POST, comment=comment).exists()


def test_body_is_stored_raw_and_as_sanitized_html(client_for, article, reader):
    raw = 'Hello <b>bold</b> <script>alert(1)</script>\n\nSecond <span onclick="x()">para</span>'
    client_for(reader).post(create_url(article), {"body": raw})
    comment = Comment.objects.get()
    assert comment.body_raw == raw
    assert comment.body_html == "<p>Hello <b>bold</b> alert(1)</p><p>Second para</p>"
    # The raw text (not the HTML) is what the author edits.
    page = parse_html(client_for(reader).get(f"/comments/{comment.pk}/edit/").content)
    assert page.find("textarea").text() == raw


def test_links_get_nofollow_ugc_noopener(client, article):
    comment = post(
        article,
        body='See https://example.com/a and <a href="http://example.org/b" '
        'rel="author" target="_blank">this</a>.',
    )
    body = comment_elements(article_page(client, article))[comment.pk].find(
        "div", class_="comment-body"
    )
    links = body.find_all("a")
    assert [a.attrs["href"] for a in links] == ["https://example.com/a", "http://example.org/b"]
    for a in links:
        assert a.attrs["rel"] == "nofollow ugc noopener"
        assert set(a.attrs) == {"href", "rel"}


def test_every_write_records_a_moderation_event(client_for, article, reader, other_reader):
    c = client_for(reader)
    c.post(create_url(article), {"body": "One"})
    root = Comment.objects.get()
    c.post(f"/comments/{root.pk}/reply/", {"body": "Two"})
    reply = Comment.objects.get(parent=root)
    c.post(f"/comments/{reply.pk}/edit/", {"body": "Two, edited"})
    c.post(f"/comments/{reply.pk}/delete/")
    client_for(other_reader).post(f"/comments/{root.pk}/flag/", {"reason": "spam"})
    events = list(
        ModerationEvent.objects.order_by("pk").values_list(
            "action", "actor_id", "comment_id", "article_id"
        )
    )
    assert events == [
        (Action.POST, reader.pk, root.pk, article.pk),
        (Action.POST, reader.pk, reply.pk, article.pk),
        (Action.EDIT, reader.pk, reply.pk, article.pk),
        (Action.DELETE_OWN, reader.pk, reply.pk, article.pk),
        (Action.FLAG, other_reader.pk, root.pk, article.pk),
    ]


def test_deleting_twice_is_harmless(client_for, article, reader):
    comment = post(article, reader)
    c = client_for(reader)
    c.post(f"/comments/{comment.pk}/delete/")
    c.post(f"/comments/{comment.pk}/delete/")
    assert ModerationEvent.objects.filter(action=Action.DELETE_OWN).count() == 1


def test_each_post_bumps_the_thread_version(article, reader):
    before = article.thread_version
    post(article, reader)
    article.refresh_from_db()
    assert article.thread_version == before + 1


def test_anonymous_post_goes_to_sign_in(client, article):
    response = client.post(create_url(article), {"body": "Hello"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Comment.objects.exists()


def test_reply_to_a_deleted_user_shows_their_placeholder_name_in_the_form(client_for, article):
    gone = UserFactory()
    root = post(article, gone, "Orphan")
    gone.delete()
    reader = UserFactory()
    page = parse_html(client_for(reader).get(f"/comments/{root.pk}/reply/").content)
    assert "Reply to [deleted user]" in page.find("form", class_="comment-form").text()


def test_service_strips_nothing_from_the_raw_text(article, reader):
    raw = "  Leading and trailing spaces kept  "
    comment = services.comment_create(article=article, author=reader, body=raw)
    assert comment.body_raw == raw
    assert comment.body_html == "<p>Leading and trailing spaces kept</p>"
