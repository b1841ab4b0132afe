"""The comments table is shaped so that posting a reply stays cheap as threads grow."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from comments import services
from comments.models import Comment
from tests.factories import UserFactory, post

pytestmark = pytest.mark.django_db


def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_no_index_contains_the_nested_set_numbers():
    # A reply renumbers lft/rght across its tree; an index on either would be rewritten for
    # every renumbered row (and, on PostgreSQL, would rule out in-place HOT updates).
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Comment._meta.db_table)
    indexed = {col for c in constraints.values() if c["index"] for col in c["columns"]}
    assert "tree_id" in indexed and "article_id" in indexed
    assert not indexed & {"lft", "rght"}


@pytest.mark.postgresql
def test_renumbering_after_a_reply_rewrites_rows_in_place(article):
    root = post(article, body="Root")
    children = [post(article, body=f"Reply {i}", parent=root) for i in range(20)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'comments_comment'")
        assert "fillfactor=75" in cursor.fetchone()[0]
    before = _update_counts()
    services.comment_create(
        article=article, author=UserFactory(), body="Late reply", parent=children[0]
    )
    updated, hot = (after - b for after, b in zip(_update_counts(), before, strict=True))
    assert updated >= 20  # the root and the 19 later siblings moved right
    # With an index on lft none would be HOT. A few may still move to another page: inside one
    # test transaction the page fills with this transaction's own dead versions.
    assert hot >= 0.75 * updated


def _update_counts() -> tuple[int, int]:
    """Rows of comments_comment updated so far in this transaction, and how many of them HOT."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
            "WHERE relname = 'comments_comment'"
        )
        return cursor.fetchone()
