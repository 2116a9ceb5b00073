"""One event's sync: the exact requests Google receives, and what is recorded for staff."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events.models import Event
from integrations import http
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.sync import belongs_on, event_body, google_event_id, sync_event
from integrations.google_calendar.tests.conftest import (
    ACCOUNT,
    INTERNAL,
    PUBLIC,
    answer,
    error,
)
from integrations.http import NotConfigured
from integrations.models import IntegrationLog


def saved(body: dict, etag: str = '"1"') -> tuple:
    return answer(200, {"kind": "calendar#event", "etag": etag, **body})


def entries(event_id: int) -> dict[str, tuple[str, str]]:
    return {
        e.calendar: (e.state, e.last_error) for e in CalendarEntry.objects.filter(event_id=event_id)
    }


def synced(google, event, *, etag='"1"') -> None:
    """Bring the event onto its calendars (an insert each) and forget those requests."""
    body = event_body(event)
    calendars = [c for c in ("internal", "public") if belongs_on(event, c)]
    google.respond(*[saved(body, etag) for _ in calendars])
    sync_event(event_id=event.pk)
    assert google.unused == 0
    google.mock.request_sequence.clear()


def test_a_new_public_event_is_inserted_on_both_calendars_with_its_own_id(google, make_event):
    event = make_event()
    body = event_body(event)
    google.respond(saved(body, '"a"'), saved(body, '"b"'))

    result = sync_event(event_id=event.pk)

    assert google.calls == [
        ("POST", f"/calendars/{INTERNAL}/events"),
        ("POST", f"/calendars/{PUBLIC}/events"),
    ]
    assert [r.body for r in google.requests] == [body, body]
    assert google.requests[0].body["id"] == google_event_id(event)
    assert result.outcomes == {"internal": "inserted", "public": "inserted"}
    internal = CalendarEntry.objects.get(event=event, calendar="internal")
    assert (internal.state, internal.etag, internal.calendar_id) == ("synced", '"a"', INTERNAL)
    assert internal.google_event_id == google_event_id(event)
    assert internal.synced_at is not None


def test_the_service_account_signs_in_once_with_a_jwt_grant(google, make_event):
    event = make_event()
    body = event_body(event)
    google.respond(saved(body), saved(body))
    sync_event(event_id=event.pk)
    (token,) = google.token_requests
    assert token.method == "POST"
    assert token.body["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    assert token.body["assertion"][0].count(".") == 2  # a signed JWT
    assert [r.method for r in google.requests] == ["POST", "POST"]


def test_a_staff_only_event_goes_to_the_internal_calendar_only(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(saved(event_body(event)))
    sync_event(event_id=event.pk)
    assert google.calls == [("POST", f"/calendars/{INTERNAL}/events")]
    assert entries(event.pk) == {"internal": ("synced", "")}


def test_a_draft_is_sent_nowhere_and_costs_nothing(google, make_event):
    event = make_event(status=Event.Status.DRAFT)
    result = sync_event(event_id=event.pk)
    assert google.requests == [] and google.token_requests == []
    assert result.outcomes == {}
    assert not CalendarEntry.objects.exists()


def test_redundant_task_makes_no_api_call(google, make_event):
    event = make_event()
    synced(google, event)
    event.save()  # saved again with no visible change
    result = sync_event(event_id=event.pk)
    assert google.requests == [] and google.token_requests == []
    assert result.outcomes == {"internal": "unchanged", "public": "unchanged"}


def test_an_edit_updates_both_calendars_in_place(google, make_event):
    event = make_event()
    synced(google, event)
    event.title = "Luna Sparrow Live — moved"
    event.start_time += timedelta(hours=1)
    event.end_time += timedelta(hours=1)
    event.save()
    body = event_body(event)
    google.respond(saved(body, '"2"'), saved(body, '"2"'), token=False)

    sync_event(event_id=event.pk)

    gid = google_event_id(event)
    assert google.calls == [
        ("PUT", f"/calendars/{INTERNAL}/events/{gid}"),
        ("PUT", f"/calendars/{PUBLIC}/events/{gid}"),
    ]
    assert google.requests[0].body["summary"] == "Luna Sparrow Live — moved"
    assert google.requests[0].body["start"] == {
        "dateTime": "2026-12-05T22:00:00+01:00",
        "timeZone": "Europe/Rome",
    }
    assert set(CalendarEntry.objects.values_list("etag", flat=True)) == {'"2"'}


def test_a_deleted_event_is_deleted_from_both_calendars(google, make_event):
    event = make_event()
    synced(google, event)
    event_id, gid = event.pk, google_event_id(event)
    event.delete()
    google.respond(answer(204), answer(204), token=False)

    result = sync_event(event_id=event_id)

    assert google.calls == [
        ("DELETE", f"/calendars/{INTERNAL}/events/{gid}"),
        ("DELETE", f"/calendars/{PUBLIC}/events/{gid}"),
    ]
    assert result.outcomes == {"internal": "deleted", "public": "deleted"}
    assert entries(event_id) == {"internal": ("removed", ""), "public": ("removed", "")}


def test_a_second_delete_task_makes_no_call(google, make_event):
    event = make_event()
    synced(google, event)
    event_id = event.pk
    event.delete()
    google.respond(answer(204), answer(204), token=False)
    sync_event(event_id=event_id)
    google.mock.request_sequence.clear()
    sync_event(event_id=event_id)
    assert google.requests == []


def test_a_delete_answered_410_means_already_gone(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(saved(event_body(event)))
    sync_event(event_id=event.pk)
    event_id = event.pk
    event.delete()
    google.respond(error(410, "deleted", "Resource has been deleted"), token=False)

    result = sync_event(event_id=event_id)

    assert result.outcomes == {"internal": "already gone"}
    assert entries(event_id) == {"internal": ("removed", "")}
    assert not result.failed


def test_a_delete_answered_404_checks_the_calendar_before_calling_it_gone(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(saved(event_body(event)))
    sync_event(event_id=event.pk)
    google.mock.request_sequence.clear()
    event_id, gid = event.pk, google_event_id(event)
    event.delete()
    google.respond(
        error(404, "notFound", "Not Found"),
        answer(200, {"kind": "calendar#calendar", "id": INTERNAL, "summary": "TDC staff"}),
        token=False,
    )

    result = sync_event(event_id=event_id)

    assert google.calls == [
        ("DELETE", f"/calendars/{INTERNAL}/events/{gid}"),
        ("GET", f"/calendars/{INTERNAL}"),
    ]
    assert result.outcomes == {"internal": "already gone"}


def test_switching_to_staff_only_leaves_the_public_calendar_only(google, make_event):
    event = make_event()
    synced(google, event)
    event.audience = Event.Audience.STAFF
    event.save()
    body = event_body(event)
    # The body is unchanged by the audience, so the internal calendar needs nothing.
    google.respond(answer(204), token=False)

    sync_event(event_id=event.pk)

    assert google.calls == [("DELETE", f"/calendars/{PUBLIC}/events/{google_event_id(event)}")]
    assert entries(event.pk) == {"internal": ("synced", ""), "public": ("removed", "")}
    assert CalendarEntry.objects.get(calendar="internal").body_hash  # still what Google has
    assert body["status"] == "confirmed"


def test_back_to_public_re_confirms_the_event_google_kept_as_cancelled(google, make_event):
    event = make_event()
    synced(google, event)
    event.audience = Event.Audience.STAFF
    event.save()
    google.respond(answer(204), token=False)
    sync_event(event_id=event.pk)
    google.mock.request_sequence.clear()
    event.audience = Event.Audience.PUBLIC
    event.save()
    body = event_body(event)
    google.respond(saved(body, '"3"'), token=False)

    result = sync_event(event_id=event.pk)

    gid = google_event_id(event)
    assert google.calls == [("PUT", f"/calendars/{PUBLIC}/events/{gid}")]
    assert google.requests[0].body == body and body["status"] == "confirmed"
    assert result.outcomes == {"internal": "unchanged", "public": "re-confirmed"}


def test_cancel_then_reschedule(google, make_event):
    event = make_event()
    synced(google, event)
    gid = google_event_id(event)
    event.status = Event.Status.CANCELLED
    event.save()
    google.respond(answer(204), answer(204), token=False)
    sync_event(event_id=event.pk)
    assert google.calls == [
        ("DELETE", f"/calendars/{INTERNAL}/events/{gid}"),
        ("DELETE", f"/calendars/{PUBLIC}/events/{gid}"),
    ]
    google.mock.request_sequence.clear()

    event.status = Event.Status.SCHEDULED
    event.save()
    body = event_body(event)
    google.respond(saved(body), saved(body), token=False)
    sync_event(event_id=event.pk)

    assert google.calls == [
        ("PUT", f"/calendars/{INTERNAL}/events/{gid}"),
        ("PUT", f"/calendars/{PUBLIC}/events/{gid}"),
    ]
    assert all(r.body["status"] == "confirmed" for r in google.requests)
    assert entries(event.pk) == {"internal": ("synced", ""), "public": ("synced", "")}


def test_a_re_created_event_gets_a_new_google_event_not_the_deleted_one(google, make_event):
    old = make_event(audience=Event.Audience.STAFF)
    google.respond(saved(event_body(old)))
    sync_event(event_id=old.pk)
    old_id, old_gid = old.pk, google_event_id(old)
    old.delete()
    google.respond(answer(204), token=False)
    sync_event(event_id=old_id)
    google.mock.request_sequence.clear()

    new = make_event(audience=Event.Audience.STAFF)
    google.respond(saved(event_body(new)), token=False)
    sync_event(event_id=new.pk)

    assert google.calls == [("POST", f"/calendars/{INTERNAL}/events")]
    assert google.requests[0].body["id"] == google_event_id(new) != old_gid
    assert entries(old_id) == {"internal": ("removed", "")}


def test_an_insert_answered_409_updates_the_existing_event(google, make_event):
    # An earlier attempt went through but its answer was lost (or Google kept it cancelled).
    event = make_event(audience=Event.Audience.STAFF)
    body = event_body(event)
    google.respond(
        error(409, "duplicate", "The requested identifier already exists."), saved(body, '"9"')
    )

    result = sync_event(event_id=event.pk)

    gid = google_event_id(event)
    assert google.calls == [
        ("POST", f"/calendars/{INTERNAL}/events"),
        ("PUT", f"/calendars/{INTERNAL}/events/{gid}"),
    ]
    assert google.requests[1].body == body
    assert result.outcomes == {"internal": "updated (already existed)"}
    entry = CalendarEntry.objects.get()
    assert (entry.state, entry.etag) == ("synced", '"9"')


def test_an_update_answered_404_inserts_again(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    synced_body = event_body(event)
    google.respond(saved(synced_body))
    sync_event(event_id=event.pk)
    google.mock.request_sequence.clear()
    event.title = "Renamed"
    event.save()
    body = event_body(event)
    google.respond(error(404, "notFound", "Not Found"), saved(body), token=False)

    sync_event(event_id=event.pk)

    gid = google_event_id(event)
    assert google.calls == [
        ("PUT", f"/calendars/{INTERNAL}/events/{gid}"),
        ("POST", f"/calendars/{INTERNAL}/events"),
    ]


def test_429_and_500_are_retried_then_succeed(google, make_event, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 3
    event = make_event(audience=Event.Audience.STAFF)
    body = event_body(event)
    google.respond(
        error(429, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits"),
        error(500, "backendError", "Backend Error"),
        saved(body),
    )

    result = sync_event(event_id=event.pk)

    assert google.calls == [("POST", f"/calendars/{INTERNAL}/events")] * 3
    assert result.outcomes == {"internal": "inserted"}
    log = list(
        IntegrationLog.objects.filter(service="google_calendar")
        .order_by("pk")
        .values_list("operation", "status_code", "outcome")
    )
    assert log == [
        ("events.insert", 429, "retried"),
        ("events.insert", 500, "retried"),
        ("events.insert", 200, "ok"),
    ]


def test_a_rate_limit_403_is_retried_and_honours_retry_after(
    google, make_event, settings, monkeypatch
):
    settings.INTEGRATION_HTTP_MAX_WAIT = 30
    waits = []
    monkeypatch.setattr(http, "sleep", waits.append)
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(
        error(403, "userRateLimitExceeded", domain="usageLimits", headers={"retry-after": "7"}),
        saved(event_body(event)),
    )
    sync_event(event_id=event.pk)
    assert waits == [7]
    assert len(google.requests) == 2


def test_retries_are_bounded_and_the_failure_is_recorded(google, make_event, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 3
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(*[error(503, "backendError")] * 3)

    result = sync_event(event_id=event.pk)

    assert len(google.requests) == 3
    assert result.failed
    entry = CalendarEntry.objects.get()
    assert entry.state == "failed"
    assert "HTTP 503" in entry.last_error
    assert google.unused == 0


def test_a_failed_entry_is_repaired_by_the_next_sync(google, make_event, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 1
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(error(503, "backendError"))
    sync_event(event_id=event.pk)
    google.mock.request_sequence.clear()
    # The insert may have gone through before the 503: inserting again answers 409.
    google.respond(error(409, "duplicate"), saved(event_body(event)), token=False)

    sync_event(event_id=event.pk)

    assert [m for m, _ in google.calls] == ["POST", "PUT"]
    assert entries(event.pk) == {"internal": ("synced", "")}


def test_a_calendar_not_shared_with_us_fails_at_once_with_the_fix(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(error(404, "notFound", "Not Found"))

    result = sync_event(event_id=event.pk)

    assert len(google.requests) == 1  # permanent: not retried
    entry = CalendarEntry.objects.get()
    assert entry.state == "failed"
    assert f"Calendar “{INTERNAL}” was not found, or it is not shared with {ACCOUNT}" in (
        entry.last_error
    )
    assert "Make changes to events" in entry.last_error
    assert result.errors["internal"] == entry.last_error
    assert IntegrationLog.objects.get().outcome == "failed"


def test_read_only_sharing_fails_with_the_fix(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(error(403, "requiredAccessLevel", "You need to have writer access"))
    sync_event(event_id=event.pk)
    entry = CalendarEntry.objects.get()
    assert entry.state == "failed"
    assert f"{ACCOUNT} may not change events on calendar “{INTERNAL}”" in entry.last_error
    assert len(google.requests) == 1


def test_refused_credentials_fail_without_retry_and_say_what_to_do(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(
        answer(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}),
        token=False,
    )

    result = sync_event(event_id=event.pk)

    assert google.requests == [] and len(google.token_requests) == 1
    assert "refused the service-account credentials" in result.errors["internal"]
    assert "ya29" not in result.errors["internal"]


def test_the_access_token_never_reaches_the_call_log(google, make_event):
    event = make_event()
    body = event_body(event)
    google.respond(saved(body), error(500, "backendError"), saved(body))
    sync_event(event_id=event.pk)
    logged = " ".join(f"{r.target} {r.error}" for r in IntegrationLog.objects.all())
    assert "ya29.test-token" not in logged
    assert IntegrationLog.objects.count() == 3


def test_without_settings_the_sync_is_not_configured(settings, make_event):
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = ""
    event = make_event()
    with pytest.raises(NotConfigured) as skip:
        sync_event(event_id=event.pk)
    assert "GOOGLE_CALENDAR_CREDENTIALS_PATH" in skip.value.message
    assert not CalendarEntry.objects.exists()


def test_a_changed_calendar_id_pushes_to_the_new_calendar(google, make_event, settings):
    event = make_event(audience=Event.Audience.STAFF)
    synced(google, event)
    settings.GOOGLE_CALENDAR_INTERNAL_ID = "new-staff@group.calendar.google.com"
    google.respond(saved(event_body(event)), token=False)

    sync_event(event_id=event.pk)

    assert google.calls == [("POST", "/calendars/new-staff@group.calendar.google.com/events")]
    assert CalendarEntry.objects.get().calendar_id == "new-staff@group.calendar.google.com"


def test_forced_sync_pushes_an_unchanged_event(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    synced(google, event)
    google.respond(saved(event_body(event)), token=False)
    sync_event(event_id=event.pk, force=True)
    assert google.calls == [("PUT", f"/calendars/{INTERNAL}/events/{google_event_id(event)}")]


def test_an_event_across_the_autumn_dst_change_is_sent_with_both_offsets(google, make_event):
    # Europe/Rome goes back from +02:00 to +01:00 at 03:00 on 25 October 2026.
    start = datetime(2026, 10, 24, 23, 0, tzinfo=ZoneInfo("UTC"))  # 01:00 CEST on the 25th
    event = make_event(
        audience=Event.Audience.STAFF, start_time=start, end_time=start + timedelta(hours=3)
    )
    google.respond(saved(event_body(event)))

    sync_event(event_id=event.pk)

    (sent,) = google.requests
    assert (sent.method, sent.path) == ("POST", f"/calendars/{INTERNAL}/events")
    assert sent.body["start"] == {
        "dateTime": "2026-10-25T01:00:00+02:00",
        "timeZone": "Europe/Rome",
    }
    assert sent.body["end"] == {"dateTime": "2026-10-25T03:00:00+01:00", "timeZone": "Europe/Rome"}


def test_a_broken_key_file_fails_with_what_to_do_and_calls_nothing(
    google, make_event, credentials_file
):
    credentials_file.write_text('{"type": "service_account", "client_email": "x@y"}')
    event = make_event(audience=Event.Audience.STAFF)

    result = sync_event(event_id=event.pk)

    assert google.requests == [] and google.token_requests == []
    assert "cannot be used" in result.errors["internal"]
    assert "GOOGLE_CALENDAR_CREDENTIALS_PATH" in result.errors["internal"]
    assert CalendarEntry.objects.get().state == "failed"


def test_an_event_deleted_by_hand_on_google_fails_alone_with_what_to_do(google, make_event):
    # Deleted in Google Calendar's UI it sits in the trash: its id answers 409 to an insert and
    # 403 "forbidden" to an update. The entry says how to bring it back.
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(error(409, "duplicate"), error(403, "forbidden", "Forbidden"))

    result = sync_event(event_id=event.pk)

    assert [m for m, _ in google.calls] == ["POST", "PUT"]  # refused at once, not retried
    entry = CalendarEntry.objects.get()
    assert entry.state == "failed"
    assert "restore it from the calendar's Trash" in entry.last_error
    assert "or cancel the event here" in entry.last_error
    assert result.errors["internal"] == entry.last_error


def test_read_only_sharing_answered_to_an_update_names_the_sharing_fix(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    synced(google, event)
    event.title = "Renamed"
    event.save()
    google.respond(
        error(403, "requiredAccessLevel", "You need to have writer access to this calendar."),
        token=False,
    )

    sync_event(event_id=event.pk)

    entry = CalendarEntry.objects.get()
    assert f"{ACCOUNT} may not change events on calendar “{INTERNAL}”" in entry.last_error
    assert "Trash" not in entry.last_error


def test_the_daily_quota_used_up_is_not_mistaken_for_a_sharing_problem(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(error(403, "dailyLimitExceeded", "Daily Limit Exceeded", domain="usageLimits"))

    sync_event(event_id=event.pk)

    entry = CalendarEntry.objects.get()
    assert "daily Calendar API quota" in entry.last_error
    assert "sharing" not in entry.last_error
    assert len(google.requests) == 1


def test_an_edit_across_the_spring_dst_change_keeps_the_wall_clock_time(google, make_event):
    # A Saturday show at 21:00 Rome time moves one week on, past the change to summer time.
    start = datetime(2026, 3, 28, 21, 0, tzinfo=ZoneInfo("Europe/Rome"))
    event = make_event(start_time=start, end_time=start + timedelta(hours=2))
    synced(google, event)
    event.start_time = datetime(2026, 4, 4, 21, 0, tzinfo=ZoneInfo("Europe/Rome"))
    event.end_time = event.start_time + timedelta(hours=2)
    event.save()
    google.respond(saved(event_body(event)), saved(event_body(event)), token=False)

    sync_event(event_id=event.pk)

    gid = google_event_id(event)
    assert google.calls == [
        ("PUT", f"/calendars/{INTERNAL}/events/{gid}"),
        ("PUT", f"/calendars/{PUBLIC}/events/{gid}"),
    ]
    for sent in google.requests:
        assert sent.body["start"] == {
            "dateTime": "2026-04-04T21:00:00+02:00",
            "timeZone": "Europe/Rome",
        }
        assert sent.body["end"] == {
            "dateTime": "2026-04-04T23:00:00+02:00",
            "timeZone": "Europe/Rome",
        }


def test_tasks_that_arrive_after_the_event_was_deleted_make_no_call(google, make_event):
    # Created and deleted before the worker ran: the create's task and the delete's task both
    # find nothing to do, in whichever order they run.
    event = make_event()
    event_id = event.pk
    event.delete()

    first, second = sync_event(event_id=event_id), sync_event(event_id=event_id)

    assert google.requests == [] and google.token_requests == []
    assert first.outcomes == second.outcomes == {}
    assert not CalendarEntry.objects.exists()
