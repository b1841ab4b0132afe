"""Browser tests never vanish quietly: without Chromium they are skipped and the run ends saying
so and how to install it; under CI=true they fail the run (tests/e2e/availability.py and the
hooks in tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import conftest
from tests.e2e.availability import (
    browser_unavailable,
    chromium_path,
    missing_browser_outcome,
    summary_line,
    under_ci,
)

REPO = Path(__file__).resolve().parents[1]
ONE_BROWSER_TEST = "tests/e2e/test_moderation_browser.py::test_ban_asks_first"


@pytest.mark.parametrize(
    ("value", "ci"),
    [
        (None, False),
        ("", False),
        ("false", False),
        ("0", False),
        ("no", False),
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        (" true ", True),
    ],
)
def test_ci_decides_between_skip_and_fail(value, ci):
    env = {} if value is None else {"CI": value}
    assert under_ci(env) is ci
    assert missing_browser_outcome(env) == ("fail" if ci else "skip")


def test_without_ci_a_missing_browser_skips_with_the_install_hint():
    with pytest.raises(pytest.skip.Exception) as caught:
        browser_unavailable("no Chromium binary", env={})
    assert "no Chromium binary" in str(caught.value) and "make system-deps" in str(caught.value)


def test_under_ci_a_missing_browser_fails():
    with pytest.raises(pytest.fail.Exception) as caught:
        browser_unavailable("no Chromium binary", env={"CI": "true"})
    assert "CI=true" in str(caught.value) and "apt-get install chromium" in str(caught.value)


def test_the_summary_is_one_line_with_the_count_reason_and_how_to_install():
    assert summary_line([], env={}) is None
    reason = (
        "Skipped: browser test did not run: no Chromium binary; install Chromium with "
        "`make system-deps` (or `apt-get install chromium`)"
    )
    line = summary_line([reason] * 11, env={})
    assert "\n" not in line
    assert line.startswith("BROWSER TESTS DID NOT RUN: 11 skipped (no Chromium binary)")
    assert "`make system-deps` or `apt-get install chromium`" in line
    assert not line.endswith("CI=true, so this run fails")
    assert summary_line([reason], env={"CI": "true"}).endswith("CI=true, so this run fails")


def test_the_chromium_override_is_the_only_binary_tried(tmp_path):
    assert chromium_path({"NEWSROOM_CHROMIUM": str(tmp_path / "missing")}) is None
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    assert chromium_path({"NEWSROOM_CHROMIUM": str(fake)}) is None  # not executable
    fake.chmod(0o755)
    assert chromium_path({"NEWSROOM_CHROMIUM": str(fake)}) == str(fake)


@pytest.mark.parametrize(
    ("ci", "before", "after"),
    [
        ("", 0, 0),
        ("true", 0, 1),
        ("true", 1, 1),
        ("true", 2, 2),
    ],
)
def test_under_ci_any_skipped_browser_test_fails_the_run(monkeypatch, ci, before, after):
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(conftest, "_browser_skip_reasons", ["Skipped: some other reason"])
    session = SimpleNamespace(exitstatus=before)
    conftest.pytest_sessionfinish(session, before)
    assert session.exitstatus == after


def _run_one_browser_test_without_chromium(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CI")}
    environ.update(NEWSROOM_TESTING="1", NEWSROOM_CHROMIUM=os.devnull + "-no-chromium", **env)
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "pytest", "-q", ONE_BROWSER_TEST],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_run_without_chromium_ends_saying_so_and_passes():
    run = _run_one_browser_test_without_chromium()
    assert run.returncode == 0, run.stdout + run.stderr
    last = run.stdout.strip().splitlines()[-1]
    assert last.startswith("BROWSER TESTS DID NOT RUN: 1 skipped (no Chromium binary)"), run.stdout
    assert "make system-deps" in last


def test_a_ci_run_without_chromium_fails():
    run = _run_one_browser_test_without_chromium(CI="true")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "CI=true: browser tests must run" in run.stdout
