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


def test_demo_admin_prints_a_login_that_works_and_a_rerun_resets_it(db, settings):
    settings.DEBUG = True
    first = _demo_admin_password()
    assert _sign_in(first).is_superuser
    second = _demo_admin_password()
    assert second != first
    assert _sign_in(first) is None
    assert _sign_in(second) is not None


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
    assert f"Loaded {Event.objects.count()} demo events." in out.getvalue()
    call_command("load_demo_data", stdout=out)
    assert "demo data left alone" in out.getvalue()
