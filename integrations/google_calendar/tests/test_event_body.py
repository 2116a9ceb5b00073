import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from events.models import Event
from integrations.google_calendar.sync import belongs_on, body_hash, event_body, google_event_id

ROME = ZoneInfo("Europe/Rome")
UTC = ZoneInfo("UTC")
BASE32HEX = re.compile(r"^[a-v0-9]{5,1024}$")


def test_the_body_carries_title_artists_slurl_url_location_zone_and_our_id(make_event, settings):
    settings.SITE_URL = "https://tdc.example.org"
    event = make_event(
        title="Luna Sparrow Live",
        description="An evening of jazz standards.",
        url="https://tdc.example.org/events/luna",
        artists=["Luna Sparrow", "Max Groove"],
    )
    assert event_body(event) == {
        "id": google_event_id(event),
        "summary": "Luna Sparrow Live",
        "description": (
            "An evening of jazz standards.\n\n"
            "Artists: Luna Sparrow, Max Groove\n"
            "In Second Life: https://maps.secondlife.com/secondlife/Dreamers%20Cave/128/64/22\n"
            "More: https://tdc.example.org/events/luna"
        ),
        "location": "Main Stage",
        "start": {"dateTime": "2026-12-05T21:00:00+01:00", "timeZone": "Europe/Rome"},
        "end": {"dateTime": "2026-12-05T22:30:00+01:00", "timeZone": "Europe/Rome"},
        "status": "confirmed",
        "extendedProperties": {
            "private": {"tdcEventId": str(event.pk), "tdcSite": "https://tdc.example.org"}
        },
    }


def test_times_across_the_spring_dst_change_keep_their_wall_clock_and_zone(make_event):
    # Europe/Rome moves from +01:00 to +02:00 at 02:00 on 29 March 2026.
    start = datetime(2026, 3, 28, 23, 30, tzinfo=ROME).astimezone(UTC)
    event = make_event(start_time=start, end_time=start + timedelta(hours=4))
    body = event_body(event)
    assert body["start"] == {"dateTime": "2026-03-28T23:30:00+01:00", "timeZone": "Europe/Rome"}
    # Four real hours later is 04:30 local: the clock skipped an hour.
    assert body["end"] == {"dateTime": "2026-03-29T04:30:00+02:00", "timeZone": "Europe/Rome"}


def test_an_event_in_second_life_time_is_sent_in_that_zone(make_event):
    start = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/Los_Angeles")).astimezone(UTC)
    event = make_event(
        start_time=start, end_time=start + timedelta(hours=1), timezone="America/Los_Angeles"
    )
    body = event_body(event)
    # 1 November 2026 is the autumn change in Los Angeles: 01:30 happens twice; ours is PDT.
    assert body["start"] == {
        "dateTime": "2026-11-01T01:30:00-07:00",
        "timeZone": "America/Los_Angeles",
    }
    assert body["end"] == {
        "dateTime": "2026-11-01T01:30:00-08:00",
        "timeZone": "America/Los_Angeles",
    }


def test_google_event_ids_use_only_base32hex_and_differ_between_events(make_event):
    first, second = make_event(), make_event()
    assert BASE32HEX.match(google_event_id(first))
    assert google_event_id(first) != google_event_id(second)
    assert google_event_id(first) == google_event_id(Event.objects.get(pk=first.pk))


def test_a_rebuilt_database_reusing_a_pk_gets_a_different_google_id(make_event):
    event = make_event()
    old_id = google_event_id(event)
    event.created_at = event.created_at + timedelta(days=400)
    assert google_event_id(event) != old_id


def test_which_calendars_an_event_belongs_on(make_event):
    public = make_event()
    staff = make_event(audience=Event.Audience.STAFF)
    draft = make_event(status=Event.Status.DRAFT)
    cancelled = make_event(status=Event.Status.CANCELLED)
    assert [belongs_on(public, c) for c in ("internal", "public")] == [True, True]
    assert [belongs_on(staff, c) for c in ("internal", "public")] == [True, False]
    assert [belongs_on(draft, c) for c in ("internal", "public")] == [False, False]
    assert [belongs_on(cancelled, c) for c in ("internal", "public")] == [False, False]
    assert [belongs_on(None, c) for c in ("internal", "public")] == [False, False]


def test_the_hash_changes_with_any_visible_change_and_only_then(make_event):
    event = make_event()
    before = body_hash(event_body(event))
    assert body_hash(event_body(Event.objects.get(pk=event.pk))) == before
    event.title = "Luna Sparrow Live (encore)"
    assert body_hash(event_body(event)) != before
