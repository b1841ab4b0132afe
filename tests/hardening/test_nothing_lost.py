"""Nothing is ever lost: no service, view or admin action lowers the number of comments, and
the database itself refuses to delete a comment that has replies."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from comments import importing, services
from comments.models import Comment
from moderation import audit, findings
from moderation import services as moderation_services
from tests.factories import ArticleFactory, UserFactory, make_moderator, post

pytestmark = pytest.mark.django_db


class Watch:
    def __init__(self):
        self.count = Comment.objects.count()
        self.ids = set(Comment.objects.values_list("pk", flat=True))

    def check(self, what):
        now = set(Comment.objects.values_list("pk", flat=True))
        assert now >= self.ids, f"{what} removed comments {sorted(self.ids - now)}"
        self.ids = now


@pytest.fixture
def cast(db):
    article = ArticleFactory(slug="keep")
    reader, other = UserFactory(username="keeper"), UserFactory()
    moderator = make_moderator(username="keepmod")
    root = post(article, reader, "Root with replies.")
    reply = post(article, other, "A reply.", parent=root)
    post(article, reader, "A reply to the reply.", parent=reply)
    return {
        "article": article,
        "reader": reader,
        "other": other,
        "moderator": moderator,
        "root": root,
        "reply": reply,
    }


def test_every_public_service_keeps_every_comment(cast):
    from django.core.exceptions import PermissionDenied, ValidationError

    a, r, o, m, root, reply = (
        cast[k] for k in ("article", "reader", "other", "moderator", "root", "reply")
    )
    calls = {
        "comment_create": lambda: services.comment_create(article=a, author=o, body="New"),
        "check_comment_create": lambda: services.check_comment_create(
            article=a, author=o, body="Checked only"
        ),
        "do_comment_create": lambda: services.do_comment_create(
            services.check_comment_create(article=a, author=o, body="Checked and done")
        ),
        "comment_edit": lambda: services.comment_edit(comment=root, body="Edited", acting_user=r),
        "comment_delete_own": lambda: services.comment_delete_own(comment=root, acting_user=r),
        "reaction_set": lambda: services.reaction_set(comment=reply, acting_user=r),
        "comment_flag": lambda: moderation_services.comment_flag(
            comment=reply, reporter=r, reason="spam"
        ),
        "comment_approve": lambda: moderation_services.comment_approve(
            comment=reply, acting_user=m
        ),
        "comment_reject": lambda: moderation_services.comment_reject(
            comment=reply, acting_user=m, reason="spam"
        ),
        "comment_restore": lambda: moderation_services.comment_restore(
            comment=reply, acting_user=m
        ),
        "comment_set_featured": lambda: moderation_services.comment_set_featured(
            comment=reply, acting_user=m
        ),
        "comment_set_locked": lambda: moderation_services.comment_set_locked(
            comment=reply, acting_user=m
        ),
        "article_set_comment_mode": lambda: moderation_services.article_set_comment_mode(
            article=a, mode="closed", acting_user=m
        ),
        "user_suspend": lambda: moderation_services.user_suspend(
            user=o, acting_user=m, duration=dt.timedelta(days=1)
        ),
        "user_ban": lambda: moderation_services.user_ban(user=o, acting_user=m),
        "user_reinstate": lambda: moderation_services.user_reinstate(user=o, acting_user=m),
        "user_set_premoderation": lambda: moderation_services.user_set_premoderation(
            user=o, acting_user=m, premoderated=True
        ),
        "user_add_note": lambda: moderation_services.user_add_note(
            user=o, acting_user=m, body="Note"
        ),
        "record_denied": lambda: audit.record_denied(actor=o, comment=root),
        "record": lambda: audit.record(audit.Action.USER_NOTE, actor=m, target_user=o),
        "clean_note": lambda: moderation_services.clean_note("x", required=True),
        "clean_reason": lambda: moderation_services.clean_reason("nonsense"),
        "store_findings": lambda: findings.store_findings(
            reply, findings.run_detector("All Shia are liars.")
        ),
        "unsaved_findings": lambda: findings.unsaved_findings(
            reply, findings.run_detector("All Shia are liars.")
        ),
        "detector_flag": lambda: findings.detector_flag(
            reply, findings.run_detector("All Shia are liars.")
        ),
        "thread_import": lambda: services.thread_import(
            thread=importing.ImportedThread(title="Again", slug="keep", body="", comments=()),
            replace=True,
        ),
        "detector_terms_changed": findings.detector_terms_changed,
        "detector_extra_terms": findings.detector_extra_terms,
        "run_detector": lambda: findings.run_detector("text"),
        "decision_token": lambda: moderation_services.decision_token(root),
        "comment_rescan": lambda: moderation_services.comment_rescan(comment=reply),
    }
    public = {
        n
        for module in (services, moderation_services, findings, audit)
        for n, f in inspect.getmembers(module, inspect.isfunction)
        if not n.startswith("_") and f.__module__ == module.__name__
    }
    missing = public - set(calls)
    assert not missing, f"add the new service(s) {sorted(missing)} to this test"
    watch = Watch()
    for name, call in calls.items():
        try:
            call()
        except (ValidationError, PermissionDenied):
            pass
        watch.check(name)
    assert Comment.objects.filter(pk=root.pk).exists()


def test_every_view_action_keeps_every_comment(cast, client_for):
    from tests.hardening.test_authorization import MATRIX

    root, reply = cast["root"], cast["reply"]
    users = [
        None,
        cast["reader"],
        cast["other"],
        cast["moderator"],
        UserFactory(is_staff=True, is_superuser=True),
    ]
    watch = Watch()
    for name, (kwargs, data, _) in MATRIX.items():
        kwargs = {
            k: {"A": cast["article"].slug, "C": root.pk, "U": cast["other"].pk}.get(v, v)
            for k, v in kwargs.items()
        }
        data = {
            k: ([root.pk, reply.pk] if isinstance(v, list) else v.replace("ROLE", "x"))
            for k, v in data.items()
        }
        for user in users:
            client = Client() if user is None else client_for(user)
            client.post(reverse(name, kwargs=kwargs), data)
            watch.check(f"POST {name} as {user}")
    for action in ("approve", "reject", "restore", "feature", "unfeature", "lock", "unlock"):
        client_for(cast["moderator"]).post(
            reverse("moderation:comment_action", args=[reply.pk, action]), {"reason": "spam"}
        )
        watch.check(action)


def test_every_admin_action_keeps_every_comment(cast, client_for):
    from django.contrib import admin

    from moderation.models import UserModeration

    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(superuser)
    moderation_services.user_ban(user=cast["other"], acting_user=cast["moderator"])
    watch = Watch()
    ids = [str(pk) for pk in Comment.objects.values_list("pk", flat=True)]
    comment_admin = admin.site._registry[Comment]
    actions = [a for a in comment_admin.get_actions(_request(superuser))]
    assert "delete_selected" not in actions
    for action in actions:
        response = client.post(
            "/admin/comments/comment/", {"action": action, "_selected_action": ids}
        )
        assert response.status_code in (200, 302)
        watch.check(f"admin action {action}")
    standings = [str(pk) for pk in UserModeration.objects.values_list("pk", flat=True)]
    for action in admin.site._registry[UserModeration].get_actions(_request(superuser)):
        client.post(
            "/admin/moderation/usermoderation/", {"action": action, "_selected_action": standings}
        )
        watch.check(f"admin action {action}")
    # Deletion is not offered anywhere for comments.
    assert client.get(f"/admin/comments/comment/{cast['root'].pk}/delete/").status_code in (
        403,
        302,
    )
    client.post(f"/admin/comments/comment/{cast['root'].pk}/delete/", {"post": "yes"})
    watch.check("admin delete page")


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_delete_a_comment_with_replies():
    article = ArticleFactory()
    root = post(article, body="Parent")
    post(article, body="Child", parent=root)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1, "SQLite foreign keys are off"
    with pytest.raises(IntegrityError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM comments_comment WHERE id = %s", [root.pk])
    assert Comment.objects.filter(pk=root.pk).exists()
    assert Comment.objects.count() == 2
