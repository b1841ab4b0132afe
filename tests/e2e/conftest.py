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
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
                                  "url": live_server.url}])
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
            if msg.type == "error" or "Content Security Policy" in msg.text or msg.text.startswith("Refused to"):
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

def _seed_file() -> Path | None:
    candidates = []
    if os.environ.get("NEWSROOM_SEEDS"):
        candidates.append(Path(os.environ["NEWSROOM_SEEDS"]) / SEED_NAME)
    candidates.append(REPO / "demo" / "seeds" / SEED_NAME)
    return next((p for p in candidates if p.is_file()), None)


# The seed's comment tree, abridged (same authors, shape and depths 0..4), for checkouts without
# the seed file or before comments.importing exists: (depth, author, body).
_SEED_TREE = [
    (0, "Serious", "As usual, Sunnis will have nothing and will be the losers."),
    (1, "John Ballantine", "Yup, death to all SalafiTerrorists in Syria…"),
    (1, "Christopher Simpson", "Asma al Assad is Sunni – so what’s the problem? Syria is a religiously plural state."),
    (2, "Serious", "I mean those sunnis who are fighting like ISIS, HTS, al qaeda."),
    (3, "Joe", "Yes they are crazy in your eyes but think they are joining their maker with lots of rewards."),
    (3, "Brother Ma", "They have a goal all right!"),
    (4, "Serious", "They have no goal. Obviously, they don’t see that they are always loosing ???"),
    (2, "Mortal", "Add peace, and now as a Greek I can say that I approve this message!"),
    (2, "", "Who knows? Maybe a result of all this mayhem and destruction will be a Renaissance of Arab culture."),
    (1, "Joe", "Syrians are the winners and that include sunnis ."),
    (0, "SFC Steven M Barry USA RET", "When will Russia wake up and finally understand that the US cannot be trusted about anything?"),
    (1, "Mortal", "The only way to lower US status quo is by subsequent diplomatic defeats."),
    (2, "Joe", "I don’t think US dare to start a new war in Syria.\n\nNow you know why Putin has helped the Kurds in bombing ISIS"),
    (0, "gustavo", "Please, stop pseudo-cooperation with USA. Just stop yourself Russia ! Stop !"),
    (0, "Emmanuel Moyana", "Thats too bad. These two powers should pool resources together and defeat Isis."),
    (0, "Langaniso Mhlobo", "Not all Sunnis are terrorist but all terrorist are Sunnis."),
    (1, "Sadde", "…"),
]


def _fallback_thread():
    from comments.services import ImportedComment, ImportedThread

    comments, stack = [], []  # stack[d] = key of the latest comment at depth d
    for i, (depth, author, body) in enumerate(_SEED_TREE):
        key = f"c{i}"
        del stack[depth:]
        comments.append(ImportedComment(key=key, parent_key=stack[-1] if stack else None,
                                        author=author, body=body))
        stack.append(key)
    return ImportedThread(
        title="Lavrov: Russia And US Have No Plans To Cooperate In Syria’s Idlib Governorate",
        slug="lavrov-russia-and-us-have-no-plans-to-cooperate-in-syrias-idlib-governorate",
        body=("On December 8, Russia’s Foreign Minister Sergey Lavrov told reporters that Russia and "
              "the US have no plans to cooperate in Syria’s Idlib governorate.\n\n"
              "“There are no plans with the United States on this specific region of Syria. I believe "
              "that’s totally counterproductive,” Lavrov said."),
        comments=tuple(comments),
    )


def load_seed_thread():
    """(ImportedThread, source): the real seed through comments.importing when both exist."""
    path = _seed_file()
    if path is not None and not os.environ.get("NEWSROOM_E2E_FALLBACK_SEED"):
        try:
            from comments.importing import parse_seed_text
        except ImportError:
            pass
        else:
            return parse_seed_text(path.read_text(encoding="utf-8")), str(path)
    return _fallback_thread(), "built-in copy of the seed's tree"


@pytest.fixture
def seed_article(transactional_db):
    from comments import services

    thread, source = load_seed_thread()
    article = services.thread_import(thread=thread)
    article.seed_source = source
    return article
