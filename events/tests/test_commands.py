import re
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from events.models import Event


def _demo_admin_password(**options) -> str:
    out = StringIO()
    call_command("demo_admin", stdout=out, **options)
    return re.search(r"password: (\S+)", out.getvalue()).group(1)


def test_demo_admin_prints_a_login_that_works_and_a_rerun_resets_it(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    first = _demo_admin_password()
    assert authenticate(username="admin", password=first).is_superuser
    second = _demo_admin_password()
    assert second != first
    assert authenticate(username="admin", password=first) is None
    assert authenticate(username="admin", password=second) is not None


def test_load_demo_data_reports_what_it_did(db):
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert f"Loaded {Event.objects.count()} demo events." in out.getvalue()
    call_command("load_demo_data", stdout=out)
    assert "demo data left alone" in out.getvalue()
