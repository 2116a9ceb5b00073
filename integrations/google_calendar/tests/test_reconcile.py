"""`sync_calendars`: list our events on Google, plan the least work, carry it out."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_q.models import Schedule

from events.models import Event
from integrations.google_calendar import tasks
from integrations.google_calendar.client import CalendarClient
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.reconcile import Pacer, apply_plan, plan_reconcile
from integrations.google_calendar.sync import body_hash, event_body, google_event_id, sync_event
from integrations.google_calendar.tests.conftest import INTERNAL, PUBLIC, answer, error


def on_google(body: dict, **changes) -> dict:
    return {"kind": "calendar#event", "etag": '"e"', **body, **changes}


def page(*items, next_page: str = "") -> tuple:
    payload = {"kind": "calendar#events", "items": list(items)}
    if next_page:
        payload["nextPageToken"] = next_page
    return answer(200, payload)


@pytest.fixture
def venue(make_event):
    """Five situations the reconcile must tell apart."""
    in_step = make_event(title="In step")
    missing = make_event(title="Missing on public")
    staff_now = make_event(title="Staff only now", audience=Event.Audience.STAFF)
    deleted_on_google = make_event(title="Deleted on Google")
    gone_here = make_event(title="Deleted here")
    gone_body = event_body(gone_here)
    gone_here.delete()
    return {
        "in_step": in_step,
        "missing": missing,
        "staff_now": staff_now,
        "deleted_on_google": deleted_on_google,
        "gone_body": gone_body,
    }


def google_listing(venue) -> tuple[tuple, tuple]:
    body = {name: event_body(e) for name, e in venue.items() if isinstance(e, Event)}
    internal = page(
        on_google(body["in_step"]),
        on_google(body["missing"]),
        on_google(body["staff_now"], summary="Edited by hand on Google"),
        {"kind": "calendar#event", "id": body["deleted_on_google"]["id"], "status": "cancelled"},
        on_google(venue["gone_body"]),
    )
    public = page(
        on_google(body["in_step"]),
        on_google(body["staff_now"]),
        on_google(body["deleted_on_google"], status="cancelled"),
        on_google(venue["gone_body"]),
    )
    return internal, public


def test_the_plan_lists_each_calendar_and_names_every_change(google, venue):
    google.respond(*google_listing(venue))

    plan = plan_reconcile(client=CalendarClient.from_settings(), pacer=Pacer())

    lists = google.requests
    assert [r.call for r in lists] == [
        ("GET", f"/calendars/{INTERNAL}/events"),
        ("GET", f"/calendars/{PUBLIC}/events"),
    ]
    assert lists[0].query["privateExtendedProperty"] == ["tdcSite=https://tdc.example.org"]
    assert lists[0].query["showDeleted"] == ["true"]
    assert lists[0].query["maxResults"] == ["2500"]
    gid = {name: google_event_id(e) for name, e in venue.items() if isinstance(e, Event)}
    assert sorted((a.kind, a.calendar, a.google_event_id) for a in plan.actions) == sorted(
        [
            ("update", "internal", gid["staff_now"]),
            ("re-confirm", "internal", gid["deleted_on_google"]),
            ("delete", "internal", venue["gone_body"]["id"]),
            ("insert", "public", gid["missing"]),
            ("re-confirm", "public", gid["deleted_on_google"]),
            ("delete", "public", gid["staff_now"]),
            ("delete", "public", venue["gone_body"]["id"]),
        ]
    )
    reasons = {(a.kind, a.calendar, a.google_event_id): a.reason for a in plan.actions}
    assert reasons[("update", "internal", gid["staff_now"])] == "differs: summary"
    assert reasons[("delete", "public", venue["gone_body"]["id"])] == "deleted here"
    assert sorted((s.calendar, s.event.title) for s in plan.in_step) == [
        ("internal", "In step"),
        ("internal", "Missing on public"),
        ("public", "In step"),
    ]
    assert not CalendarEntry.objects.exists()  # planning changes nothing


def test_dry_run_prints_the_plan_and_changes_nothing(google, venue):
    google.respond(*google_listing(venue))
    out = StringIO()

    call_command("sync_calendars", "--dry-run", stdout=out)

    text = out.getvalue()
    assert "3 in step, 7 change(s) needed" in text
    assert "insert     Public calendar" in text and "“Missing on public”" in text
    assert "delete     Public calendar: unknown event" not in text
    assert "(deleted here)" in text
    assert "Dry run: nothing changed." in text
    assert [m for m, _ in google.calls] == ["GET", "GET"]
    assert not CalendarEntry.objects.exists()


def test_the_reconcile_makes_one_call_per_change_and_records_everything(google, venue):
    internal, public = google_listing(venue)
    bodies = {name: event_body(e) for name, e in venue.items() if isinstance(e, Event)}
    google.respond(
        internal,
        public,
        answer(200, on_google(bodies["staff_now"])),  # update internal
        answer(200, on_google(bodies["deleted_on_google"])),  # re-confirm internal
        answer(204),  # delete orphan internal
        answer(200, on_google(bodies["missing"])),  # insert public
        answer(200, on_google(bodies["deleted_on_google"])),  # re-confirm public
        answer(204),  # delete staff-only from public
        error(410, "deleted"),  # the orphan on public was already gone
    )
    out = StringIO()

    call_command("sync_calendars", stdout=out)

    methods = ["GET", "GET", "PUT", "PUT", "DELETE", "POST", "PUT", "DELETE", "DELETE"]
    assert [m for m, _ in google.calls] == methods
    assert google.requests[5].body == bodies["missing"]
    assert google.requests[3].body["status"] == "confirmed"
    assert "7 of 7 change(s) made with 7 call(s)" in out.getvalue()
    states = {
        (entry.event.title, entry.calendar): entry.state
        for entry in CalendarEntry.objects.select_related("event")
    }
    assert states == {
        ("In step", "internal"): "synced",
        ("In step", "public"): "synced",
        ("Missing on public", "internal"): "synced",
        ("Missing on public", "public"): "synced",
        ("Staff only now", "internal"): "synced",
        ("Deleted on Google", "internal"): "synced",
        ("Deleted on Google", "public"): "synced",
    }


def test_after_a_reconcile_a_redundant_task_makes_no_call(google, make_event):
    event = make_event()
    body = event_body(event)
    google.respond(page(on_google(body)), page(on_google(body)))
    call_command("sync_calendars", stdout=StringIO())
    google.mock.request_sequence.clear()

    result = sync_event(event_id=event.pk)

    assert google.requests == []
    assert result.outcomes == {"internal": "unchanged", "public": "unchanged"}


def test_a_long_listing_is_read_page_by_page(google, make_event):
    first, second = make_event(), make_event()
    google.respond(
        page(on_google(event_body(first)), next_page="p2"),
        page(on_google(event_body(second))),
        page(on_google(event_body(first)), on_google(event_body(second))),
    )
    plan = plan_reconcile(client=CalendarClient.from_settings())
    assert plan.actions == [] and plan.list_calls == 3
    assert google.requests[1].query["pageToken"] == ["p2"]


def test_events_google_shows_in_another_zone_offset_are_not_rewritten(google, make_event):
    event = make_event()
    body = event_body(event)
    # Google may answer with the same instant written in UTC.
    as_utc = {**body, "start": {**body["start"], "dateTime": "2026-12-05T20:00:00Z"}}
    google.respond(page(on_google(as_utc)), page(on_google(body)))
    plan = plan_reconcile(client=CalendarClient.from_settings())
    assert plan.actions == []


def test_a_calendar_that_cannot_be_listed_fails_the_command_with_the_fix(google, make_event):
    make_event()
    google.respond(error(404, "notFound", "Not Found"), error(404, "notFound", "Not Found"))
    with pytest.raises(CommandError, match=r"Could not list the staff calendar: .*not shared with"):
        call_command("sync_calendars", stdout=StringIO())
    assert not CalendarEntry.objects.exists()


def test_one_calendar_out_of_reach_does_not_keep_the_other_unrepaired(google, make_event):
    event = make_event()
    google.respond(
        error(404, "notFound", "Not Found"),  # the staff calendar is not shared with us
        page(),
        answer(200, on_google(event_body(event))),
    )
    err = StringIO()

    with pytest.raises(CommandError, match=r"Could not list the staff calendar: .*not shared"):
        call_command("sync_calendars", stdout=StringIO(), stderr=err)

    assert google.calls == [
        ("GET", f"/calendars/{INTERNAL}/events"),
        ("GET", f"/calendars/{PUBLIC}/events"),
        ("POST", f"/calendars/{PUBLIC}/events"),
    ]
    assert "Left alone: Could not list the staff calendar" in err.getvalue()
    assert list(CalendarEntry.objects.values_list("calendar", "state")) == [("public", "synced")]


def test_the_scheduled_reconcile_fails_when_a_calendar_is_out_of_reach(google, make_event):
    google.respond(page(), error(404, "notFound", "Not Found"))
    with pytest.raises(tasks.CalendarSyncFailed, match="Could not list the public calendar"):
        tasks.reconcile_calendars()


def test_without_settings_the_command_says_what_to_set(settings):
    settings.GOOGLE_CALENDAR_INTERNAL_ID = ""
    with pytest.raises(CommandError, match="GOOGLE_CALENDAR_INTERNAL_ID"):
        call_command("sync_calendars", stdout=StringIO())


def test_the_pacer_keeps_under_the_per_minute_quota():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    pacer = Pacer(limit=3, period=60, sleep=sleep)
    pacer.clock = lambda: now[0]
    for _ in range(3):
        pacer.wait()  # a burst within the limit costs no pause
    assert waits == []
    now[0] = 10.0
    pacer.wait()
    assert waits == [50.0]  # the fourth waits until the first is a minute old


def test_an_hourly_reconcile_is_scheduled(db):
    schedule = Schedule.objects.get(name="Reconcile the Google Calendars")
    assert (schedule.func, schedule.schedule_type) == (
        "integrations.google_calendar.tasks.reconcile_calendars",
        Schedule.HOURLY,
    )


def test_the_scheduled_reconcile_task_repairs_and_reports(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(page(), page(), answer(200, on_google(event_body(event))))
    assert tasks.reconcile_calendars() == "1 change(s) planned, 1 done"
    assert google.calls[-1] == ("POST", f"/calendars/{INTERNAL}/events")


def test_the_scheduled_reconcile_skips_without_settings(settings):
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = ""
    assert tasks.reconcile_calendars().startswith("skipped: Google Calendar is not configured")


def test_an_event_google_hides_after_deletion_is_re_confirmed_through_409(google, make_event):
    # If the listing leaves out a deleted event, the insert answers 409 and becomes an update.
    event = make_event(audience=Event.Audience.STAFF)
    body = event_body(event)
    google.respond(page(), page(), error(409, "duplicate"), answer(200, on_google(body)))

    call_command("sync_calendars", stdout=StringIO())

    gid = google_event_id(event)
    assert google.calls[2:] == [
        ("POST", f"/calendars/{INTERNAL}/events"),
        ("PUT", f"/calendars/{INTERNAL}/events/{gid}"),
    ]
    assert google.requests[3].body == body
    assert CalendarEntry.objects.get().state == "synced"


def test_a_long_run_shows_progress(google, make_event):
    events = [make_event(audience=Event.Audience.STAFF) for _ in range(30)]
    google.respond(page(), page(), *[answer(200, on_google(event_body(e))) for e in events])
    out = StringIO()

    call_command("sync_calendars", stdout=out)

    assert "  … 25/30" in out.getvalue()
    assert "30 of 30 change(s) made with 30 call(s)" in out.getvalue()


def test_a_refusal_stops_the_run_instead_of_failing_every_event(google, make_event):
    for _ in range(3):
        make_event(audience=Event.Audience.STAFF)
    google.respond(page(), page(), error(403, "forbidden", "You need to have writer access"))

    with pytest.raises(CommandError, match=r"Stopped early: .* may not change events"):
        call_command("sync_calendars", stdout=StringIO(), stderr=StringIO())

    assert len(google.requests) == 3  # two listings, one refused insert
    assert CalendarEntry.objects.filter(state="failed").count() == 1


def test_one_event_google_refuses_to_restore_does_not_stop_the_run(google, make_event):
    # The first event was deleted by hand in Google Calendar (in its trash): Google lists it as
    # cancelled and refuses the update that would restore it. The others are still carried out.
    trashed = make_event(title="Trashed by hand", audience=Event.Audience.STAFF)
    fine = make_event(title="Fine", audience=Event.Audience.STAFF)
    trashed_on_google = {"kind": "calendar#event", "id": google_event_id(trashed)}
    google.respond(
        page({**trashed_on_google, "status": "cancelled"}),
        page(),
        error(403, "forbidden", "Forbidden"),
        answer(200, on_google(event_body(fine))),
    )
    err = StringIO()

    with pytest.raises(CommandError, match="1 change\\(s\\) failed"):
        call_command("sync_calendars", stdout=StringIO(), stderr=err)

    gid = google_event_id(trashed)
    assert google.calls[2:] == [
        ("PUT", f"/calendars/{INTERNAL}/events/{gid}"),
        ("POST", f"/calendars/{INTERNAL}/events"),
    ]
    assert "restore it from the calendar's Trash" in err.getvalue()
    states = dict(CalendarEntry.objects.values_list("event__title", "state"))
    assert states == {"Trashed by hand": "failed", "Fine": "synced"}


def test_an_event_edited_after_planning_is_pushed_as_it_stands_now(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(page(), page())
    client = CalendarClient.from_settings()
    plan = plan_reconcile(client=client)
    event.title = "Renamed while the reconcile ran"
    event.save()
    body = event_body(event)
    google.respond(answer(200, on_google(body)), token=False)

    apply_plan(plan=plan, client=client)

    assert google.requests[-1].body == body
    entry = CalendarEntry.objects.get()
    assert (entry.state, entry.body_hash) == ("synced", body_hash(body))


def test_changes_no_longer_needed_after_planning_are_skipped(google, make_event):
    to_insert = make_event(title="Made a draft meanwhile", audience=Event.Audience.STAFF)
    to_delete = make_event(title="Scheduled again meanwhile", status=Event.Status.CANCELLED)
    on_internal = on_google(event_body(to_delete))
    google.respond(page(on_internal), page())
    client = CalendarClient.from_settings()
    plan = plan_reconcile(client=client)
    assert sorted(a.kind for a in plan.actions) == ["delete", "insert"]
    to_insert.status = Event.Status.DRAFT
    to_insert.save()
    to_delete.status = Event.Status.SCHEDULED
    to_delete.audience = Event.Audience.STAFF
    to_delete.save()

    outcome = apply_plan(plan=plan, client=client)

    assert google.calls == [
        ("GET", f"/calendars/{INTERNAL}/events"),
        ("GET", f"/calendars/{PUBLIC}/events"),
    ]
    assert (outcome.done, outcome.skipped, outcome.calls) == (0, 2, 0)
    assert not CalendarEntry.objects.exists()


def test_a_failure_left_on_an_event_that_is_gone_everywhere_is_cleared(google, make_event):
    # The insert failed in an outage, then the event was cancelled while Google was still out:
    # nothing is on Google and nothing should be. The entry must not show a failure for ever.
    event = make_event(audience=Event.Audience.STAFF, status=Event.Status.CANCELLED)
    CalendarEntry.objects.create(
        event=event,
        calendar="internal",
        calendar_id=INTERNAL,
        google_event_id=google_event_id(event),
        state="failed",
        last_error="HTTP 503 from Google Calendar (events.insert): Backend Error",
    )
    kept = make_event(title="Still wanted", audience=Event.Audience.STAFF)
    CalendarEntry.objects.create(
        event=kept,
        calendar="internal",
        calendar_id=INTERNAL,
        google_event_id=google_event_id(kept),
        state="failed",
        last_error="HTTP 503",
    )
    google.respond(
        page({"kind": "calendar#event", "id": google_event_id(event), "status": "cancelled"}),
        page(),
        answer(200, on_google(event_body(kept))),
    )

    call_command("sync_calendars", stdout=StringIO())

    assert google.calls[2:] == [("POST", f"/calendars/{INTERNAL}/events")]  # only the wanted one
    states = dict(CalendarEntry.objects.values_list("event__title", "state"))
    assert states == {"Luna Sparrow Live": "removed", "Still wanted": "synced"}
    assert CalendarEntry.objects.get(event=event).last_error == ""
