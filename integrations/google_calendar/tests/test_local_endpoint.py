"""The whole stack over real HTTP against a local endpoint: GOOGLE_CALENDAR_API_ENDPOINT replaces
the API root, the token exchange goes where the credentials file says, and a create, an edit,
a delete and a reconcile behave as they do against Google."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from events.models import Event
from integrations.google_calendar import client
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.sync import event_body, google_event_id, sync_event
from integrations.google_calendar.tests.conftest import INTERNAL, PUBLIC
from integrations.google_calendar.tests.fake_calendar_api import FakeCalendarApi
from integrations.models import IntegrationLog


@pytest.fixture
def local_google(calendar_settings, credentials_file):
    with FakeCalendarApi([INTERNAL, PUBLIC]) as api:
        info = json.loads(credentials_file.read_text())
        credentials_file.write_text(json.dumps({**info, "token_uri": api.token_uri}))
        calendar_settings.GOOGLE_CALENDAR_API_ENDPOINT = api.api_endpoint
        client.forget_credentials()
        yield api


def test_create_edit_delete_over_http_cost_one_call_per_calendar(local_google, make_event):
    event = make_event()
    sync_event(event_id=event.pk)
    assert local_google.calls == {"events.insert": 2}
    assert local_google.token_calls == 1
    gid = google_event_id(event)
    assert local_google.calendars[PUBLIC][gid]["start"] == event_body(event)["start"]

    local_google.reset_counts()
    event.title = "Luna Sparrow Live — sold out"
    event.save()
    sync_event(event_id=event.pk)
    assert local_google.calls == {"events.update": 2}
    assert local_google.token_calls == 0  # the token is reused until it expires

    local_google.reset_counts()
    event_id = event.pk
    event.delete()
    sync_event(event_id=event_id)
    assert local_google.calls == {"events.delete": 2}
    assert local_google.live_events(INTERNAL) == local_google.live_events(PUBLIC) == {}


def test_a_duplicate_task_never_duplicates_the_event(local_google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    sync_event(event_id=event.pk)
    CalendarEntry.objects.update(state="pending")  # as if the first answer had been lost
    sync_event(event_id=event.pk)
    assert list(local_google.live_events(INTERNAL)) == [google_event_id(event)]
    assert local_google.calls == {"events.insert": 2, "events.update": 1}


def test_reconcile_removes_an_event_deleted_while_the_worker_was_down(local_google, make_event):
    kept, dropped = make_event(title="Kept"), make_event(title="Dropped")
    for event in (kept, dropped):
        sync_event(event_id=event.pk)
    Event.objects.filter(pk=dropped.pk).delete()  # no task ran for this
    local_google.reset_counts()

    call_command("sync_calendars", stdout=StringIO())

    assert local_google.calls == {"events.list": 2, "events.delete": 2}
    assert list(local_google.live_events(INTERNAL)) == [google_event_id(kept)]
    assert list(local_google.live_events(PUBLIC)) == [google_event_id(kept)]


def test_an_outage_is_retried_a_bounded_number_of_times_then_recorded(
    calendar_settings, credentials_file, make_event
):
    with FakeCalendarApi([INTERNAL]) as api:
        token_uri, endpoint = api.token_uri, api.api_endpoint
    # The endpoint is gone now: every connection is refused.
    info = json.loads(credentials_file.read_text())
    credentials_file.write_text(json.dumps({**info, "token_uri": token_uri}))
    calendar_settings.GOOGLE_CALENDAR_API_ENDPOINT = endpoint
    calendar_settings.INTEGRATION_HTTP_ATTEMPTS = 3
    client.forget_credentials()
    event = make_event(audience=Event.Audience.STAFF)

    result = sync_event(event_id=event.pk)

    assert result.failed
    entry = CalendarEntry.objects.get()
    assert entry.state == "failed"
    assert entry.last_error == "Network error: could not reach 127.0.0.1 (Connection refused)"
    outcomes = list(
        IntegrationLog.objects.order_by("pk").values_list("operation", "outcome", "status_code")
    )
    assert outcomes == [
        ("events.insert", "retried", None),
        ("events.insert", "retried", None),
        ("events.insert", "failed", None),
    ]
