"""What the integrations page learns about Google Calendar."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.google_calendar import status
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.sync import google_event_id
from integrations.google_calendar.tests.conftest import ACCOUNT, INTERNAL, PUBLIC


def test_without_settings_it_is_not_configured_and_names_them(settings, db):
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = ""
    settings.GOOGLE_CALENDAR_INTERNAL_ID = ""
    settings.GOOGLE_CALENDAR_PUBLIC_ID = "public@group.calendar.google.com"
    report = status.integration_status()
    assert not report.configured
    assert report.missing_settings == [
        "GOOGLE_CALENDAR_CREDENTIALS_PATH",
        "GOOGLE_CALENDAR_INTERNAL_ID",
    ]
    assert not report.healthy


def test_configured_and_quiet_is_healthy_and_names_the_account(calendar_settings, db):
    report = status.integration_status()
    assert report.configured and report.healthy
    assert report.token == f"Service account {ACCOUNT}"
    assert (
        "Failed calendar entries",
        "/admin/google_calendar/calendarentry/?state__exact=failed",
    ) in (report.links)


def test_a_missing_credentials_file_is_a_problem_with_the_fix(calendar_settings, tmp_path, db):
    calendar_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(tmp_path / "nope.json")
    report = status.integration_status()
    assert report.problems == [
        f"The credentials file {tmp_path / 'nope.json'} does not exist "
        "(GOOGLE_CALENDAR_CREDENTIALS_PATH)."
    ]


def test_a_file_that_is_not_a_service_account_key_is_a_problem(calendar_settings, tmp_path, db):
    path = tmp_path / "oauth-client.json"
    path.write_text('{"installed": {"client_id": "x"}}')
    calendar_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(path)
    (problem,) = status.integration_status().problems
    assert "is not a service-account key" in problem


def test_one_calendar_for_both_is_a_problem(calendar_settings, db):
    calendar_settings.GOOGLE_CALENDAR_PUBLIC_ID = INTERNAL
    (problem,) = status.integration_status().problems
    assert "name the same calendar" in problem


def test_failures_are_counted_and_their_causes_listed(calendar_settings, make_event):
    sharing = f"Calendar “{PUBLIC}” was not found, or it is not shared with {ACCOUNT}."
    for event in (make_event(), make_event()):
        for calendar, state in (("internal", "synced"), ("public", "failed")):
            CalendarEntry.objects.create(
                event=event,
                calendar=calendar,
                google_event_id=google_event_id(event),
                state=state,
                last_error=sharing if state == "failed" else "",
            )
    with CaptureQueriesContext(connection) as queries:
        report = status.integration_status()
    assert len(queries) <= 5
    assert (report.failed, report.waiting) == (2, 0)
    assert report.last_error == sharing
    assert report.problems == [f"2 events failed to sync: {sharing}"]
    assert not report.healthy
