"""The calendar feeds, read back with two independent parsers (icalendar and ics)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import ics
import pytest
from django.utils import timezone

from events.models import Artist, Event, Location
from events.services import (
    calendar_feed_token_renew,
    calendar_feed_token_revoke,
    event_set_artists,
)

ROME = ZoneInfo("Europe/Rome")
SLT = ZoneInfo("America/Los_Angeles")


def soon(days: int = 3, hour: int = 20) -> datetime:
    day = timezone.now().astimezone(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def text(value) -> str:
    raw = value.to_ical()
    return raw.decode() if isinstance(raw, bytes) else raw


def parse_both(body: bytes) -> tuple[icalendar.Calendar, ics.Calendar]:
    text = body.decode()
    return icalendar.Calendar.from_ical(text), ics.Calendar(text)


def vevents(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(entry["UID"]): entry for entry in calendar.walk("VEVENT")}


def feed(client, url: str = "/events.ics"):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


@pytest.fixture
def settings_site(settings):
    settings.SITE_URL = "https://tdc.example.org"
    return settings


def test_the_public_feed_describes_each_event_fully(client, make_event, settings_site):
    artist = Artist.objects.create(name="Luna Sparrow", link="https://luna.example.org/")
    event = make_event(
        title="Luna Sparrow Live",
        title_it="Luna Sparrow dal vivo",
        description="Songs under the stars.",
        start_time=soon(),
        artists=[],
    )
    event_set_artists(event=event, artists=[artist])
    cal, other = parse_both(feed(client).content)
    assert str(cal["X-WR-CALNAME"]) == "The Dreamer's Cave"
    assert cal["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in feed(client).content
    entry = vevents(cal)[f"tdc-event-{event.pk}@thedreamerscave"]
    assert str(entry["SUMMARY"]) == "Luna Sparrow Live"
    assert entry.decoded("DTSTART") == event.start_time
    assert entry.decoded("DTEND") == event.end_time
    assert entry["DTSTART"].params["TZID"] == "Europe/Rome"
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert str(entry["URL"]) == f"https://tdc.example.org/events/{event.pk}/"
    description = str(entry["DESCRIPTION"])
    assert "Songs under the stars." in description
    assert "Luna Sparrow dal vivo" in description
    assert "- Luna Sparrow https://luna.example.org/" in description
    assert "https://maps.secondlife.com/secondlife/Dreamers%20Cave/128/64/22" in description
    assert "Main Stage" in str(entry["LOCATION"])
    assert {"DTSTAMP", "LAST-MODIFIED", "SEQUENCE"} <= set(entry.keys())
    # The second parser agrees on what subscribers see.
    (parsed,) = other.events
    assert parsed.uid == f"tdc-event-{event.pk}@thedreamerscave"
    assert parsed.name == "Luna Sparrow Live"
    assert parsed.begin.datetime == event.start_time
    assert parsed.end.datetime == event.end_time
    assert parsed.url == f"https://tdc.example.org/events/{event.pk}/"


def test_drafts_and_staff_only_events_are_never_in_the_public_feed(client, make_event):
    public = make_event(start_time=soon())
    make_event(title="Draft", status=Event.Status.DRAFT, start_time=soon())
    make_event(title="Staff meeting", audience=Event.Audience.STAFF, start_time=soon())
    cal, other = parse_both(feed(client).content)
    assert list(vevents(cal)) == [f"tdc-event-{public.pk}@thedreamerscave"]
    assert [e.name for e in other.events] == ["Luna Sparrow Live"]


@pytest.mark.django_db(transaction=True)
def test_the_uid_stays_and_the_sequence_rises_when_subscribers_see_a_change(client, make_event):
    event = make_event(start_time=soon())
    uid = f"tdc-event-{event.pk}@thedreamerscave"

    def sequence() -> int:
        cal, other = parse_both(feed(client).content)
        (parsed,) = other.events
        assert parsed.uid == uid and list(vevents(cal)) == [uid]
        return int(vevents(cal)[uid]["SEQUENCE"])

    first = sequence()
    event = Event.objects.get(pk=event.pk)
    event.title = "Luna Sparrow Unplugged"
    event.save()
    after_title = sequence()
    assert after_title > first

    event.start_time += timedelta(hours=1)
    event.end_time += timedelta(hours=1)
    event.save()
    after_time = sequence()
    assert after_time > after_title

    event_set_artists(event=event, artists=[Artist.objects.create(name="Nox")])
    after_line_up = sequence()
    assert after_line_up == after_time + 1  # one change, one step, though rows came and went

    location = Location.objects.get(pk=event.location_id)
    location.name = "The Grotto"
    location.save()
    assert sequence() == after_line_up + 1


def test_a_save_that_changes_nothing_subscribers_see_keeps_the_sequence(client, make_event):
    event = Event.objects.get(pk=make_event(start_time=soon()).pk)
    event.poster = "posters/new.jpg"  # not in the calendar entry
    event.save()
    event.save()
    assert Event.objects.get(pk=event.pk).ical_sequence == 0


def test_a_cancelled_event_stays_in_the_feed_as_cancelled_for_30_days(client, make_event):
    event = Event.objects.get(pk=make_event(start_time=soon()).pk)
    event.status = Event.Status.CANCELLED
    event.save()
    cal, other = parse_both(feed(client).content)
    entry = vevents(cal)[f"tdc-event-{event.pk}@thedreamerscave"]
    assert str(entry["STATUS"]) == "CANCELLED"
    assert int(entry["SEQUENCE"]) == 1
    assert [parsed.status for parsed in other.events] == ["CANCELLED"]

    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now() - timedelta(days=31))
    cal, _ = parse_both(feed(client).content)
    assert vevents(cal) == {}


def offset_at(vtimezone: icalendar.Timezone, local: datetime) -> timedelta:
    """The UTC offset the feed's own VTIMEZONE gives a local wall time (not the system's)."""
    return local.replace(tzinfo=vtimezone.to_tz()).utcoffset()


@pytest.mark.parametrize(
    ("zone", "before", "after", "offsets"),
    [
        # Rome springs forward on 28 March 2027, Second Life's clock on 14 March 2027.
        ("Europe/Rome", datetime(2027, 3, 27, 21), datetime(2027, 3, 28, 21), ("+0100", "+0200")),
        (
            "America/Los_Angeles",
            datetime(2027, 3, 13, 12),
            datetime(2027, 3, 14, 12),
            ("-0800", "-0700"),
        ),
        # And back in the autumn.
        ("Europe/Rome", datetime(2027, 10, 30, 21), datetime(2027, 10, 31, 21), ("+0200", "+0100")),
        (
            "America/Los_Angeles",
            datetime(2027, 11, 6, 12),
            datetime(2027, 11, 7, 12),
            ("-0700", "-0800"),
        ),
    ],
)
def test_vtimezone_offsets_are_right_on_both_sides_of_a_dst_change(
    client, make_event, zone, before, after, offsets
):
    tz = ZoneInfo(zone)
    events = [
        make_event(title=f"Night {n}", start_time=local.replace(tzinfo=tz), timezone=zone)
        for n, local in enumerate((before, after))
    ]
    cal, other = parse_both(feed(client).content)
    (vtimezone,) = [tz for tz in cal.walk("VTIMEZONE") if str(tz["TZID"]) == zone]
    changes = [
        part
        for part in vtimezone.subcomponents
        if text(part["TZOFFSETFROM"]) != text(part["TZOFFSETTO"])
    ]
    assert any(
        (text(part["TZOFFSETFROM"]), text(part["TZOFFSETTO"])) == offsets
        and before < part.decoded("DTSTART") < after
        for part in changes
    )
    for event, local in zip(events, (before, after), strict=True):
        assert offset_at(vtimezone, local) == local.replace(tzinfo=tz).utcoffset()
        entry = vevents(cal)[f"tdc-event-{event.pk}@thedreamerscave"]
        assert entry["DTSTART"].params["TZID"] == zone
        assert text(entry["DTSTART"]) == local.strftime("%Y%m%dT%H%M%S")
    # ics resolves the TZID through the feed's VTIMEZONE: same instants.
    assert sorted(parsed.begin.datetime for parsed in other.events) == [
        event.start_time for event in events
    ]


def test_the_spring_forward_onset_is_the_wall_time_before_the_change(client, make_event):
    make_event(start_time=datetime(2027, 3, 28, 21, tzinfo=ROME), timezone="Europe/Rome")
    cal, _ = parse_both(feed(client).content)
    (vtimezone,) = cal.walk("VTIMEZONE")
    spring = [
        part.decoded("DTSTART")
        for part in vtimezone.walk("DAYLIGHT")
        if part.decoded("DTSTART").year == 2027
    ]
    assert spring == [datetime(2027, 3, 28, 2, 0)]  # RFC 5545: 02:00 CET becomes 03:00 CEST


def test_the_feed_answers_304_while_nothing_changed(client, make_event):
    event = make_event(start_time=soon())
    first = feed(client)
    assert first["ETag"] and first["Last-Modified"]
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    again = client.get("/events.ics", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get("/events.ics", headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304

    Event.objects.filter(pk=event.pk).update(
        title="Changed", updated_at=timezone.now() + timedelta(seconds=2)
    )
    changed = client.get("/events.ics", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and b"SUMMARY:Changed" in changed.content


@pytest.mark.parametrize("first_visitor", ["it", "en"])
def test_the_feed_is_in_english_whoever_asks_first(client, make_event, first_visitor):
    # The built feed is kept for every visitor: an Italian first reader must not make it Italian.
    make_event(start_time=soon())
    client.get("/events.ics", headers={"accept-language": first_visitor})

    for language in ("en", "it"):
        response = client.get("/events.ics", headers={"accept-language": language})
        cal = icalendar.Calendar.from_ical(response.content)
        assert str(cal["X-WR-CALDESC"]) == "Live music in Second Life at The Dreamer's Cave."
        assert response["Content-Language"] == "en"


def test_the_staff_feed_is_in_english_too(client, make_event, staff_user):
    make_event(start_time=soon())
    token = calendar_feed_token_renew(user=staff_user).token

    response = client.get(f"/events/staff/{token}.ics", headers={"accept-language": "it"})

    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal["X-WR-CALDESC"]) == "Every scheduled event, staff-only ones included."
    assert response["Content-Language"] == "en"


def test_the_feed_costs_a_fixed_number_of_queries(
    client, make_event, django_assert_max_num_queries
):
    for n in range(12):
        make_event(title=f"Night {n}", start_time=soon(days=n + 1), artists=[f"A{n}", f"B{n}"])
    with django_assert_max_num_queries(3):
        feed(client)


def test_each_event_has_its_own_calendar_file(client, make_event):
    event = make_event(start_time=soon(), description="Songs.")
    response = feed(client, f"/events/{event.pk}.ics")
    cal, other = parse_both(response.content)
    assert list(vevents(cal)) == [f"tdc-event-{event.pk}@thedreamerscave"]
    assert [e.uid for e in other.events] == [f"tdc-event-{event.pk}@thedreamerscave"]
    assert len(cal.walk("VTIMEZONE")) == 1
    again = client.get(f"/events/{event.pk}.ics", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "fields", [{"status": Event.Status.DRAFT}, {"audience": Event.Audience.STAFF}]
)
def test_no_calendar_file_for_drafts_or_staff_events(client, make_event, fields):
    event = make_event(start_time=soon(), **fields)
    assert client.get(f"/events/{event.pk}.ics").status_code == 404


# --- the staff feed -----------------------------------------------------------------------------


def test_the_staff_feed_has_staff_only_events_too(client, make_event, staff_user):
    public = make_event(start_time=soon())
    staff_only = make_event(title="Sound check", audience=Event.Audience.STAFF, start_time=soon())
    make_event(title="Draft", status=Event.Status.DRAFT, start_time=soon())
    token = calendar_feed_token_renew(user=staff_user).token
    response = feed(client, f"/events/staff/{token}.ics")
    assert "private" in response["Cache-Control"]
    cal, other = parse_both(response.content)
    assert set(vevents(cal)) == {
        f"tdc-event-{public.pk}@thedreamerscave",
        f"tdc-event-{staff_only.pk}@thedreamerscave",
    }
    assert sorted(e.name for e in other.events) == ["Luna Sparrow Live", "Sound check"]
    again = client.get(f"/events/staff/{token}.ics", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert token not in response["ETag"]


def test_a_wrong_renewed_or_revoked_token_is_not_found(client, make_event, staff_user):
    make_event(start_time=soon())
    old = calendar_feed_token_renew(user=staff_user).token
    assert client.get("/events/staff/not-a-token.ics").status_code == 404
    new = calendar_feed_token_renew(user=staff_user).token
    assert new != old
    assert client.get(f"/events/staff/{old}.ics").status_code == 404
    assert client.get(f"/events/staff/{new}.ics").status_code == 200
    assert calendar_feed_token_revoke(user=staff_user) is True
    assert client.get(f"/events/staff/{new}.ics").status_code == 404


def test_an_account_no_longer_staff_loses_its_feed(client, make_event, staff_user):
    token = calendar_feed_token_renew(user=staff_user).token
    staff_user.is_staff = False
    staff_user.save()
    assert client.get(f"/events/staff/{token}.ics").status_code == 404


def test_reloading_an_event_is_not_a_change(make_event):
    event = Event.objects.get(pk=make_event(start_time=soon()).pk)
    Event.objects.filter(pk=event.pk).update(title="Edited elsewhere")
    event.refresh_from_db()
    event.save()
    assert Event.objects.get(pk=event.pk).ical_sequence == 0


def test_a_zone_without_dst_has_one_rule(client, make_event):
    make_event(start_time=soon(), timezone="Asia/Tokyo")
    cal, other = parse_both(feed(client).content)
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Asia/Tokyo"
    (rule,) = vtimezone.subcomponents
    assert (text(rule["TZOFFSETFROM"]), text(rule["TZOFFSETTO"])) == ("+0900", "+0900")
    assert [e.begin.datetime for e in other.events] == [soon()]
