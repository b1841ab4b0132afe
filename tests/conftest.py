import pytest

from tests.factories import ArticleFactory, UserFactory, clear_caches, make_moderator, make_staff


# --- Database plumbing (build/test infrastructure; keep near the top) ----------------------
# `make test` runs the suite twice: on a throwaway PostgreSQL server (scripts/with_postgres.sh
# sets DATABASE_URL) and on SQLite with `-m "not postgresql"`. This hook makes a plain `pytest`
# on SQLite skip the `postgresql`-marked tests too, instead of failing them.
def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run under scripts/with_postgres.sh)")
    for item in items:
        if item.get_closest_marker("postgresql"):
            item.add_marker(skip)


# --- End of database plumbing --------------------------------------------------------------


# --- Browser tests never vanish quietly (tests/e2e/availability.py) ------------------------
# Every skipped test marked `browser` is counted (under xdist, in the controller, which gets every
# report); the run then ends with one line saying the browser tests did not run and how to install
# Chromium, and under CI=true the run fails even if nothing else did.
_browser_skip_reasons: list[str] = []


def pytest_configure(config):
    _browser_skip_reasons.clear()


def pytest_runtest_logreport(report):
    if report.skipped and "browser" in report.keywords and not hasattr(report, "wasxfail"):
        longrepr = report.longrepr
        _browser_skip_reasons.append(longrepr[2] if isinstance(longrepr, tuple) else str(longrepr))


def pytest_sessionfinish(session, exitstatus):
    from tests.e2e.availability import under_ci

    if _browser_skip_reasons and under_ci() and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config):
    from tests.e2e.availability import summary_line

    line = summary_line(_browser_skip_reasons)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if line and reporter is not None and not hasattr(config, "workerinput"):
        reporter.write_line(line, red=True, bold=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_caches()
    yield
    clear_caches()


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


@pytest.fixture(autouse=True)
def _flushable_events_on_sqlite(request):
    """Let transactional tests' teardown flush on SQLite.

    Migration comments/0002 makes moderation events append-only with a BEFORE DELETE trigger.
    PostgreSQL's flush uses TRUNCATE, which row triggers do not see, but SQLite's flush is a
    DELETE FROM and aborts. Empty the table with the trigger briefly dropped, then put it back.
    Requesting transactional_db here makes this teardown run before the flush.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from importlib import import_module

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    migration = import_module("comments.migrations.0002_events_append_only")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_DOWN:
            cursor.execute(statement)
        cursor.execute("DELETE FROM comments_moderationevent")
        for statement in migration.SQLITE_UP:
            cursor.execute(statement)
