"""Reactions at the same instant: never two rows for one reader, never a lost count.

The threaded tests need a real PostgreSQL server (row locks, concurrent connections); the last
test, on any database, takes the path where the unique constraint, not the row lock, refuses
the second row.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client

from comments import services
from comments.models import Comment, Reaction
from tests.comments.test_concurrency import assert_valid_forest, run_threads
from tests.factories import ArticleFactory, UserFactory, post


def counts(comment) -> tuple[int, int]:
    """(rows, the comment's stored count): always equal."""
    return (
        Reaction.objects.filter(comment=comment).count(),
        Comment.objects.get(pk=comment.pk).reaction_count,
    )


@pytest.fixture
def target(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    article = ArticleFactory()
    return post(article, UserFactory(), "Everybody is clicking this one.")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_double_click_sent_twice_at_once_makes_one_row(target):
    reader = UserFactory()
    results = []
    run_threads(
        lambda i: results.append(
            services.reaction_set(comment=target.pk, acting_user=reader, pressed=True)
        ),
        count=2,
    )
    assert counts(target) == (1, 1)
    assert sorted(r.changed for r in results) == [False, True]
    assert all(r.pressed and r.count == 1 for r in results)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_toggles_at_once_are_one_after_the_other(target):
    reader = UserFactory()
    results = []
    run_threads(
        lambda i: results.append(services.reaction_set(comment=target.pk, acting_user=reader)),
        count=2,
    )
    # Serialized by the comment's row lock: on, then off, never two rows.
    assert counts(target) == (0, 0)
    assert sorted((r.pressed, r.count) for r in results) == [(False, 0), (True, 1)]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_requests_of_one_session_at_once_make_one_row(target):
    """The same double-click over HTTP: two clients sharing one signed-in session."""
    reader = UserFactory()
    signed_in = Client()
    signed_in.force_login(reader)
    session = signed_in.cookies
    statuses = []

    def click(i):
        client = Client()
        client.cookies = session
        response = client.post(
            f"/comments/{target.pk}/react/", {"pressed": "1"}, headers={"HX-Request": "true"}
        )
        statuses.append(response.status_code)

    run_threads(click, count=2)
    assert statuses == [200, 200]
    assert counts(target) == (1, 1)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_twelve_readers_at_once_lose_no_count_while_replies_renumber_the_tree(target):
    readers = [UserFactory() for _ in range(12)]
    repliers = [UserFactory() for _ in range(4)]

    def work(i):
        if i < 12:
            for _ in range(3):  # on, off, on
                services.reaction_set(comment=target.pk, acting_user=readers[i])
        else:
            for n in range(5):
                services.comment_create(
                    article=None, author=repliers[i - 12], body=f"Reply {i}-{n}", parent=target.pk
                )

    run_threads(work, count=16)
    assert counts(target) == (12, 12)
    assert_valid_forest(target.article)
    assert Comment.objects.filter(parent=target).count() == 20


@pytest.mark.django_db
def test_the_unique_constraint_has_the_last_word(article, reader, monkeypatch):
    """Were the row lock ever not there (or a row made behind it), the second insert is
    refused by the database and nothing is counted twice."""
    theirs = post(article, UserFactory(), "Theirs.")
    services.reaction_set(comment=theirs, acting_user=reader)
    blind = SimpleNamespace(
        objects=SimpleNamespace(
            filter=lambda **kw: SimpleNamespace(first=lambda: None),  # "no reaction yet"
            create=Reaction.objects.create,
        )
    )
    monkeypatch.setattr(services, "Reaction", blind)
    result = services.reaction_set(comment=theirs, acting_user=reader, pressed=True)
    assert (result.pressed, result.changed, result.count) == (True, False, 1)
    monkeypatch.undo()
    assert counts(theirs) == (1, 1)
