"""Security headers under the production settings (DEBUG off), in a subprocess.

The settings module reads the environment at import, so production is only reachable in a fresh
interpreter: a small script drives django.test.Client there and prints what the browser would
get as JSON. SECURE_SSL_REDIRECT is off so the plain-http test client gets pages, not redirects;
the requests say they are secure (as behind the TLS-terminating proxy) so HSTS is sent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

SCRIPT = textwrap.dedent("""
    import json, django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0, interactive=False)
    from django.test import Client
    from django.conf import settings
    from django.test.utils import override_settings
    # Production serves hashed files from collectstatic's manifest; no collectstatic here, so
    # only the static-files storage is swapped (headers do not depend on it).
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    from accounts.models import User
    User.objects.create_user("hdr", password="Headers-pw-4711")
    c = Client()
    out = {"debug": settings.DEBUG}
    for name, path in (("home", "/"), ("login", "/accounts/login/"), ("healthz", "/healthz")):
        r = c.get(path, secure=True)
        out[name] = {"status": r.status_code, "headers": dict(r.headers)}
    r = c.post("/accounts/login/", {"username": "hdr", "password": "Headers-pw-4711"}, secure=True)
    out["signin"] = {"status": r.status_code,
                     "cookies": {k: {a: str(m[a]) for a in ("secure", "httponly", "samesite")}
                                 for k, m in r.cookies.items()}}
    r = c.get("/accounts/login/", secure=True)
    out["csrf_cookie"] = {k: {a: str(m[a]) for a in ("secure", "httponly", "samesite")}
                          for k, m in c.cookies.items()}
    print("RESULT " + json.dumps(out))
""")


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NEWSROOM_TESTING", "DEBUG", "DATABASE_URL", "REDIS_URL")
    }
    db = tmp_path_factory.mktemp("prod") / "prod.sqlite3"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "0",
            "SECRET_KEY": "a-long-random-production-like-key-" + "x" * 40,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"sqlite:///{db}",
            "AXES_ENABLED": "1",
        }
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert line, f"production script failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return json.loads(line[len("RESULT ") :])


def test_runs_with_debug_off(production):
    assert production["debug"] is False
    assert production["home"]["status"] == 200


def _csp(production, page="home") -> dict[str, list[str]]:
    header = production[page]["headers"].get("Content-Security-Policy", "")
    assert header, f"no Content-Security-Policy on {page}"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("page", ["home", "login"])
def test_content_security_policy_allows_no_inline_script(production, page):
    csp = _csp(production, page)
    script = csp.get("script-src", csp.get("default-src"))
    assert script, csp
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, script
    assert "*" not in script and "data:" not in script, script
    assert csp.get("object-src") == ["'none'"]
    assert csp.get("base-uri") == ["'none'"]
    assert csp.get("frame-ancestors") == ["'none'"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])


@pytest.mark.parametrize("page", ["home", "login", "healthz"])
def test_hardening_headers_on_every_response(production, page):
    headers = production[page]["headers"]
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("X-Frame-Options") == "DENY"
    assert headers.get("Referrer-Policy") in (
        "same-origin",
        "strict-origin-when-cross-origin",
        "no-referrer",
    )
    hsts = headers.get("Strict-Transport-Security", "")
    max_age = int(hsts.split("max-age=")[1].split(";")[0]) if "max-age=" in hsts else 0
    assert max_age >= 15552000, hsts  # at least 180 days
    assert "includeSubDomains" in hsts


def test_session_and_csrf_cookies_are_secure_httponly_samesite(production):
    assert production["signin"]["status"] == 302
    session = production["signin"]["cookies"]["sessionid"]
    assert session["secure"] == "True" and session["httponly"] == "True"
    assert session["samesite"] in ("Lax", "Strict")
    csrf = production["csrf_cookie"]["csrftoken"]
    assert csrf["secure"] == "True" and csrf["samesite"] in ("Lax", "Strict")


def test_production_refuses_to_start_without_a_secret_key():
    env = {
        k: v for k, v in os.environ.items() if k not in ("NEWSROOM_TESTING", "DEBUG", "SECRET_KEY")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "newsroom.settings"})
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr
