"""The sync state in the event admin, the "Sync now" action and the entries' own admin."""

from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_q.models import OrmQ

from events.models import Event
from integrations.google_calendar import tasks
from integrations.google_calendar.admin import SYNC_NOW_LIMIT
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.queue import SYNC_TASK
from integrations.google_calendar.sync import event_body, google_event_id, sync_event
from integrations.google_calendar.tests.conftest import INTERNAL, PUBLIC, answer, error

CHANGELIST = "admin:events_event_changelist"
# Every event, not only upcoming ones: the fixtures' events have a fixed date.
ALL_EVENTS = {"when": "all"}


def entry(event, calendar, state, **fields):
    return CalendarEntry.objects.create(
        event=event,
        calendar=calendar,
        calendar_id=INTERNAL if calendar == "internal" else PUBLIC,
        google_event_id=google_event_id(event),
        event_title=event.title,
        state=state,
        **fields,
    )


def test_the_event_list_shows_each_calendars_state(calendar_settings, staff_client, make_event):
    event = make_event()
    entry(event, "internal", "synced")
    entry(event, "public", "failed", last_error="Calendar “x” was not found")

    page = staff_client.get(reverse(CHANGELIST), ALL_EVENTS).content.decode()

    assert "Staff synced" in page
    assert '<span title="Calendar “x” was not found">Public failed</span>' in page


def test_a_scheduled_event_not_synced_yet_shows_waiting(
    calendar_settings, staff_client, make_event
):
    make_event(audience=Event.Audience.STAFF)
    page = staff_client.get(reverse(CHANGELIST), ALL_EVENTS).content.decode()
    assert "Staff waiting" in page
    assert "Public" not in page.split("Staff waiting")[1][:40]


def test_the_state_column_reads_prefetched_entries_only(
    calendar_settings, rf, staff_user, make_event, django_assert_num_queries
):
    for _ in range(5):
        event = make_event()
        entry(event, "internal", "synced")
        entry(event, "public", "synced")
    model_admin = admin.site._registry[Event]
    request = rf.get("/")
    request.user = staff_user
    events = list(model_admin.get_queryset(request))
    with django_assert_num_queries(0):
        cells = [model_admin.google_calendar_state(e) for e in events]
    one_a_line = '<span title="">Staff synced</span><br><span title="">Public synced</span>'
    assert cells == [one_a_line] * 5


def test_without_settings_the_admin_says_not_configured(
    calendar_settings, staff_client, make_event
):
    calendar_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = ""
    event = make_event()
    page = staff_client.get(reverse(CHANGELIST), ALL_EVENTS).content.decode()
    assert "not configured" in page
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert "Not configured: set GOOGLE_CALENDAR_CREDENTIALS_PATH." in page.content.decode()


def test_the_event_page_shows_the_entries(calendar_settings, staff_client, make_event):
    event = make_event()
    entry(event, "internal", "failed", last_error="Google refused the credentials")
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Staff calendar" in html and "Failed" in html
    assert "Google refused the credentials" in html
    assert google_event_id(event) in html


