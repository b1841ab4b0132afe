import pytest
from django.core.cache import cache

from tests.factories import ArticleFactory, UserFactory, make_moderator, make_staff


# --- Database plumbing (build/test infrastructure; keep near the top) ----------------------
# `make test` runs the suite twice: on a throwaway PostgreSQL server (scripts/with_postgres.sh
# sets DATABASE_URL) and on SQLite with `-m "not postgresql"`. This hook makes a plain `pytest`
# on SQLite skip the `postgresql`-marked tests too, instead of failing them.
def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run under scripts/with_postgres.sh)")
    for item in items:
        if item.get_closest_marker("postgresql"):
            item.add_marker(skip)


# --- End of database plumbing --------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def reader(db):
    return UserFactory(username="reader1", display_name="Rita Reader")


@pytest.fixture
def other_reader(db):
    return UserFactory(username="reader2", display_name="Omar Other")


@pytest.fixture
def moderator(db):
    return make_moderator(username="mod1", display_name="Mo Moderator")


@pytest.fixture
def staff(db):
    return make_staff(username="staff1", display_name="Stella Staff")


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make
