"""Each piece of advice the integrations page gives about Google Calendar appears exactly when
it applies, from the same settings, credentials file and calendar entries the page shows."""

import json

import pytest

from integrations.google_calendar import status
from integrations.google_calendar.models import CalendarEntry

pytestmark = pytest.mark.django_db

ADVICE = {
    "not configured": "Not configured: set",
    "no file": "does not exist (GOOGLE_CALENDAR_CREDENTIALS_PATH)",
    "unreadable file": "cannot be read (",
    "not json": "is not JSON: download the key again",
    "not a key": "is not a service-account key",
    "incomplete key": "lacks client_email or private_key",
    "same calendar": "name the same calendar",
    "failed entries": "failed to sync:",
}


def advice() -> list[str]:
    shown = status.integration_status().problems
    found = [key for line in shown for key, words in ADVICE.items() if words in line]
    assert len(found) == len(shown), f"advice this test does not know: {shown}"
    return found


def test_a_configured_quiet_calendar_gets_no_advice(calendar_settings):
    assert advice() == []


def test_missing_settings_are_named_and_only_they(calendar_settings):
    calendar_settings.GOOGLE_CALENDAR_PUBLIC_ID = ""
    assert advice() == ["not configured"]
    [line] = status.integration_status().problems
    assert "GOOGLE_CALENDAR_PUBLIC_ID" in line
    assert "GOOGLE_CALENDAR_INTERNAL_ID" not in line and "CREDENTIALS_PATH" not in line


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no file"),
        ("{not json", "not json"),
        (json.dumps({"type": "authorized_user"}), "not a key"),
        (json.dumps({"type": "service_account", "client_email": "a@b"}), "incomplete key"),
    ],
)
def test_each_credentials_file_problem_is_said_once(calendar_settings, tmp_path, content, expected):
    path = tmp_path / "key.json"
    if content is not None:
        path.write_text(content)
    calendar_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(path)
    assert advice() == [expected]


def test_an_unreadable_credentials_file_says_why(calendar_settings, tmp_path):
    calendar_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(tmp_path)  # a directory
    assert advice() == ["unreadable file"]
    assert "Error" not in status.integration_status().problems[0]


def test_one_calendar_for_both_audiences_is_flagged(calendar_settings):
    calendar_settings.GOOGLE_CALENDAR_PUBLIC_ID = calendar_settings.GOOGLE_CALENDAR_INTERNAL_ID
    assert advice() == ["same calendar"]


def test_failed_entries_are_told_once_per_cause(calendar_settings, make_event):
    first, second = make_event(), make_event()
    cause = "Calendar “x” was not found, or it is not shared with tdc-sync@…"
    for event in (first, second):
        CalendarEntry.objects.create(
            event=event, calendar="internal", state=CalendarEntry.State.FAILED, last_error=cause
        )
    assert advice() == ["failed entries"]
    assert status.integration_status().problems == [f"2 events failed to sync: {cause}"]
    CalendarEntry.objects.update(state=CalendarEntry.State.SYNCED)
    assert advice() == []
