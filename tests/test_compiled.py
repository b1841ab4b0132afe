"""newsroom.compiled.CompiledGet: the same instance as QuerySet.get(), from SQL compiled once."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from comments.models import Comment
from moderation.models import UserModeration
from newsroom.compiled import CompiledGet
from tests.factories import ArticleFactory, UserFactory, make_moderator, post

pytestmark = pytest.mark.django_db


def users():
    return User.objects.select_related("moderation").annotate(
        commented=Exists(Comment.objects.filter(author=OuterRef("pk")))
    )


def field_values(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_it_loads_what_the_orm_loads_fields_related_object_and_annotation():
    user = make_moderator(username="mona", display_name="Mona")
    post(ArticleFactory(), author=user)
    until = timezone.now() + dt.timedelta(days=2)
    UserModeration.objects.create(user=user, standing="suspended", suspended_until=until)

    loaded = CompiledGet(users).get(user.pk)
    expected = users().get(pk=user.pk)

    assert field_values(loaded) == field_values(expected)
    assert field_values(loaded.moderation) == field_values(expected.moderation)
    assert loaded.moderation.suspended_until == until  # an aware datetime on SQLite too
    assert loaded.commented is True
    assert not loaded._state.adding and loaded._state.db == "default"


def test_a_missing_related_row_behaves_as_in_the_orm():
    user = UserFactory()
    loaded = CompiledGet(users).get(user.pk)
    assert loaded.commented is False
    with pytest.raises(User.moderation.RelatedObjectDoesNotExist):
        loaded.moderation  # noqa: B018 -- the access is the assertion


def test_each_call_binds_its_own_pk_and_runs_the_orms_sql():
    first, second = UserFactory(username="first"), UserFactory(username="second")
    compiled = CompiledGet(users)
    with CaptureQueriesContext(connection) as orm:
        users().get(pk=second.pk)
    assert compiled.get(first.pk).username == "first"
    with CaptureQueriesContext(connection) as ours:
        assert compiled.get(second.pk).username == "second"
    # get() also asks for LIMIT 21, to report MultipleObjectsReturned; a pk matches one row.
    assert [q["sql"] for q in ours.captured_queries] == [
        q["sql"].removesuffix(" LIMIT 21") for q in orm.captured_queries
    ]


def test_no_such_row_is_none_and_a_malformed_pk_is_refused():
    compiled = CompiledGet(users)
    assert compiled.get(10**9) is None
    with pytest.raises(ValueError, match="expected a number"):
        compiled.get("1; DROP TABLE accounts_user")
