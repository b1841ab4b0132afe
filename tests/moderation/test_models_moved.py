"""The moderation models moved from the comments app to the moderation app without a row lost.

A database filled under the old layout (every moderation model still the comments app's) is
migrated forward: every row and event is found through the new models, the append-only rule
on events still holds, and admin permissions followed their content types.
"""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from comments.models import Comment
from moderation.models import DetectorTerm, Finding, Flag, ModerationEvent, UserModeration, UserNote

BEFORE = [
    ("comments", "0005_reported_index_matches_tab"),
    ("accounts", "0001_initial"),
    ("articles", "0001_initial"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _fill_old_schema(apps):
    User = apps.get_model("accounts", "User")
    Article = apps.get_model("articles", "Article")
    OldComment = apps.get_model("comments", "Comment")
    reader = User.objects.create(username="old-reader")
    mod = User.objects.create(username="old-mod")
    article = Article.objects.create(title="Old", slug="old-article", body="Body")
    comment = OldComment.objects.create(
        article=article,
        author=reader,
        body_raw="x",
        body_html="<p>x</p>",
        tree_id=1,
        lft=1,
        rght=2,
        level=0,
    )
    get = lambda name: apps.get_model("comments", name)  # noqa: E731
    get("Flag").objects.create(comment=comment, reporter=mod, reason="abuse", note="rude")
    get("Finding").objects.create(
        comment=comment,
        start=0,
        end=1,
        match="x",
        group="g",
        canonical="G",
        category="sect",
        rule="r",
        severity="report",
        explanation="e",
    )
    get("DetectorTerm").objects.create(canonical="Yazidis", category="religion", forms="Yazidi")
    get("UserModeration").objects.create(user=reader, standing="banned", standing_reason="spam")
    get("UserNote").objects.create(user=reader, author=mod, body="watch")
    for action in ("post", "flag", "ban"):
        get("ModerationEvent").objects.create(
            action=action, actor=mod, actor_name="old-mod", comment=comment, article=article
        )
    ct = ContentType.objects.create(app_label="comments", model="flag")
    Permission.objects.get_or_create(
        content_type=ct, codename="view_flag_old", defaults={"name": "Can view flag"}
    )
    return comment.pk


@pytest.mark.django_db(transaction=True)
def test_a_database_filled_before_the_move_keeps_every_row_after_it():
    ContentType.objects.filter(app_label="moderation").delete()
    apps = _migrate(BEFORE)
    comment_pk = _fill_old_schema(apps)
    _migrate(_latest())

    comment = Comment.objects.get(pk=comment_pk)
    assert Flag.objects.get(comment=comment).note == "rude"
    assert Finding.objects.get(comment=comment).rule == "r"
    assert DetectorTerm.objects.get().canonical == "Yazidis"
    assert UserModeration.objects.get(user__username="old-reader").standing == "banned"
    assert UserNote.objects.get(user__username="old-reader").body == "watch"
    assert list(
        ModerationEvent.objects.filter(comment=comment)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["post", "flag", "ban"]
    # The content type moved with its model: permissions point at the moderation app now.
    ct = ContentType.objects.get(app_label="moderation", model="flag")
    assert Permission.objects.filter(content_type=ct, codename="view_flag_old").exists()
    assert not ContentType.objects.filter(app_label="comments", model="flag").exists()

    # Events are still append-only after the move.
    with pytest.raises(DatabaseError), transaction.atomic():
        ModerationEvent.objects.filter(comment=comment).update(note="rewritten")
