"""Google Calendar's buttons on the integrations page."""

import pytest

from integrations.google_calendar import actions
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.sync import event_body, google_event_id
from integrations.google_calendar.tests.conftest import ACCOUNT, INTERNAL, PUBLIC, answer, error
from integrations.http import NotConfigured, PermanentError


def test_test_connection_fetches_both_calendars(google):
    google.respond(
        answer(200, {"id": INTERNAL, "summary": "TDC staff"}),
        answer(200, {"id": PUBLIC, "summary": "The Dreamer's Cave"}),
    )
    outcome = actions.test_connection()
    assert google.calls == [("GET", f"/calendars/{INTERNAL}"), ("GET", f"/calendars/{PUBLIC}")]
    assert outcome == (
        "Staff calendar “TDC staff” is reachable; Public calendar “The Dreamer's Cave” is "
        f"reachable as {ACCOUNT}. Write access is confirmed by the first sync."
    )


def test_test_connection_says_which_calendar_to_share(google):
    google.respond(answer(200, {"id": INTERNAL, "summary": "TDC staff"}), error(404, "notFound"))
    with pytest.raises(PermanentError) as failure:
        actions.test_connection()
    assert failure.value.message.startswith("Public calendar: Calendar “public-cal@")
    assert f"not shared with {ACCOUNT}" in failure.value.message


def test_test_connection_without_settings_is_not_configured(settings):
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = ""
    with pytest.raises(NotConfigured):
        actions.test_connection()


def test_retry_failed_syncs_the_failed_events_again(google, make_event):
    event = make_event(audience="staff")
    CalendarEntry.objects.create(
        event=event,
        calendar="internal",
        google_event_id=google_event_id(event),
        state="failed",
        last_error="HTTP 503",
    )
    google.respond(error(409, "duplicate"), answer(200, {**event_body(event), "etag": '"1"'}))
    assert actions.retry_failed() == "1 event synced."
    assert CalendarEntry.objects.get().state == "synced"
    assert actions.retry_failed() == "No failed calendar entries."
