"""Settings are parsed at import, so each case imports them in a fresh interpreter."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json, django; from django.conf import settings; "
    "print(json.dumps({'db': settings.DATABASES['default'], 'q': settings.Q_CLUSTER, "
    "'tz': settings.TIME_ZONE, 'debug': settings.DEBUG}, default=str))"
)


def run_settings(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "TIME_ZONE"}
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "tdc.settings", "ENV_FILE": "", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off(tmp_path):
    result = run_settings(DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_parses_a_mysql_url_with_utf8mb4():
    result = run_settings(
        SECRET_KEY="x" * 50, DATABASE_URL="mysql://tdc:p%40ss@db.example:3307/tdc_prod"
    )
    assert result.returncode == 0, result.stderr
    db = json.loads(result.stdout)["db"]
    assert db["ENGINE"] == "django.db.backends.mysql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "tdc_prod",
        "tdc",
        "p@ss",
        "db.example",
        3307,
    )
    assert db["OPTIONS"]["charset"] == "utf8mb4"
    assert db["TEST"]["CHARSET"] == "utf8mb4"


def test_defaults_to_sqlite_rome_and_the_orm_broker():
    result = run_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert shown["db"]["NAME"].endswith("var/tdc.sqlite3")
    # The web server and the worker share the file: writers queue instead of failing.
    assert shown["db"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in shown["db"]["OPTIONS"]["init_command"]
    assert shown["tz"] == "Europe/Rome"
    assert shown["q"]["orm"] == "default"
    assert shown["q"]["timeout"] < shown["q"]["retry"]
    assert shown["q"]["max_attempts"] > 0 and shown["q"]["catch_up"] is False


def test_redis_url_switches_the_task_broker_to_redis():
    result = run_settings(SECRET_KEY="x" * 50, REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["q"]["redis"] == "redis://127.0.0.1:6379/3"


def test_an_env_file_is_read_and_the_environment_wins_over_it(tmp_path):
    env_file = tmp_path / "tdc.env"
    env_file.write_text("SECRET_KEY=from-the-file\nTIME_ZONE=America/Los_Angeles\nDEBUG=true\n")
    result = run_settings(ENV_FILE=str(env_file), DEBUG="false")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["tz"] == "America/Los_Angeles"
    assert shown["debug"] is False  # the environment's DEBUG=false beats the file's true


def test_a_named_env_file_that_is_missing_stops_the_start(tmp_path):
    result = run_settings(SECRET_KEY="x" * 50, ENV_FILE=str(tmp_path / "nowhere.env"))
    assert result.returncode != 0
    assert "is not a file" in result.stderr


def test_the_test_settings_never_read_a_developers_env_file():
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(repr(settings.ENV_FILE))"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "ENV_FILE"}
        | {"DJANGO_SETTINGS_MODULE": "tdc.test_settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "''", result.stderr


def test_env_example_copied_as_is_gives_a_working_configuration(tmp_path):
    # Its empty values must mean "default", not "" (an empty MEDIA_ROOT is the project folder).
    env_file = tmp_path / ".env"
    example = (ROOT / ".env.example").read_text()
    env_file.write_text(re.sub(r"(?m)^SECRET_KEY=$", "SECRET_KEY=" + "x" * 50, example))
    show = (
        "from django.conf import settings as s; import json; "
        "print(json.dumps([s.DATABASES['default']['ENGINE'], str(s.MEDIA_ROOT), "
        "str(s.STATIC_ROOT)]))"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", show],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "tdc.settings", "ENV_FILE": str(env_file)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    engine, media_root, static_root = json.loads(result.stdout)
    assert engine == "django.db.backends.sqlite3"
    assert media_root == str(ROOT / "var" / "media")
    assert static_root == str(ROOT / "staticfiles")
