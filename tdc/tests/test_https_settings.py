"""HTTPS behind nginx: redirect, HSTS and the proxy header, from the environment with safe
defaults; `check --deploy` is clean with the deployment example of docs/operations.md."""

import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json, django; from django.conf import settings as s; "
    "print(json.dumps({name: getattr(s, name) for name in ("
    "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', "
    "'CSRF_COOKIE_SECURE', 'AXES_FAILURE_LIMIT')} | "
    "{'lockout_minutes': s.AXES_COOLOFF_TIME.total_seconds() / 60}))"
)
# What the settings read: a fresh interpreter gets only what a case names.
OURS = re.compile(r"^(SECURE_|LOGIN_|DEBUG$|SECRET_KEY$|ALLOWED_HOSTS$|SITE_URL$|DATABASE_URL$)")


def clean_environment(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if not OURS.match(k)}
    return {**base, "DJANGO_SETTINGS_MODULE": "tdc.settings", "ENV_FILE": "", **env}


def settings_with(**env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=clean_environment(SECRET_KEY="x" * 50, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_defaults_redirect_to_https_behind_the_proxy_with_hsts_off():
    shown = settings_with(DEBUG="false")
    assert shown["SECURE_SSL_REDIRECT"] is True
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["SESSION_COOKIE_SECURE"] is True and shown["CSRF_COOKIE_SECURE"] is True
    # HSTS binds browsers for its whole duration: switched on deliberately.
    assert shown["SECURE_HSTS_SECONDS"] == 0
    assert shown["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert shown["SECURE_HSTS_PRELOAD"] is False
    assert (shown["AXES_FAILURE_LIMIT"], shown["lockout_minutes"]) == (5, 15)


def test_development_runs_on_plain_http_and_trusts_no_proxy_header():
    shown = settings_with(DEBUG="true")
    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECURE_PROXY_SSL_HEADER"] is None
    assert shown["SESSION_COOKIE_SECURE"] is False


def test_every_https_setting_and_lockout_limit_is_read_from_the_environment():
    shown = settings_with(
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Scheme",
        LOGIN_FAILURE_LIMIT="8",
        LOGIN_LOCKOUT_MINUTES="60",
    )
    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECURE_HSTS_SECONDS"] == 31536000
    assert shown["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert shown["SECURE_HSTS_PRELOAD"] is True
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_SCHEME", "https"]
    assert (shown["AXES_FAILURE_LIMIT"], shown["lockout_minutes"]) == (8, 60)


def test_an_empty_proxy_header_trusts_none():
    assert (
        settings_with(DEBUG="false", SECURE_PROXY_SSL_HEADER="")["SECURE_PROXY_SSL_HEADER"] is None
    )


def documented_production_environment() -> dict:
    """The `export` lines of the deployment example in docs/operations.md, placeholders filled."""
    guide = (ROOT / "docs" / "operations.md").read_text()
    section = guide.split("\n## Deploying\n", 1)[1]
    example = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    env = {}
    for line in example.splitlines():
        if line.startswith("export "):
            for pair in shlex.split(line.removeprefix("export "), comments=True):
                name, value = pair.split("=", 1)
                filler = secrets.token_urlsafe(50) if name == "SECRET_KEY" else "cave.example"
                env[name] = value.replace("…", filler)
    return env


def test_check_deploy_finds_nothing_with_the_documented_production_example():
    env = documented_production_environment()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "SECURE_HSTS_SECONDS"} <= env.keys()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_would_warn_without_hsts():
    env = documented_production_environment()
    env.pop("SECURE_HSTS_SECONDS")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


@pytest.fixture
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    return settings


def test_plain_http_is_redirected_to_https(client, production, db):
    response = client.get("/supporters/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/supporters/?page=2"


def test_https_through_the_proxy_is_served_with_hsts(client, production, db):
    response = client.get("/supporters/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_a_request_the_proxy_received_over_plain_http_is_redirected(client, production, db):
    response = client.get("/supporters/", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
