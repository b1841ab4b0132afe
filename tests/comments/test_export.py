"""export_thread writes what import_thread reads: a thread survives the round trip."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.models import User
from articles.models import Article
from comments import services
from comments.importing import DELETED_USER, export_thread
from comments.models import Comment
from moderation import services as moderation_services
from tests.factories import UserFactory


def shape(article) -> list[tuple]:
    """The thread as position, parent position, author, status, time and text, in tree order."""
    rows = list(
        Comment.objects.filter(article=article).select_related("author").order_by("tree_id", "lft")
    )
    index = {c.pk: i for i, c in enumerate(rows)}
    return [
        (c.level, index.get(c.parent_id), c.display_author, c.status, c.created_at, c.body_raw)
        for c in rows
    ]


def import_file(path, *args):
    out = StringIO()
    call_command("import_thread", str(path), *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def export_file(slug, path):
    call_command("export_thread", slug, "-o", str(path), stdout=StringIO())
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_unknown_slug_is_refused():
    with pytest.raises(CommandError, match="No article with slug “nope”"):
        call_command("export_thread", "nope", stdout=StringIO())


@pytest.mark.django_db
def test_round_trip_keeps_shape_authors_statuses_and_times(tmp_path):
    source = {
        "article": {
            "title": "Round trip",
            "slug": "round-trip",
            "body": "One.\n\nTwo.",
            "published_at": "2023-01-02T03:04:05+00:00",
        },
        "comments": [
            {
                "id": 10,
                "parent": None,
                "author": "Ann",
                "body": "Root one.",
                "created": "2023-01-02T04:00:00+00:00",
            },
            {
                "id": 11,
                "parent": 10,
                "author": "Ben",
                "body": "Held.\n\nTwo paragraphs.",
                "created": "2023-01-02T04:01:00+00:00",
                "status": "pending",
            },
            {
                "id": 12,
                "parent": 11,
                "author": "Cat",
                "body": "Rejected <b>bold</b>.",
                "created": "2023-01-02T04:02:00+00:00",
                "status": "rejected",
            },
            {
                "id": 13,
                "parent": 10,
                "author": "Dan",
                "body": "Withdrawn.",
                "created": "2023-01-02T04:03:00+00:00",
                "status": "deleted",
            },
            {
                "id": 14,
                "parent": None,
                "author": "",
                "body": "Root two.",
                "created": "2023-01-02T05:00:00+00:00",
            },
        ],
    }
    first = tmp_path / "first.json"
    first.write_text(json.dumps(source), encoding="utf-8")
    import_file(first)
    original = Article.objects.get(slug="round-trip")

    exported = export_file("round-trip", tmp_path / "export.json")
    assert exported["article"] == {**source["article"], "slug": "round-trip"}
    assert [c["status"] for c in exported["comments"]] == [
        "published",
        "pending",
        "rejected",
        "deleted",
        "published",
    ]
    assert exported["comments"][-1]["author"] == "Anonymous"

    result = import_file(tmp_path / "export.json", "--slug", "round-trip-copy")
    copy = Article.objects.get(slug="round-trip-copy")
    assert result["imported"] == 5
    assert (copy.title, copy.body, copy.published_at) == (
        original.title,
        original.body,
        original.published_at,
    )
    assert shape(copy) == shape(original)
    assert [row[2] for row in shape(copy)] == ["Ann", "Ben", "Cat", "Dan", "Anonymous"]


@pytest.mark.django_db
def test_seed_round_trip_with_live_activity(tmp_path, moderator):
    seed = sorted((Path(settings.BASE_DIR) / "demo" / "seeds").glob("000_*.txt"))
    assert seed, "seed thread not found in demo/seeds"
    import_file(seed[0], "--slug", "seed")
    article = Article.objects.get(slug="seed")
    root = Comment.objects.filter(article=article, parent=None).order_by("tree_id").first()
    named = UserFactory(username="named", display_name="Nadia Named")
    gone = UserFactory(username="gone", display_name="Gone Soon")
    services.comment_create(article=article, author=named, body="Reply by an account.", parent=root)
    services.comment_create(
        article=article, author=gone, body="Account later deleted.", parent=root
    )
    moderation_services.comment_reject(
        comment=Comment.objects.get(body_raw__startswith="Yup, death"),
        acting_user=moderator,
        reason="abuse",
    )
    User.objects.filter(pk=gone.pk).delete()

    data = export_thread(article)
    authors = {c["body"]: c["author"] for c in data["comments"]}
    assert authors["Reply by an account."] == "Nadia Named"
    assert authors["Account later deleted."] == DELETED_USER
    assert len(data["comments"]) == 19

    out = StringIO()
    call_command("export_thread", "seed", stdout=out)  # stdout form: the same document
    assert json.loads(out.getvalue()) == json.loads(json.dumps(data))
    path = tmp_path / "seed.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    import_file(path, "--slug", "seed-copy")
    copy = Article.objects.get(slug="seed-copy")
    assert shape(copy) == shape(article)
    assert Comment.objects.get(article=copy, body_raw__startswith="Yup, death").status == "rejected"


@pytest.mark.django_db
def test_export_of_a_thread_without_comments(tmp_path):
    Article.objects.create(title="Quiet", slug="quiet", body="Nothing yet.")
    data = export_file("quiet", tmp_path / "quiet.json")
    assert data["comments"] == []
    import_file(tmp_path / "quiet.json", "--slug", "quiet-copy")
    assert Article.objects.get(slug="quiet-copy").body == "Nothing yet."
