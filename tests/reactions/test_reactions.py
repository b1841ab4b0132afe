"""Reactions: one "Respect" per reader per comment, toggled by POST /comments/<pk>/react/.

What is refused (with a message, nothing written), what a reaction leaves alone (the comment's
moderation state, the thread version), the most-respected sort and the count a reader receives.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from articles.models import Article
from comments import selectors, services
from comments.models import Comment, Reaction
from moderation import services as moderation_services
from tests.factories import (
    ArticleFactory,
    UserFactory,
    comment_elements,
    import_thread,
    parse_html,
    post,
)

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def react_url(comment) -> str:
    return reverse("comment_react", args=[comment.pk])


def fresh(comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def rows(comment) -> list[int | None]:
    return list(Reaction.objects.filter(comment=comment).values_list("user_id", flat=True))


def button_of(response):
    doc = parse_html(response.content)
    button = doc.find("button", class_="react")
    assert button is not None, response.content[:400]
    return button


def moderation_state(comment):
    return Comment.objects.filter(pk=comment.pk).values(
        "status",
        "decision",
        "held_because",
        "decided_by",
        "decided_at",
        "open_flag_count",
        "is_featured",
        "is_locked",
        "body_raw",
        "body_html",
        "edited_at",
        "lft",
        "rght",
        "tree_id",
        "level",
    )[0]


@pytest.fixture
def theirs(article, other_reader):
    return post(article, other_reader, "A comment worth respecting.")


# --- giving and taking back ----------------------------------------------------------------


def test_reacting_twice_toggles_and_the_count_follows_the_rows(theirs, reader):
    first = services.reaction_set(comment=theirs, acting_user=reader)
    assert (first.pressed, first.count, first.changed) == (True, 1, True)
    assert rows(theirs) == [reader.pk] and fresh(theirs).reaction_count == 1
    second = services.reaction_set(comment=theirs, acting_user=reader)
    assert (second.pressed, second.count, second.changed) == (False, 0, True)
    assert rows(theirs) == [] and fresh(theirs).reaction_count == 0


def test_an_explicit_wish_is_idempotent(theirs, reader):
    """A double-click sends the same wish twice: it changes the state once."""
    for _ in range(2):
        result = services.reaction_set(comment=theirs, acting_user=reader, pressed=True)
        assert (result.pressed, result.count) == (True, 1)
    assert rows(theirs) == [reader.pk]
    assert services.reaction_set(comment=theirs, acting_user=reader, pressed=True).changed is False
    for _ in range(2):
        result = services.reaction_set(comment=theirs, acting_user=reader, pressed=False)
        assert (result.pressed, result.count) == (False, 0)
    assert rows(theirs) == [] and fresh(theirs).reaction_count == 0


def test_counts_add_up_over_readers(theirs):
    readers = [UserFactory() for _ in range(5)]
    for r in readers:
        services.reaction_set(comment=theirs, acting_user=r)
    services.reaction_set(comment=theirs, acting_user=readers[0])  # taken back
    assert fresh(theirs).reaction_count == 4 == Reaction.objects.filter(comment=theirs).count()


def test_the_database_refuses_a_second_row_for_the_same_reader(theirs, reader):
    Reaction.objects.create(comment=theirs, user=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(comment=theirs, user=reader)
    assert rows(theirs) == [reader.pk]


def test_the_service_takes_a_comment_id_too(theirs, reader):
    assert services.reaction_set(comment=theirs.pk, acting_user=reader).count == 1
    with pytest.raises(ValidationError, match="does not exist"):
        services.reaction_set(comment=999_999, acting_user=reader)


def test_a_reaction_changes_no_moderation_state_and_no_thread_version(
    article, theirs, reader, moderator
):
    moderation_services.comment_set_featured(comment=theirs, acting_user=moderator)
    moderation_services.comment_approve(comment=fresh(theirs), acting_user=moderator)
    before = moderation_state(theirs)
    article.refresh_from_db()
    versions = (article.thread_version, article.reactions_version)
    services.reaction_set(comment=theirs, acting_user=reader)
    services.reaction_set(comment=theirs, acting_user=UserFactory())
    services.reaction_set(comment=theirs, acting_user=reader)
    assert moderation_state(theirs) == before
    article.refresh_from_db()
    assert article.thread_version == versions[0]  # no cached piece of the thread goes stale
    assert article.reactions_version == versions[1] + 3  # the stored anonymous pages do
    # An unchanged wish writes nothing at all.
    services.reaction_set(comment=theirs, acting_user=reader, pressed=False)
    article.refresh_from_db()
    assert article.reactions_version == versions[1] + 3


def test_a_moderator_decision_keeps_the_count(article, theirs, reader, moderator):
    services.reaction_set(comment=theirs, acting_user=reader)
    moderation_services.comment_reject(comment=theirs, acting_user=moderator, reason="spam")
    moderation_services.comment_restore(comment=fresh(theirs), acting_user=moderator)
    assert fresh(theirs).reaction_count == 1


# --- the view: htmx and without JavaScript -------------------------------------------------


def test_htmx_gets_the_button_as_it_now_stands(client_for, theirs, reader):
    client = client_for(reader)
    response = client.post(react_url(theirs), {"pressed": "1"}, headers=HX)
    assert response.status_code == 200
    # The form's new content: a token for the next press, and the button.
    assert parse_html(response.content).find("input", name="csrfmiddlewaretoken").attrs["value"]
    assert b"<form" not in response.content
    button = button_of(response)
    assert button.attrs["aria-pressed"] == "true"
    assert button.attrs["id"] == f"react-{theirs.pk}"  # the same id: htmx keeps the focus on it
    assert button.attrs["value"] == "0"  # pressing it again takes it back
    assert button.find("span", class_="react-count").text() == "1"
    assert "Respect" in button.text()
    response = client.post(react_url(theirs), {"pressed": "0"}, headers=HX)
    button = button_of(response)
    assert button.attrs["aria-pressed"] == "false" and button.attrs["value"] == "1"
    assert button.find("span", class_="react-count").text() == "0"
    assert rows(theirs) == []


def test_without_javascript_a_post_redirects_back_to_the_comment(
    client_for, article, theirs, reader
):
    client = client_for(reader)
    response = client.post(react_url(theirs), {"pressed": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#c{theirs.pk}"
    assert rows(theirs) == [reader.pk]
    # From a sorted page: back to that page, at the comment.
    here = f"http://testserver{article.get_absolute_url()}?sort=top&page=1"
    response = client.post(react_url(theirs), {"pressed": "0"}, headers={"Referer": here})
    assert response["Location"] == f"{article.get_absolute_url()}?sort=top&page=1#c{theirs.pk}"
    # A Referer from elsewhere is not followed.
    response = client.post(react_url(theirs), {}, headers={"Referer": "https://evil.example/x"})
    assert response["Location"] == f"{article.get_absolute_url()}#c{theirs.pk}"
    assert rows(theirs) == [reader.pk]  # toggled on again


def test_the_thread_page_shows_the_button_and_the_page_after_a_post_shows_it_pressed(
    client_for, article, theirs, reader
):
    client = client_for(reader)
    doc = parse_html(client.get(article.get_absolute_url()).content)
    el = comment_elements(doc)[theirs.pk]
    form = el.find("form", class_="react-form")
    assert form.attrs["action"] == react_url(theirs) and form.attrs["method"] == "post"
    assert form.attrs["hx-post"] == react_url(theirs)  # htmx posts the form, swaps its content
    assert form.find("input", name="csrfmiddlewaretoken").attrs["value"]
    button = form.find("button", class_="react")
    assert (button.attrs["aria-pressed"], button.attrs["value"]) == ("false", "1")
    assert el.attrs["data-reactions"] == "0"
    response = client.post(form.attrs["action"], {"pressed": button.attrs["value"]}, follow=True)
    el = comment_elements(parse_html(response.content))[theirs.pk]
    assert el.attrs["data-reactions"] == "1"
    assert el.find("button", class_="react").attrs["aria-pressed"] == "true"


def test_every_comment_carries_its_count(client, client_for, article, reader, moderator):
    root = post(article, UserFactory(), "Root.")
    reply = post(article, UserFactory(), "Reply.", parent=root)
    gone = post(article, UserFactory(), "Withdrawn later.", parent=root)
    for user in (reader, moderator, UserFactory()):
        services.reaction_set(comment=reply, acting_user=user)
    services.reaction_set(comment=gone, acting_user=reader)
    services.comment_delete_own(comment=gone, acting_user=gone.author)
    for c in (client, client_for(reader), client_for(moderator)):
        for url in (article.get_absolute_url(), f"/comments/{reply.pk}/"):
            els = comment_elements(parse_html(c.get(url).content))
            assert els[root.pk].attrs["data-reactions"] == "0"
            assert els[reply.pk].attrs["data-reactions"] == "3"
            if gone.pk in els:
                # A placeholder keeps its count but offers no button.
                assert els[gone.pk].attrs["data-reactions"] == "1"
                assert els[gone.pk].find(class_="react") is None


def test_anonymous_readers_get_a_sign_in_link_with_the_count(client, article, theirs, reader):
    services.reaction_set(comment=theirs, acting_user=reader)
    el = comment_elements(parse_html(client.get(article.get_absolute_url()).content))[theirs.pk]
    link = el.find("a", class_="react")
    assert link.attrs["href"].startswith(reverse("login"))
    assert link.attrs["href"].endswith(f"%23c{theirs.pk}")
    assert link.find("span", class_="react-count").text() == "1"
    assert el.find("button") is None and el.find("form") is None


def test_the_author_sees_the_count_but_no_button(client_for, article, reader):
    mine = post(article, reader, "My own.")
    el = comment_elements(parse_html(client_for(reader).get(article.get_absolute_url()).content))
    assert el[mine.pk].find(class_="react") is None
    assert el[mine.pk].find(class_="reactions") is None  # no count to show yet
    services.reaction_set(comment=mine, acting_user=UserFactory())
    el = comment_elements(parse_html(client_for(reader).get(article.get_absolute_url()).content))
    assert el[mine.pk].find(class_="react") is None
    assert el[mine.pk].find("span", class_="reactions").text() == "Respect 1"


def test_the_label_is_a_setting(settings, client_for, article, theirs, reader):
    settings.NEWSROOM = {**settings.NEWSROOM, "REACTION_LABEL": "Insightful <3"}
    html = client_for(reader).get(article.get_absolute_url()).content.decode()
    assert "Insightful &lt;3" in html and "Respect" not in html
    assert "Most Insightful &lt;3" in html  # the sort follows the label
    settings.NEWSROOM = {**settings.NEWSROOM, "REACTION_SORT_LABEL": "Top rated"}
    assert "Top rated" in client_for(reader).get(article.get_absolute_url()).content.decode()
    response = client_for(reader).post(react_url(theirs), headers=HX)
    assert "Insightful &lt;3" in response.content.decode()


# --- refusals: a message, nothing written -------------------------------------------------


def assert_refused(response, status, message, comment):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert message in response.content.decode()
    assert rows(comment) == [] and fresh(comment).reaction_count == 0


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_ones_own_comment_is_refused(client_for, article, reader, htmx):
    mine = post(article, reader, "Mine.")
    response = client_for(reader).post(react_url(mine), headers=HX if htmx else {})
    assert_refused(response, 403, "You can&#x27;t react to your own comment.", mine)
    if htmx:  # the button, unchanged, with the reason beside it
        assert button_of(response).attrs["aria-pressed"] == "false"
        assert parse_html(response.content).find("span", class_="react-error").attrs["role"]
    with pytest.raises(PermissionDenied):
        services.reaction_set(comment=mine, acting_user=reader)
    assert rows(mine) == []


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_closed_article_is_refused(client_for, article, theirs, reader, moderator, htmx):
    moderation_services.article_set_comment_mode(
        article=article, mode="closed", acting_user=moderator
    )
    response = client_for(reader).post(react_url(theirs), headers=HX if htmx else {})
    assert_refused(response, 400, "Comments are closed on this article.", theirs)


def test_a_closed_article_shows_counts_without_buttons(client, client_for, article, theirs):
    services.reaction_set(comment=theirs, acting_user=UserFactory())
    Article.objects.filter(pk=article.pk).update(comment_mode="closed")
    for c in (client, client_for(UserFactory())):
        el = comment_elements(parse_html(c.get(article.get_absolute_url()).content))[theirs.pk]
        assert el.find(class_="react") is None
        assert el.find("span", class_="reactions").text() == "Respect 1"


def test_removed_held_and_deleted_comments_are_404_to_readers_and_refused_to_moderators(
    client_for, article, reader, moderator, settings
):
    removed = post(article, UserFactory(), "Removed.")
    moderation_services.comment_reject(comment=removed, acting_user=moderator, reason="spam")
    deleted = post(article, (author := UserFactory()), "Withdrawn.")
    services.comment_delete_own(comment=deleted, acting_user=author)
    settings.NEWSROOM = {**settings.NEWSROOM, "PREMODERATE_FIRST_N": 5}
    held = post(article, UserFactory(), "Held.")
    assert fresh(held).status == "pending"
    for comment, message in (
        (removed, "removed by a moderator"),
        (deleted, "deleted by its author"),
        (held, "awaiting moderation"),
    ):
        assert client_for(reader).post(react_url(comment)).status_code == 404
        assert_refused(client_for(moderator).post(react_url(comment)), 400, message, comment)
        with pytest.raises(ValidationError, match=message):
            services.reaction_set(comment=fresh(comment), acting_user=reader)
        assert rows(comment) == []


@pytest.mark.parametrize("standing", ["banned", "suspended"])
def test_banned_and_suspended_readers_are_refused(client_for, theirs, reader, moderator, standing):
    if standing == "banned":
        moderation_services.user_ban(user=reader, acting_user=moderator, reason="Abuse")
    else:
        moderation_services.user_suspend(
            user=reader, acting_user=moderator, duration=dt.timedelta(days=1)
        )
    user = User.objects.get(pk=reader.pk)
    message = "banned from reacting" if standing == "banned" else "suspended until"
    for headers in ({}, HX):
        assert_refused(
            client_for(user).post(react_url(theirs), headers=headers), 403, message, theirs
        )
    with pytest.raises(PermissionDenied, match=message):
        services.reaction_set(comment=theirs, acting_user=user)


def test_anonymous_readers_are_sent_to_sign_in(client, theirs):
    response = client.post(react_url(theirs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert f"/comments/{theirs.pk}/" in response["Location"]  # ...and come back to the comment
    assert rows(theirs) == []
    # Signed out since the page loaded, with htmx: the whole page goes to sign in, not the
    # sign-in page into the button's form.
    response = client.post(react_url(theirs), headers=HX)
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"].startswith(reverse("login"))
    assert rows(theirs) == []
    with pytest.raises(PermissionDenied, match="Sign in"):
        services.reaction_set(comment=theirs, acting_user=None)


def test_get_is_405_and_changes_nothing(client, client_for, theirs, reader):
    for c in (client, client_for(reader)):
        assert c.get(react_url(theirs)).status_code == 405
    assert rows(theirs) == []


def test_a_post_without_the_csrf_token_is_403(theirs, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(react_url(theirs), {"pressed": "1"}).status_code == 403
    assert client.post(react_url(theirs), {"pressed": "1"}, headers=HX).status_code == 403
    assert rows(theirs) == []


def test_the_token_on_the_page_is_accepted(article, theirs, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    doc = parse_html(client.get(article.get_absolute_url()).content)
    form = comment_elements(doc)[theirs.pk].find("form", class_="react-form")
    token = form.find("input", name="csrfmiddlewaretoken").attrs["value"]
    response = client.post(form.attrs["action"], {"csrfmiddlewaretoken": token, "pressed": "1"})
    assert response.status_code == 302 and rows(theirs) == [reader.pk]


def test_unknown_comments_and_bad_input(client_for, theirs, reader):
    client = client_for(reader)
    assert client.post("/comments/999999/react/").status_code == 404
    assert client.post("/comments/99999999999999999999999/react/").status_code == 404
    assert client.get("/comments/abc/react/").status_code == 404
    for bad in ("2", "yes", "", "1; DROP TABLE", "\x00"):
        response = client.post(react_url(theirs), {"pressed": bad})
        assert response.status_code == 400, bad
    assert rows(theirs) == []


# --- the most respected sort ----------------------------------------------------------------


def _roots(doc) -> list[int]:
    return [
        pk
        for pk, el in comment_elements(doc.by_id("thread")).items()
        if el.attrs["data-depth"] == "0"
    ]


@pytest.mark.parametrize("show_all", [False, True], ids=["page", "all"])
def test_top_sorts_top_level_comments_by_reactions_ties_oldest_first(client, show_all):
    article = import_thread("sorted-by-respect", roots=4, replies_per_root=2)
    roots = list(Comment.objects.filter(article=article, parent=None).order_by("created_at", "pk"))
    replies = Comment.objects.filter(article=article, parent=roots[0])
    readers = [UserFactory() for _ in range(3)]
    for r in readers:
        services.reaction_set(comment=roots[2], acting_user=r)
        services.reaction_set(comment=replies[0], acting_user=r)  # replies don't lift their tree
    for r in readers[:2]:
        services.reaction_set(comment=roots[3], acting_user=r)
    services.reaction_set(comment=roots[1], acting_user=readers[0])
    url = article.get_absolute_url() + "?sort=top" + ("&all=1" if show_all else "")
    expected = [roots[2].pk, roots[3].pk, roots[1].pk, roots[0].pk]
    assert _roots(parse_html(client.get(url).content)) == expected
    # The order follows the next reaction at once, though the thread version did not move.
    for r in readers[1:]:
        services.reaction_set(comment=roots[0], acting_user=r)
        services.reaction_set(comment=roots[1], acting_user=r)
    services.reaction_set(comment=roots[1], acting_user=UserFactory())
    # 4, 3, then two with 2: the older first
    expected = [roots[1].pk, roots[2].pk, roots[0].pk, roots[3].pk]
    for c in (client, Client()):
        assert _roots(parse_html(c.get(url).content)) == expected
    signed_in = Client()
    signed_in.force_login(readers[0])
    assert _roots(parse_html(signed_in.get(url).content)) == expected


def test_top_pages_hold_the_most_respected_twenty_first_and_more_follows(client):
    article = import_thread("many-respected", roots=23)
    roots = list(Comment.objects.filter(article=article, parent=None).order_by("created_at", "pk"))
    fan = UserFactory()
    for root in roots[-3:]:
        services.reaction_set(comment=root, acting_user=fan)
    doc = parse_html(client.get(article.get_absolute_url() + "?sort=top").content)
    assert _roots(doc)[:3] == [r.pk for r in roots[-3:]]
    assert _roots(doc)[3:] == [r.pk for r in roots[:17]]
    more = doc.find(id="more-comments").find("a").attrs["href"]
    assert "sort=top" in more and "page=2" in more
    doc2 = parse_html(client.get(article.get_absolute_url() + more.split("#")[0]).content)
    assert _roots(doc2) == [r.pk for r in roots[17:20]]


def test_the_sort_is_offered_as_most_respected(client, article):
    post(article, UserFactory(), "Hello.")
    nav = parse_html(client.get(article.get_absolute_url()).content).find("nav", class_="sort")
    link = next(a for a in nav.find_all("a") if "sort=top" in a.attrs["href"])
    assert link.text() == "Most respected"
    nav = parse_html(client.get(article.get_absolute_url() + "?sort=top").content).find(
        "nav", class_="sort"
    )
    assert nav.find("strong").text() == "Most respected"


# --- what a reader receives -----------------------------------------------------------------


def test_reactions_received_counts_a_readers_published_comments(article, reader, moderator):
    a = post(article, reader, "One.")
    b = post(article, reader, "Two.")
    c = post(ArticleFactory(), reader, "Elsewhere.")
    removed = post(article, reader, "Later removed.")
    someone_else = post(article, UserFactory(), "Not theirs.")
    fans = [UserFactory() for _ in range(3)]
    for fan in fans:
        for comment in (a, removed, someone_else):
            services.reaction_set(comment=comment, acting_user=fan)
    services.reaction_set(comment=b, acting_user=fans[0])
    services.reaction_set(comment=c, acting_user=fans[1])
    assert selectors.reactions_received(reader) == 3 + 1 + 1 + 3
    moderation_services.comment_reject(comment=removed, acting_user=moderator, reason="spam")
    assert selectors.reactions_received(reader) == 5
    assert selectors.reactions_received(UserFactory()) == 0
    services.reaction_set(comment=a, acting_user=fans[2])  # taken back
    assert selectors.reactions_received(reader) == 4


def test_reactions_received_is_one_query(django_assert_num_queries, reader, article):
    post(article, reader, "One.")
    with django_assert_num_queries(1):
        selectors.reactions_received(reader)


# --- admin ----------------------------------------------------------------------------------


def test_staff_see_reactions_read_only_in_the_admin(client_for, theirs, reader):
    services.reaction_set(comment=theirs, acting_user=reader)
    admin = client_for(UserFactory(is_staff=True, is_superuser=True))
    changelist = admin.get(reverse("admin:comments_reaction_changelist"))
    assert changelist.status_code == 200
    assert str(reader) in changelist.content.decode()
    reaction = Reaction.objects.get()
    assert admin.get(reverse("admin:comments_reaction_add")).status_code == 403
    assert admin.get(reverse("admin:comments_reaction_delete", args=[reaction.pk])).status_code in (
        403,
        302,
    )
    admin.post(reverse("admin:comments_reaction_change", args=[reaction.pk]), {"user": ""})
    assert Reaction.objects.get().user_id == reader.pk
    comment_page = admin.get(reverse("admin:comments_comment_change", args=[theirs.pk]))
    assert "Reaction count" in comment_page.content.decode()
