"""Every XSS vector of the corpus (tests/data/xss), through every text input a user controls,
comes out inert in every page that shows it.

Inputs: comment body (posted through the view, and edited), JSON import (author names, title,
article body, comment bodies; through the import_thread command and services.thread_import),
display name (sign-up form, and a stored display_name), flag note, moderator note about a user,
rejection note, the queue's search box and filters, the audit log's filters.
Outputs: thread page (anonymous, reader, moderator), live updates' new comments, permalink page,
queue cards, card page, user history, profile and account pages, audit log, the re-rendered
forms, the Django admin's changelists and change pages.

The inputs are batched (one article holds all 185 comments) so the module stays fast.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from comments import importing, services
from comments.models import Comment
from moderation import services as moderation_services
from moderation.models import Flag, ModerationEvent, UserNote
from tests.factories import ArticleFactory, UserFactory

from . import assert_inert, inert_problems, xss_payloads

pytestmark = pytest.mark.django_db


def _postable(text: str) -> bool:
    try:
        services._clean_body(text)
    except ValidationError:
        return False
    return True


@pytest.fixture
def payloads():
    return xss_payloads()


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_the_checker_catches_live_markup(payloads):
    """The inspector itself must fail on hostile HTML, or every test below proves nothing."""
    for html in [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<iframe src="/"></iframe>',
        "<svg><animate onbegin=alert(1)>",
        '<p style="x:expression(alert(1))">',
        '<form action="https://evil.example/"><button>x</button></form>',
        '<base href="https://evil.example/">',
        '<object data="data:text/html,x">',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    ]:
        assert inert_problems(html), html
    # Most raw vectors are live markup on their own: the corpus exercises the checker too.
    live = sum(1 for p in payloads if inert_problems(p))
    assert live > len(payloads) * 0.6, live


def test_comment_bodies_posted_and_edited_through_the_views_come_out_inert(
    payloads, client_for, reader, other_reader, moderator
):
    article = ArticleFactory(slug="xss-bodies")
    author = client_for(reader)
    created, refused = [], 0
    parent = None
    for i, payload in enumerate(payloads):
        # Half as top-level comments, half as one long reply chain (so permalinks show context).
        url = (
            reverse("comment_reply", args=[parent.pk])
            if parent is not None and i % 2
            else reverse("comment_create", args=[article.slug])
        )
        response = author.post(url, {"body": payload})
        if response.status_code == 400:
            # Refused (nothing visible left): the form comes back holding the text, inertly.
            assert_inert(response, f"re-rendered form for payload {i}")
            refused += 1
            # With visible words around it the same vector is accepted and reaches the page.
            response = author.post(url, {"body": f"Vector {i}: {payload} (end)"})
        if response.status_code == 302:
            comment = Comment.objects.latest("pk")
            created.append(comment)
            if i % 2 or parent is None:
                parent = comment
        else:
            pytest.fail(f"payload {i}: answered {response.status_code}")
    assert len(created) == len(payloads) and refused < len(payloads) * 0.7, refused

    # Edit: every comment rewritten to another vector through the edit view.
    for n, comment in enumerate(created):
        if n % 10 == 0:
            page = author.get(reverse("comment_edit", args=[comment.pk]))
            assert page.status_code == 200
            assert_inert(page, f"edit form of #{comment.pk}")
        response = author.post(
            reverse("comment_edit", args=[comment.pk]),
            {"body": f"Edited: {payloads[(n + 7) % len(payloads)]}"},
        )
        assert response.status_code in (302, 400)
        if response.status_code == 400:
            assert_inert(response, f"refused edit of #{comment.pk}")
    assert ModerationEvent.objects.filter(action="edit").count() == len(created)

    # Reject a few (moderator sees their text with the notice), flag another.
    for comment in created[:5]:
        moderation_services.comment_reject(
            comment=comment,
            acting_user=moderator,
            reason="other",
            note=payloads[comment.pk % len(payloads)],
        )
    moderation_services.comment_flag(
        comment=created[6], reporter=other_reader, reason="other", note=payloads[0]
    )

    pages = {
        "thread (anonymous)": Client().get(article.get_absolute_url() + "?all=1"),
        "thread (author)": author.get(article.get_absolute_url() + "?all=1"),
        "thread (moderator)": client_for(moderator).get(article.get_absolute_url() + "?all=1"),
        "thread page 2": Client().get(article.get_absolute_url() + "?page=2"),
        "deepest permalink": Client().get(reverse("comment_detail", args=[parent.pk])),
        "deepest permalink (moderator)": client_for(moderator).get(
            reverse("comment_detail", args=[parent.pk])
        ),
        "reply form": client_for(other_reader).get(reverse("comment_reply", args=[created[8].pk])),
        "flag form": client_for(other_reader).get(reverse("comment_flag", args=[created[8].pk])),
        "delete form": author.get(reverse("comment_delete", args=[created[8].pk])),
        "profile (anonymous)": Client().get(reverse("profile", args=[reader.username])),
        "profile (author)": author.get(reverse("profile", args=[reader.username])),
        # Live updates' Show: every comment since the article had none.
        "new comments (anonymous)": Client().get(
            reverse("article_new_comments", args=[article.slug]), {"since": "0"}
        ),
        "new comments (author)": author.get(
            reverse("article_new_comments", args=[article.slug]), {"since": "0"}
        ),
    }
    for what, response in pages.items():
        assert response.status_code == 200, what
        assert_inert(response, what)
    # The thread really holds the comments (not an empty page that is trivially inert).
    assert pages["thread (anonymous)"].content.decode().count('class="comment') >= len(created)
    assert pages["new comments (author)"].content.decode().count('class="comment') >= 100
    for comment in created[5::9]:
        permalink = Client().get(reverse("comment_detail", args=[comment.pk]))
        assert permalink.status_code == 200
        assert_inert(permalink, f"permalink of #{comment.pk}")


def test_imported_titles_authors_and_bodies_come_out_inert(
    payloads, tmp_path, client_for, moderator, superuser
):
    # One file through the import_thread command: every vector as an author and a body.
    comments = [
        {
            "id": f"c{i}",
            "parent": f"c{i - 1}" if i % 3 else None,
            "author": p[:100],
            "body": p if _postable(p) else f"Plain {i}",
        }
        for i, p in enumerate(payloads)
    ]
    path = tmp_path / "thread.json"
    path.write_text(
        json.dumps(
            {
                "article": {
                    "title": "Hostile import",
                    "slug": "hostile-import",
                    "body": "\n\n".join(payloads),
                },
                "comments": comments,
            }
        ),
        encoding="utf-8",
    )
    call_command("import_thread", str(path))
    article = Comment.objects.filter(article__slug="hostile-import").first().article
    assert Comment.objects.filter(article=article).count() == len(payloads)
    # Every vector as a title and an article body, through the parser and the service.
    titled = 0
    for i, p in enumerate(payloads):
        text = json.dumps(
            {
                "article": {"title": p[:300], "slug": f"xss-title-{i}", "body": p},
                "comments": [
                    {"id": "1", "parent": None, "author": p[:100], "body": "An ordinary comment."}
                ],
            }
        )
        try:
            thread = importing.parse_json_thread(text)
        except importing.ImportFormatError:
            continue  # refused with a message (e.g. nothing left of the title): also fine
        services.thread_import(thread=thread)
        titled += 1
    assert titled > len(payloads) * 0.9

    mod = client_for(moderator)
    pages = {
        "thread": Client().get(article.get_absolute_url() + "?all=1"),
        "thread (moderator)": mod.get(article.get_absolute_url() + "?all=1"),
        "home": Client().get("/"),
        "queue (unmoderated)": mod.get("/moderation/?tab=unmoderated"),
        "audit log": client_for(superuser).get("/moderation/log/?action=import"),
    }
    for what, response in pages.items():
        assert response.status_code == 200, what
        assert_inert(response, what)
    for i in range(len(payloads)):
        slug = f"xss-title-{i}"
        response = Client().get(f"/articles/{slug}/")
        if response.status_code == 404:
            continue
        assert_inert(response, f"article {slug}")
        if i % 6:
            continue
        first = Comment.objects.filter(article__slug=slug).first()
        assert_inert(
            Client().get(reverse("comment_detail", args=[first.pk])), f"permalink in {slug}"
        )
        assert_inert(mod.get(reverse("moderation:comment", args=[first.pk])), f"card in {slug}")


def test_display_names_from_the_signup_form_come_out_inert(
    payloads, client_for, moderator, superuser
):
    article = ArticleFactory(slug="xss-names")
    users = []
    for i, p in enumerate(payloads):
        data = {
            "email": f"xssuser{i}@example.com",
            "display_name": p,
            "password1": "Unguessable-pw-4711",
            "password2": "Unguessable-pw-4711",
        }
        response = Client().post(reverse("signup"), data)
        if response.status_code != 302:
            assert response.status_code == 400  # too long: the form comes back, inert
            assert_inert(response, f"refused sign-up {i}")
            data["display_name"] = p[:60]
            response = Client().post(reverse("signup"), data)
        assert response.status_code == 302, (i, response.content[:500])
        user = User.objects.get(email=f"xssuser{i}@example.com")
        assert user.display_name == data["display_name"].strip()
        users.append(user)
    # Confirmed, as their links would (test_signup.py follows the links themselves).
    User.objects.filter(pk__in=[u.pk for u in users]).update(
        is_active=True, awaiting_confirmation=False
    )
    comments = [
        services.comment_create(article=article, author=u, body=f"Hello from {n}.")
        for n, u in enumerate(users)
    ]
    replies = [
        services.comment_create(article=article, author=users[0], body="Reply.", parent=c)
        for c in comments[:40]
    ]
    # A flag on each makes them queue cards in the default (Reported) tab.
    flagger = UserFactory()
    for c in comments:
        moderation_services.comment_flag(comment=c, reporter=flagger, reason="spam")
    mod, root = client_for(moderator), client_for(superuser)
    pages = {
        "thread": Client().get(article.get_absolute_url() + "?all=1"),
        "thread (moderator)": mod.get(article.get_absolute_url() + "?all=1"),
        "reply form": client_for(users[3]).get(reverse("comment_reply", args=[comments[5].pk])),
        "header (signed in)": client_for(users[5]).get("/"),
        "audit log": root.get("/moderation/log/"),
    }
    for page in range(1, len(comments) // 25 + 2):
        pages[f"queue page {page}"] = mod.get(f"/moderation/?page={page}")
    for what, response in pages.items():
        assert response.status_code == 200, what
        assert_inert(response, what)
    assert pages["queue page 1"].content.decode().count('class="card ') == 25
    for c in comments[::10] + replies[:3]:
        assert_inert(Client().get(reverse("comment_detail", args=[c.pk])), f"permalink #{c.pk}")
    for u in users[::4]:
        assert_inert(mod.get(reverse("moderation:user", args=[u.pk])), f"history of {u.pk}")
        assert_inert(Client().get(reverse("profile", args=[u.username])), f"profile of {u.pk}")
        assert_inert(client_for(u).get(reverse("account_me")), f"account page of {u.pk}")


def test_flag_user_and_rejection_notes_come_out_inert(
    payloads, client_for, reader, moderator, superuser
):
    article = ArticleFactory(slug="xss-notes")
    comments = [
        services.comment_create(article=article, author=reader, body=f"Comment {i}.")
        for i in range(len(payloads))
    ]
    flaggers = [UserFactory() for _ in range(2)]
    mod = client_for(moderator)
    for i, (c, p) in enumerate(zip(comments, payloads, strict=True)):
        if i % 3:  # through the service the view calls; every third through the form
            moderation_services.comment_flag(
                comment=c, reporter=flaggers[i % 2], reason="other", note=p.strip()
            )
            continue
        response = client_for(flaggers[i % 2]).post(
            reverse("comment_flag", args=[c.pk]), {"reason": "other", "note": p}
        )
        assert response.status_code in (200, 400)
        assert_inert(response, f"flag answer {i}")
    assert Flag.objects.filter(note__in=[p.strip()[:2000] for p in payloads]).count() > 150
    for i, p in enumerate(payloads):
        if i % 4 == 0:  # through the desk's form; the rest through the service it calls
            response = mod.post(
                reverse("moderation:user_action", args=[reader.pk, "note"]), {"body": p}
            )
            assert response.status_code == 302
        else:
            moderation_services.user_add_note(user=reader, acting_user=moderator, body=p)
    assert UserNote.objects.filter(user=reader).count() == len(payloads)
    # Reject half with the vector as the note (through the desk), the rest stay reported.
    for n, (c, p) in enumerate(list(zip(comments, payloads, strict=True))[::2]):
        if n % 3:
            moderation_services.comment_reject(
                comment=c, acting_user=moderator, reason="other", note=p
            )
            continue
        response = mod.post(
            reverse("moderation:comment_action", args=[c.pk, "reject"]),
            {"reason": "other", "note": p},
        )
        assert response.status_code == 302
        if n % 10 == 0:  # the htmx answer to a refused action quotes the refusal, inertly
            htmx = mod.post(
                reverse("moderation:comment_action", args=[c.pk, "restore"]),
                {"seen": "stale"},
                HTTP_HX_REQUEST="true",
            )
            assert htmx.status_code == 409
            assert_inert(htmx, "htmx desk answer")
    assert (
        Comment.objects.filter(article=article, status="rejected").count()
        == (len(payloads) + 1) // 2
    )

    root = client_for(superuser)
    pages = {
        "thread (moderator)": mod.get(article.get_absolute_url() + "?all=1"),
        "thread (author)": client_for(reader).get(article.get_absolute_url() + "?all=1"),
        "user history": mod.get(reverse("moderation:user", args=[reader.pk])),
        "rejected tab": mod.get("/moderation/?tab=rejected"),
        "detector stats": root.get("/moderation/detector/"),
    }
    for page in range(1, len(comments) // 25 + 2):
        pages[f"reported page {page}"] = mod.get(f"/moderation/?tab=reported&page={page}")
    for action, count in (
        ("flag", len(payloads)),
        ("user_note", len(payloads)),
        ("reject", len(payloads) // 2 + 1),
    ):
        for page in range(1, count // 50 + 2):
            pages[f"audit log {action} {page}"] = root.get(
                f"/moderation/log/?action={action}&page={page}"
            )
    for what, response in pages.items():
        assert response.status_code == 200, what
        assert_inert(response, what)
    for c in comments[:12]:
        assert_inert(mod.get(reverse("moderation:comment", args=[c.pk])), f"card #{c.pk}")
        assert_inert(
            client_for(reader).get(reverse("comment_detail", args=[c.pk])),
            f"author's permalink #{c.pk}",
        )


def test_search_box_and_filters_echo_hostile_queries_inertly(
    payloads, client_for, moderator, superuser, reader
):
    article = ArticleFactory(slug="xss-search")
    services.comment_create(article=article, author=reader, body="Findable text.")
    mod, root = client_for(moderator), client_for(superuser)
    for i, p in enumerate(payloads):
        query = {
            "q": p,
            "article": p,
            "rule": p,
            "category": p,
            "reason": p,
            "tab": p,
            "order": p,
            "page": p,
        }
        response = mod.get("/moderation/?" + urlencode(query))
        assert response.status_code == 200, i
        assert_inert(response, f"queue searched for payload {i}")
        response = root.get(
            "/moderation/log/?" + urlencode({"action": p, "actor": p, "article": p, "page": p})
        )
        assert response.status_code == 200, i
        assert_inert(response, f"audit log filtered by payload {i}")
        if i % 10 == 0:
            response = Client().get(
                article.get_absolute_url() + "?" + urlencode({"sort": p, "page": p})
            )
            assert response.status_code == 200, i
            assert_inert(response, f"thread with hostile sort {i}")
    # The search box keeps what was typed (so the echo above was really exercised).
    response = mod.get("/moderation/?" + urlencode({"q": "<b>findable</b>"}))
    assert 'value="&lt;b&gt;findable&lt;/b&gt;"' in response.content.decode()


def test_admin_pages_show_hostile_content_inertly(payloads, client_for, superuser, moderator):
    article = ArticleFactory(slug="xss-admin")
    authors = [UserFactory(display_name=p[:60]) for p in payloads[:40]]
    comments = []
    for i, p in enumerate(payloads):
        body = p if _postable(p) else f"Plain {i}"
        comments.append(services.comment_create(article=article, author=authors[i % 40], body=body))
    flagger = UserFactory()
    for c, p in zip(comments, payloads, strict=True):
        moderation_services.comment_flag(comment=c, reporter=flagger, reason="other", note=p)
    for c, p in list(zip(comments, payloads, strict=True))[:30]:
        moderation_services.comment_reject(comment=c, acting_user=moderator, reason="other", note=p)
    for u, p in zip(authors, payloads[:40], strict=True):
        moderation_services.user_add_note(user=u, acting_user=moderator, body=p)
    admin = client_for(superuser)
    pages = {}
    for model in (
        "comments/comment",
        "moderation/flag",
        "moderation/moderationevent",
        "moderation/usernote",
        "accounts/user",
    ):
        for p in range(4):
            pages[f"{model} page {p}"] = admin.get(f"/admin/{model}/?p={p + 1}")
        pages[f"{model} searched"] = admin.get(f"/admin/{model}/?" + urlencode({"q": payloads[3]}))
    for what, response in pages.items():
        assert response.status_code in (200, 302), (what, response.status_code)
        if response.status_code == 200:
            assert_inert(response, what, admin=True)
    assert pages["comments/comment page 0"].content.decode().count("/change/") >= 50
    objects = (
        [("comments/comment", c.pk) for c in comments[::12]]
        + [("moderation/flag", f.pk) for f in Flag.objects.all()[::12]]
        + [
            ("moderation/moderationevent", e.pk)
            for e in ModerationEvent.objects.exclude(note="")[::15]
        ]
        + [("moderation/usernote", n.pk) for n in UserNote.objects.all()[::4]]
        + [("accounts/user", u.pk) for u in authors[::4]]
    )
    for model, pk in objects:
        response = admin.get(f"/admin/{model}/{pk}/change/")
        assert response.status_code == 200, (model, pk)
        assert_inert(response, f"admin {model} #{pk}", admin=True)


def test_detect_command_output_is_inert_json(payloads):
    from django.core.management import get_commands

    if "detect" not in get_commands():
        pytest.skip(
            "no `detect` management command in this checkout (comments/management/commands "
            "has check_trees, demo_setup, export_thread, import_thread)"
        )
    import io
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(payloads))
    out = io.StringIO()
    call_command("detect", f.name, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    # One JSON object per vector: the text comes back as data, exactly, never as markup to run.
    assert len(lines) == len(payloads)
    for record, payload in zip(lines, payloads, strict=True):
        assert record["text"] == payload
        for f in record["findings"]:
            assert payload[f["start"] : f["end"]] == f["match"]
