"""Production-like settings pass Django's deployment checks; a missing key stops start-up."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def production_env(**overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "NEWSROOM_TESTING",
            "DEBUG",
            "DATABASE_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    env.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.com")
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args, env):
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(MANAGE), *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    env = production_env()
    assert len(env["SECRET_KEY"]) >= 50
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_deploy_check_does_catch_a_weak_key():
    """The check above really runs the deployment checks: a short key fails it."""
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(SECRET_KEY="too-short"),  # noqa: S106 - a deliberately weak key
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_settings_values():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = manage("shell", "-c", code, env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False ['example.com'] True True True True"


@pytest.mark.parametrize("secret_key", [None, ""])
def test_missing_secret_key_with_debug_off_stops_start_up(secret_key):
    result = manage("check", env=production_env(SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SECRET_KEY" in result.stderr


def test_debug_mode_starts_without_a_secret_key():
    result = manage("check", env=production_env(SECRET_KEY=None, DEBUG="1"))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("redis_url", "engine"),
    [
        ("redis://127.0.0.1:6379/0", "django.contrib.sessions.backends.cached_db"),
        (None, "accounts.sessions"),  # the database: per-process caches must not hold sessions
    ],
)
def test_sessions_are_read_from_the_shared_cache_only_when_there_is_one(redis_url, engine):
    code = "from django.conf import settings as s; print(s.SESSION_ENGINE)"
    result = manage("shell", "-c", code, env=production_env(REDIS_URL=redis_url))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == engine


@pytest.mark.parametrize(("value", "expected"), [(None, "False"), ("1", "True"), ("off", "False")])
def test_connection_health_checks_are_a_choice_of_the_environment(value, expected):
    code = (
        "from django.conf import settings as s; print(s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    result = manage("shell", "-c", code, env=production_env(CONN_HEALTH_CHECKS=value))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


@pytest.mark.parametrize(("value", "expected"), [(None, "5"), ("on", "5"), ("off", "None")])
def test_prepared_hot_reads_are_on_for_postgresql_unless_the_environment_says_off(value, expected):
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['OPTIONS'].get('prepare_threshold'))"
    )
    env = production_env(
        DATABASE_URL="postgres://app@db.example.com/newsroom", DATABASE_PREPARED_STATEMENTS=value
    )
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"newsroom.postgresql {expected}"


def test_an_unknown_choice_for_deleted_accounts_comments_stops_start_up():
    result = manage(
        "check", env=production_env(DEBUG="1", NEWSROOM_DELETED_ACCOUNT_COMMENTS="erase")
    )
    assert result.returncode != 0
    assert "NEWSROOM_DELETED_ACCOUNT_COMMENTS='erase': choose one of keep, hide, scrub" in (
        result.stderr
    )
