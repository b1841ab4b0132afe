"""Whether the browser tests can run here, and what happens when they cannot.

Without Chromium (or the playwright package) the `browser` fixture skips each browser test with
a reason that says how to install it; under CI (`CI=true`) it fails the test instead, so a CI run
cannot pass without them. tests/conftest.py ends every run that skipped a browser test with
`summary_line`, and under CI makes such a run fail even if the skip came from elsewhere.

Plain functions of the environment, so tests/test_browser_availability.py checks them directly.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from typing import NoReturn

import pytest

INSTALL_HINT = "install Chromium with `make system-deps` (or `apt-get install chromium`)"
# Points the tests at one Chromium binary (nothing else is tried); a path that is not an
# executable means "no Chromium", which is how the skip and CI paths are tried on a machine with it.
CHROMIUM_ENV = "NEWSROOM_CHROMIUM"
_TRUE = {"1", "true", "yes", "on"}


def under_ci(env: Mapping[str, str] | None = None) -> bool:
    """CI=true (GitHub Actions, GitLab and most others set it), also 1/yes/on, any case."""
    env = os.environ if env is None else env
    return env.get("CI", "").strip().lower() in _TRUE


def missing_browser_outcome(env: Mapping[str, str] | None = None) -> str:
    """ "fail" under CI, else "skip": what a browser test does when it cannot run."""
    return "fail" if under_ci(env) else "skip"


def chromium_path(env: Mapping[str, str] | None = None) -> str | None:
    """$NEWSROOM_CHROMIUM if set; else `chromium` on PATH, else /usr/bin/chromium; None if none."""
    env = os.environ if env is None else env
    if env.get(CHROMIUM_ENV):
        path = env[CHROMIUM_ENV]
        return path if os.path.isfile(path) and os.access(path, os.X_OK) else None
    found = shutil.which("chromium", path=env.get("PATH"))
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def browser_unavailable(reason: str, env: Mapping[str, str] | None = None) -> NoReturn:
    """Skip the calling test (or fail it under CI), saying why and how to install Chromium."""
    message = f"browser test did not run: {reason}; {INSTALL_HINT}"
    if missing_browser_outcome(env) == "fail":
        pytest.fail(f"{message} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(message)


def summary_line(skip_reasons: Iterable[str], env: Mapping[str, str] | None = None) -> str | None:
    """The one line that ends a run in which browser tests were skipped (None if none were)."""
    reasons = list(skip_reasons)
    if not reasons:
        return None
    first = reasons[0].removeprefix("Skipped: ").removeprefix("browser test did not run: ")
    first = first.split(f"; {INSTALL_HINT}")[0]
    line = (
        f"BROWSER TESTS DID NOT RUN: {len(reasons)} skipped ({first}); install Chromium with "
        "`make system-deps` or `apt-get install chromium`"
    )
    if under_ci(env):
        line += "; CI=true, so this run fails"
    return line
