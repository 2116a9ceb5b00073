import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from events.models import Event


def _demo_admin_password(**options) -> str:
    out = StringIO()
    call_command("demo_admin", stdout=out, **options)
    return re.search(r"password: (\S+)", out.getvalue()).group(1)


def _sign_in(password: str):
    # As the admin's login form does: the sign-in lockout needs the request.
    request = RequestFactory().post("/admin/login/")
    return authenticate(request, username="admin", password=password)


@pytest.fixture
def env_file(settings, tmp_path):
    settings.DEBUG = True
    path = tmp_path / ".env"
    path.write_text("DEBUG=true\nSECRET_KEY=abc\n")
    settings.ENV_FILE = str(path)
    return path


def test_demo_admin_prints_a_login_that_works_and_keeps_it_across_runs(db, env_file):
    first = _demo_admin_password()
    assert _sign_in(first).is_superuser
    assert _demo_admin_password() == first
    assert _sign_in(first) is not None
    assert env_file.read_text() == f"DEBUG=true\nSECRET_KEY=abc\nDEMO_ADMIN_PASSWORD={first}\n"
    assert env_file.stat().st_mode & 0o077 == 0  # the file now holds a password: owner only


def test_demo_admin_reset_makes_a_new_password_and_keeps_that_one(db, env_file):
    first = _demo_admin_password()
    second = _demo_admin_password(reset=True)
    assert second != first
    assert _sign_in(first) is None
    assert _sign_in(second) is not None
    assert _demo_admin_password() == second
    assert env_file.read_text().count("DEMO_ADMIN_PASSWORD=") == 1


def test_demo_admin_puts_back_the_kept_password_if_it_was_changed(db, env_file, django_user_model):
    kept = _demo_admin_password()
    admin = django_user_model.objects.get(username="admin")
    admin.set_password("changed-in-the-admin")
    admin.save()
    assert _demo_admin_password() == kept
    assert _sign_in(kept) is not None


def test_without_a_settings_file_the_password_is_new_each_run_and_says_so(db, settings):
    settings.DEBUG = True
    settings.ENV_FILE = ""
    out = StringIO()
    call_command("demo_admin", stdout=out)
    assert "Not kept" in out.getvalue()


def test_demo_admin_refuses_to_touch_accounts_on_a_live_site(db, settings, django_user_model):
    settings.DEBUG = False
    owner = django_user_model.objects.create_user(username="admin", password="theirs")
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("demo_admin", stdout=StringIO())
    owner.refresh_from_db()
    assert owner.check_password("theirs") and not owner.is_superuser


def test_load_demo_data_reports_what_it_did(db):
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert f"Loaded {Event.objects.count()} demo events, and demo supporters" in out.getvalue()
    call_command("load_demo_data", stdout=out)
    assert "demo data left alone" in out.getvalue()