def test_sync_now_pushes_the_selected_events(google, staff_client, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(answer(200, {**event_body(event), "etag": '"1"'}))

    response = staff_client.post(
        reverse(CHANGELIST),
        {"action": "sync_to_google_calendar_now", "_selected_action": [event.pk]},
        follow=True,
    )

    assert google.calls == [("POST", f"/calendars/{INTERNAL}/events")]
    assert "1 event synced to Google Calendar." in response.content.decode()
    assert CalendarEntry.objects.get().state == "synced"


def test_sync_now_reports_a_failure_in_plain_words(google, staff_client, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(error(404, "notFound", "Not Found"))
    response = staff_client.post(
        reverse(CHANGELIST),
        {"action": "sync_to_google_calendar_now", "_selected_action": [event.pk]},
        follow=True,
    )
    assert "not shared with tdc-sync@tdc-venue.iam.gserviceaccount.com" in (
        response.content.decode()
    )


def test_sync_now_without_settings_warns_and_calls_nothing(
    calendar_settings, staff_client, make_event
):
    calendar_settings.GOOGLE_CALENDAR_PUBLIC_ID = ""
    event = make_event()
    response = staff_client.post(
        reverse(CHANGELIST),
        {"action": "sync_to_google_calendar_now", "_selected_action": [event.pk]},
        follow=True,
    )
    assert "Google Calendar is not configured: set GOOGLE_CALENDAR_PUBLIC_ID." in (
        response.content.decode()
    )


@pytest.mark.parametrize("view", ["changelist", "change"])
def test_the_entries_admin_is_read_only_and_loads(
    calendar_settings, staff_client, make_event, view
):
    event = make_event()
    item = entry(event, "internal", "failed", last_error="boom")
    args = [item.pk] if view == "change" else []
    page = staff_client.get(reverse(f"admin:google_calendar_calendarentry_{view}", args=args))
    assert page.status_code == 200
    assert "boom" in page.content.decode()
    assert staff_client.get(reverse("admin:google_calendar_calendarentry_add")).status_code == 403


def test_an_entry_of_a_deleted_event_still_shows(calendar_settings, staff_client, make_event):
    event = make_event()
    entry(event, "internal", "removed")
    event.delete()
    page = staff_client.get(reverse("admin:google_calendar_calendarentry_changelist"))
    assert page.status_code == 200
    assert "Luna Sparrow Live" in page.content.decode()


def test_retrying_from_the_entries_admin(google, staff_client, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    item = entry(event, "internal", "failed", last_error="HTTP 503")
    google.respond(answer(200, {**event_body(event), "etag": '"2"'}))
    response = staff_client.post(
        reverse("admin:google_calendar_calendarentry_changelist"),
        {"action": "sync_again_now", "_selected_action": [item.pk]},
        follow=True,
    )
    assert "1 synced, 0 failed." in response.content.decode()
    item.refresh_from_db()
    assert (item.state, item.last_error) == ("synced", "")


def test_view_only_staff_cannot_push_to_google(google, client, django_user_model, make_event):
    viewer = django_user_model.objects.create_user(
        username="viewer", password="pw-for-tests", is_staff=True
    )
    viewer.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(viewer)
    event = make_event(audience=Event.Audience.STAFF)

    response = client.get(reverse(CHANGELIST))
    page = response.content.decode()
    client.post(
        reverse(CHANGELIST),
        {"action": "sync_to_google_calendar_now", "_selected_action": [event.pk]},
    )

    assert response.status_code == 200 and event.title in page
    assert "sync_to_google_calendar_now" not in page
    assert google.requests == [] and google.token_requests == []
    assert not CalendarEntry.objects.exists()


def test_the_event_page_shows_when_it_was_pushed_in_the_venue_zone(
    calendar_settings, staff_client, make_event
):
    event = make_event(audience=Event.Audience.STAFF)
    pushed = datetime(2026, 11, 20, 17, 5, 42, 123456, tzinfo=UTC)
    entry(event, "internal", "synced", synced_at=pushed)

    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()

    assert "<td>Fri 20 Nov 2026, 18:05 CET</td>" in html
    assert "17:05:42.123456" not in html


def test_the_event_page_names_a_calendar_the_event_still_waits_for(
    calendar_settings, staff_client, make_event
):
    event = make_event()  # public: belongs on both calendars
    entry(event, "internal", "synced")

    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()

    assert "<td>Staff calendar</td><td>Synced</td>" in html
    assert "<td>Public calendar</td><td>Waiting to sync</td><td>never</td>" in html


def test_the_event_page_of_a_draft_says_it_is_on_no_calendar(
    calendar_settings, staff_client, make_event
):
    event = make_event(status=Event.Status.DRAFT)
    html = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "On no calendar." in html


def test_sync_now_on_many_events_queues_forced_syncs_instead_of_calling_google(
    google, staff_client, make_event
):
    events = [make_event(audience=Event.Audience.STAFF) for _ in range(SYNC_NOW_LIMIT + 1)]
    OrmQ.objects.all().delete()

    response = staff_client.post(
        reverse(CHANGELIST),
        {"action": "sync_to_google_calendar_now", "_selected_action": [e.pk for e in events]},
        follow=True,
    )

    assert google.requests == [] and google.token_requests == []
    queued = sorted((q.task["func"], q.task["args"], q.task["kwargs"]) for q in OrmQ.objects.all())
    assert queued == sorted((SYNC_TASK, (e.pk,), {"force": True}) for e in events)
    assert f"{SYNC_NOW_LIMIT + 1} events queued for Google Calendar" in response.content.decode()


def test_the_queued_forced_sync_pushes_an_unchanged_event(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    body = event_body(event)
    google.respond(answer(200, {**body, "etag": '"1"'}))
    sync_event(event_id=event.pk)
    google.respond(answer(200, {**body, "etag": '"2"'}), token=False)

    assert tasks.sync_event(event.pk, force=True) == f"event {event.pk}: internal: updated"
    assert google.calls[-1] == ("PUT", f"/calendars/{INTERNAL}/events/{google_event_id(event)}")
