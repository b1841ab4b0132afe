"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

No `playwright install`: the tests launch the system Chromium (`chromium` on PATH, else
/usr/bin/chromium; NEWSROOM_CHROMIUM overrides). Without it they are skipped, with the reason, and
the run ends with a line saying so; under CI=true they fail instead (tests/e2e/availability.py).
CI installs Chromium through scripts/install_system_deps.sh (`make system-deps`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.availability import browser_unavailable, chromium_path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # git-ignored
DOCS_SCREENSHOTS = REPO / "docs" / "screenshots"
SEED_NAME = "000_1bed210dd336d319.txt"
PASSWORD = "pw-for-tests-1"  # noqa: S105 - tests.factories.UserFactory's password

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module", autouse=True)
def _async_unsafe_allowed():
    """Playwright's sync API runs an asyncio event loop in the test's thread; Django then refuses
    ORM calls from that thread (SynchronousOnlyOperation). The tests never use a connection from
    inside the loop, so allow it: only for these modules (the loop stops with `browser`), so the
    rest of the suite keeps Django's check."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_async_unsafe_allowed):
    try:
        from playwright import sync_api
    except ImportError:
        browser_unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    executable = chromium_path()
    if executable is None:
        browser_unavailable("no Chromium binary")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """new_context(user=None, **options) -> a fresh browser context, signed in as `user` if given.

    Signing in copies the session cookie of a test client's force_login into the context.
    """
    from django.conf import settings
    from django.test import Client

    contexts = []

    def make(user=None, **options):
        options.setdefault("viewport", {"width": 1100, "height": 800})
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": cookie.value,
                        "url": live_server.url,
                    }
                ]
            )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def console_problems():
    """watch(page) records console errors, CSP refusals and uncaught exceptions in a list."""
    problems: list[str] = []

    def watch(page):
        def on_console(msg):
            # Browsers ask for /favicon.ico on their own; the site has none (a 404, not a bug).
            if (msg.location or {}).get("url", "").endswith("/favicon.ico"):
                return
            if (
                msg.type == "error"
                or "Content Security Policy" in msg.text
                or msg.text.startswith("Refused to")
            ):
                problems.append(f"console.{msg.type}: {msg.text} ({page.url})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc} ({page.url})"))
        return page

    watch.problems = problems
    return watch


def save_screenshot(locator_or_page, name: str, **options) -> Path:
    """Always into tests/e2e/artifacts/; into docs/screenshots/ too when SAVE_SCREENSHOTS=1."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    locator_or_page.screenshot(path=str(path), **options)
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / name)
    return path


# --- The seed article ----------------------------------------------------------------------------


def seed_file() -> Path:
    """The seed `make run` loads (demo/seeds, or $NEWSROOM_SEEDS); in the repository, so
    required."""
    folder = Path(os.environ.get("NEWSROOM_SEEDS") or REPO / "demo" / "seeds")
    path = folder / SEED_NAME
    assert path.is_file(), f"seed thread not found at {path}"
    return path


def load_seed_thread():
    """(ImportedThread, source): the real seed, through comments.importing."""
    from comments.importing import parse_seed_text

    path = seed_file()
    return parse_seed_text(path.read_text(encoding="utf-8")), str(path)


@pytest.fixture
def seed_article(transactional_db):
    from comments import services

    thread, source = load_seed_thread()
    article = services.thread_import(thread=thread)
    article.seed_source = source
    return article
