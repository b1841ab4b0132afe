"""Authorization: every URL of the site (the admin aside) against every role.

The URLconf is enumerated from django.urls.get_resolver(), so a new URL fails
test_every_url_is_in_the_matrix until it has a row in MATRIX: what a POST answers for anonymous,
reader, author (of the target comment), moderator and staff. A refusal must change nothing.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from articles.models import Article
from comments import services
from comments.models import Comment, Reaction
from moderation.models import Flag, ModerationEvent, UserModeration, UserNote
from tests.factories import ArticleFactory, UserFactory, make_moderator, make_staff, post

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "author", "moderator", "staff"]
LOGIN = "login"  # expected: redirect to the sign-in page, nothing changed
DENIED = 403  # expected: refused, nothing changed
NOOP = "noop"  # a read-only URL: whatever it answers to a POST, nothing changes

# url name -> (kwargs, POST data, {role: expected}) ; a status int means "this status".
# 302/200 for a write means it may change state (it is that role's right).
MATRIX = {
    "healthz": ({}, {}, dict.fromkeys(ROLES, 405)),
    "readyz": ({}, {}, dict.fromkeys(ROLES, 405)),
    "home": ({}, {}, dict.fromkeys(ROLES, NOOP)),
    "article": ({"slug": "A"}, {}, dict.fromkeys(ROLES, NOOP)),
    "comment_detail": ({"pk": "C"}, {}, dict.fromkeys(ROLES, NOOP)),
    # Live updates are read-only: GET only, whoever asks.
    "article_updates": ({"slug": "A"}, {}, dict.fromkeys(ROLES, 405)),
    "article_new_comments": ({"slug": "A"}, {}, dict.fromkeys(ROLES, 405)),
    "comment_create": (
        {"slug": "A"},
        {"body": "New words."},
        {"anonymous": LOGIN, "reader": 302, "author": 302, "moderator": 302, "staff": 302},
    ),
    "comment_reply": (
        {"pk": "C"},
        {"body": "A reply."},
        {"anonymous": LOGIN, "reader": 302, "author": 302, "moderator": 302, "staff": 302},
    ),
    "comment_edit": (
        {"pk": "C"},
        {"body": "Hijacked."},
        {"anonymous": LOGIN, "reader": DENIED, "author": 302, "moderator": DENIED, "staff": DENIED},
    ),
    "comment_delete": (
        {"pk": "C"},
        {},
        {"anonymous": LOGIN, "reader": DENIED, "author": 302, "moderator": DENIED, "staff": DENIED},
    ),
    "comment_flag": (
        {"pk": "C"},
        {"reason": "spam"},
        {"anonymous": LOGIN, "reader": 200, "author": 400, "moderator": 200, "staff": 200},
    ),
    "comment_react": (
        {"pk": "C"},
        {},
        {"anonymous": LOGIN, "reader": 302, "author": DENIED, "moderator": 302, "staff": 302},
    ),
    "moderation:queue": (
        {},
        {},
        {"anonymous": LOGIN, "reader": DENIED, "author": DENIED, "moderator": NOOP, "staff": NOOP},
    ),
    "moderation:comment": (
        {"pk": "C"},
        {},
        {"anonymous": LOGIN, "reader": DENIED, "author": DENIED, "moderator": NOOP, "staff": NOOP},
    ),
    "moderation:comment_action": (
        {"pk": "C", "action": "reject"},
        {"reason": "spam"},
        {"anonymous": LOGIN, "reader": DENIED, "author": DENIED, "moderator": 302, "staff": 302},
    ),
    "moderation:bulk": (
        {},
        {"action": "reject", "reason": "spam", "ids": ["C"]},
        {"anonymous": LOGIN, "reader": DENIED, "author": DENIED, "moderator": 302, "staff": 302},
    ),
    "moderation:article_mode": (
        {"slug": "A"},
        {"mode": "closed"},
        {"anonymous": LOGIN, "reader": DENIED, "author": DENIED, "moderator": 302, "staff": 302},
    ),
    "moderation:user": (
        {"pk": "U"},
        {},
        {"anonymous": LOGIN, "reader": DENIED, "author": DENIED, "moderator": NOOP, "staff": NOOP},
    ),
    "moderation:user_action": (
        {"pk": "U", "action": "ban"},
        {"reason": "spam"},
        {"anonymous": LOGIN, "reader": DENIED, "author": DENIED, "moderator": 302, "staff": 302},
    ),
    "moderation:log": (
        {},
        {},
        {
            "anonymous": LOGIN,
            "reader": DENIED,
            "author": DENIED,
            "moderator": DENIED,
            "staff": NOOP,
        },
    ),
    "moderation:detector": (
        {},
        {},
        {
            "anonymous": LOGIN,
            "reader": DENIED,
            "author": DENIED,
            "moderator": DENIED,
            "staff": NOOP,
        },
    ),
    # Accounts: creating an account and the password forms are open to everyone by design.
    "signup": (
        {},
        {
            "email": "newcomer-ROLE@example.com",
            "display_name": "New",
            "password1": "Unguessable-pw-4711",
            "password2": "Unguessable-pw-4711",
        },
        dict.fromkeys(ROLES, 302),
    ),
    "signup_sent": ({}, {}, dict.fromkeys(ROLES, 405)),
    "signup_resend": ({}, {"email": "nobody@example.com"}, dict.fromkeys(ROLES, 302)),
    "signup_confirm": ({"token": "not-a-signed-token"}, {}, dict.fromkeys(ROLES, 400)),
    "login": ({}, {"username": "nobody", "password": "wrong"}, dict.fromkeys(ROLES, 200)),
    "logout": ({}, {}, dict.fromkeys(ROLES, 302)),
    "password_change": (
        {},
        {},
        {"anonymous": LOGIN, "reader": 200, "author": 200, "moderator": 200, "staff": 200},
    ),
    "password_change_done": (
        {},
        {},
        {"anonymous": LOGIN, "reader": NOOP, "author": NOOP, "moderator": NOOP, "staff": NOOP},
    ),
    "password_reset": ({}, {"email": "nobody@example.com"}, dict.fromkeys(ROLES, 302)),
    "password_reset_done": ({}, {}, dict.fromkeys(ROLES, NOOP)),
    "password_reset_confirm": (
        {"uidb64": "MQ", "token": "bad-token"},
        {"new_password1": "x", "new_password2": "x"},
        dict.fromkeys(ROLES, 200),
    ),
    "password_reset_complete": ({}, {}, dict.fromkeys(ROLES, NOOP)),
    # A reader's own pages act on the signed-in account only; the profile is read-only.
    "profile": ({"username": "target"}, {}, dict.fromkeys(ROLES, 405)),
    "account_me": ({}, {}, {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 405)}),
    "account_name": (
        {},
        {"display_name": "Renamed ROLE"},
        {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 302)},
    ),
    "account_data": ({}, {}, {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 405)}),
    # Without the password nothing is deleted, whoever asks.
    "account_delete": ({}, {}, {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 400)}),
}


def _names(patterns, prefix="", namespace=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _names(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}{p.name}" if p.name else f"<unnamed {route}>"), route


def test_every_url_is_in_the_matrix():
    found = dict(_names(get_resolver().url_patterns))
    missing = sorted(set(found) - set(MATRIX))
    assert not missing, (
        f"URL(s) {missing} ({[found[m] for m in missing]}) have no row in "
        "tests/hardening/test_authorization.py MATRIX: add one saying what anonymous, reader, "
        "author, moderator and staff get when they POST to it."
    )
    stale = sorted(set(MATRIX) - set(found))
    assert not stale, f"MATRIX rows for URLs that no longer exist: {stale}"


@pytest.fixture
def world(db):
    author = UserFactory(username="author")
    article = ArticleFactory(slug="matrix-article")
    comment = post(article, author, "The author's own words.")
    target = UserFactory(username="target")
    post(article, target, "Target's comment.")
    return {
        "A": article.slug,
        "C": comment.pk,
        "U": target.pk,
        "comment": comment,
        "users": {
            "anonymous": None,
            "reader": UserFactory(username="reader"),
            "author": author,
            "moderator": make_moderator(username="moderator"),
            "staff": make_staff(username="staff"),
        },
    }


def state():
    """Everything a write could change (refused attempts may only add "denied" events)."""
    return (
        list(
            Comment.objects.order_by("pk").values_list(
                "pk",
                "body_raw",
                "status",
                "decision",
                "is_featured",
                "is_locked",
                "open_flag_count",
                "reaction_count",
            )
        ),
        list(Reaction.objects.order_by("pk").values_list("comment_id", "user_id")),
        list(Flag.objects.order_by("pk").values_list("pk", "is_open")),
        list(Article.objects.order_by("pk").values_list("pk", "comment_mode")),
        list(
            UserModeration.objects.order_by("pk").values_list("user_id", "standing", "premoderated")
        ),
        UserNote.objects.count(),
        list(User.objects.order_by("pk").values_list("pk", "is_active", "deleted_at")),
        ModerationEvent.objects.exclude(action="denied").count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_post_by_role(world, name, role):
    kwargs, data, expected = MATRIX[name]
    kwargs = {k: world[v] if v in world else v for k, v in kwargs.items()}
    # A number, not the role's name: names that read as a role are refused at sign-up.
    data = {
        k: (
            [world[i] for i in v]
            if isinstance(v, list)
            else v.replace("ROLE", str(ROLES.index(role)))
        )
        for k, v in data.items()
    }
    client = Client()
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    before = state()
    response = client.post(reverse(name, kwargs=kwargs), data)
    outcome = expected[role]
    if outcome == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("login"))
        assert state() == before
    elif outcome == NOOP:
        assert response.status_code < 500
        assert state() == before
    elif outcome == DENIED:
        assert response.status_code == 403
        assert state() == before
    else:
        assert response.status_code == outcome, (response.status_code, response.content[:300])
        if response.status_code >= 400:
            assert state() == before


def test_someone_elses_comment_refusals_are_logged_as_denied(world):
    client = Client()
    client.force_login(world["users"]["reader"])
    pk = world["C"]
    before = state()
    assert client.post(reverse("comment_edit", args=[pk]), {"body": "Mine now"}).status_code == 403
    assert client.get(reverse("comment_edit", args=[pk])).status_code == 403
    assert client.post(reverse("comment_delete", args=[pk])).status_code == 403
    assert state() == before
    denied = ModerationEvent.objects.filter(action="denied", actor=world["users"]["reader"])
    assert denied.count() == 3
    assert set(denied.values_list("comment_id", flat=True)) == {pk}
    assert all(str(pk) in note for note in denied.values_list("note", flat=True))


def test_a_parent_from_another_article_is_refused_and_logged(world):
    from django.core.exceptions import ValidationError

    reader = world["users"]["reader"]
    elsewhere = ArticleFactory(slug="another-article")
    before = state()
    with pytest.raises(ValidationError, match="another article"):
        services.comment_create(
            article=elsewhere, author=reader, body="Sneaky", parent=world["comment"]
        )
    assert state() == before
    event = ModerationEvent.objects.get(action="denied", actor=reader)
    assert event.comment_id == world["C"]
    # Over HTTP the parent is the URL's comment, so its article is always the reply's article.
    client = Client()
    client.force_login(reader)
    client.post(
        reverse("comment_reply", args=[world["C"]]), {"body": "Legit", "article": "another-article"}
    )
    reply = Comment.objects.get(body_raw="Legit")
    assert reply.article.slug == "matrix-article" and reply.parent_id == world["C"]


def test_unknown_ids_are_404_and_change_nothing(world):
    client = Client()
    client.force_login(world["users"]["moderator"])
    before = state()
    for url in (
        reverse("comment_reply", args=[999999]),
        reverse("comment_edit", args=[999999]),
        reverse("comment_delete", args=[999999]),
        reverse("comment_flag", args=[999999]),
        reverse("comment_react", args=[999999]),
        reverse("moderation:comment_action", args=[999999, "approve"]),
        reverse("moderation:user_action", args=[999999, "ban"]),
        reverse("moderation:article_mode", args=["no-such-article"]),
    ):
        assert (
            client.post(url, {"body": "x", "reason": "spam", "mode": "closed"}).status_code == 404
        ), url
    assert state() == before
