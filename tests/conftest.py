import pytest
from django.core.cache import cache

from tests.factories import ArticleFactory, UserFactory, make_moderator, make_staff


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
