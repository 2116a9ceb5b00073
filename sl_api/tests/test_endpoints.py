"""What each panel endpoint answers, field by field, and which events it leaves out."""

from datetime import datetime, timedelta

import pytest

from events.models import Event
from sl_api.tests.conftest import ROME, SLT, UTC

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)  # 04:00 SLT


def at(hours: float) -> datetime:
    return NOW + timedelta(hours=hours)


def unix(moment: datetime) -> int:
    return int(moment.timestamp())


@pytest.fixture
def now(panel_clock):
    panel_clock.at = NOW
    return panel_clock


def test_upcoming_lists_public_scheduled_events_soonest_first_with_every_field(
    client, make_event, now
):
    later = make_event(title="Later", start_time=at(30), artists=["Ada", "Bo"])
    sooner = make_event(title="Sooner", start_time=at(2), event_type=Event.EventType.DJ_SET)

    body = client.get("/api/v1/sl/events").json()

    assert [event["id"] for event in body] == [sooner.pk, later.pk]
    assert body[0] == {
        "id": sooner.pk,
        "title": "Sooner",
        "date": "2026-12-05",
        "time": "06:00",  # 14:00 UTC in SLT (PST, UTC-8)
        "location": "Main Stage",
        "type": "dj_set",
        "slurl": "https://maps.secondlife.com/secondlife/Dreamers%20Cave/128/64/22",
        "start": unix(at(2)),
        "end": unix(at(3.5)),
        "artists": "Luna Sparrow",
    }
    assert body[1]["artists"] == "Ada, Bo"


def test_drafts_cancelled_and_staff_only_events_never_reach_a_panel(client, make_event, now):
    make_event(title="Draft", start_time=at(1), status=Event.Status.DRAFT)
    make_event(title="Cancelled", start_time=at(1), status=Event.Status.CANCELLED)
    make_event(title="Staff", start_time=at(1), audience=Event.Audience.STAFF)
    shown = make_event(title="Shown", start_time=at(5))

    for path in ("events", "events/today"):
        assert [e["title"] for e in client.get(f"/api/v1/sl/{path}").json()] == ["Shown"]
    nxt = client.get("/api/v1/sl/events/next").json()
    assert nxt["title"] == "Shown" and nxt["start"] == unix(shown.start_time)
    text = client.get("/api/v1/sl/events?format=text").content.decode()
    assert "Draft" not in text and "Cancelled" not in text and "Staff" not in text


def test_an_event_without_a_location_has_empty_location_and_slurl(client, make_event, now):
    make_event(start_time=at(1), location=None)
    event = client.get("/api/v1/sl/events").json()[0]
    assert event["location"] == "" and event["slurl"] == ""


def test_limit_caps_the_list(client, make_event, now):
    for hour in range(1, 13):
        make_event(title=f"Gig {hour}", start_time=at(hour * 2))
    roomy = "max_bytes=16384"  # the default 2048 bytes hold only 8 of these
    assert len(client.get(f"/api/v1/sl/events?{roomy}").json()) == 10  # the default limit
    titles = [e["title"] for e in client.get(f"/api/v1/sl/events?limit=3&{roomy}").json()]
    assert titles == ["Gig 1", "Gig 2", "Gig 3"]
    assert len(client.get("/api/v1/sl/events/today?limit=1").json()) == 1


def test_italian_titles_fall_back_to_english_when_missing(client, make_event, now):
    make_event(title="Jazz night", title_it="Serata jazz", start_time=at(1))
    make_event(title="Only English", start_time=at(2))
    titles = [e["title"] for e in client.get("/api/v1/sl/events?lang=it").json()]
    assert titles == ["Serata jazz", "Only English"]
    assert client.get("/api/v1/sl/events?lang=it-IT").json()[0]["title"] == "Serata jazz"


def test_tz_sets_date_and_time(client, make_event, now):
    make_event(start_time=datetime(2026, 12, 5, 23, 30, tzinfo=UTC))
    rome = client.get("/api/v1/sl/events?tz=Europe/Rome").json()[0]
    slt = client.get("/api/v1/sl/events?tz=SLT").json()[0]
    assert (rome["date"], rome["time"]) == ("2026-12-06", "00:30")
    assert (slt["date"], slt["time"]) == ("2026-12-05", "15:30")


def test_between_the_us_and_eu_dst_switches_slt_and_rome_are_8_hours_apart(
    client, make_event, panel_clock
):
    # 2027: the US springs forward on 14 March, Europe on 28 March.
    panel_clock.at = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    make_event(start_time=datetime(2027, 3, 20, 20, 0, tzinfo=ROME))  # between the switches
    make_event(start_time=datetime(2027, 4, 10, 20, 0, tzinfo=ROME))  # both on summer time
    between, after = client.get("/api/v1/sl/events?tz=SLT").json()
    assert (between["date"], between["time"]) == ("2027-03-20", "12:00")  # 8 hours earlier
    assert (after["date"], after["time"]) == ("2027-04-10", "11:00")  # 9 hours earlier


def test_next_event_has_countdown_fields(client, make_event, now):
    event = make_event(title="Soon", start_time=at(2))
    body = client.get("/api/v1/sl/events/next").json()
    assert body == {
        "title": "Soon",
        "start_time": "2026-12-05T06:00:00-08:00",
        "location": "Main Stage",
        "slurl": event.location.slurl,
        "start": unix(at(2)),
        "end": unix(at(3.5)),
        "now": unix(NOW),
        "starts_in": 7200,
    }
    rome = client.get("/api/v1/sl/events/next?tz=Europe/Rome").json()
    assert rome["start_time"] == "2026-12-05T15:00:00+01:00"


def test_a_running_event_is_next_with_zero_countdown_until_it_ends(client, make_event, panel_clock):
    panel_clock.at = NOW
    running = make_event(title="Running", start_time=at(-1))  # ends at +0.5h
    make_event(title="Later", start_time=at(4))

    body = client.get("/api/v1/sl/events/next").json()
    assert (body["title"], body["starts_in"]) == ("Running", 0)

    panel_clock.at = running.end_time
    body = client.get("/api/v1/sl/events/next").json()
    assert (body["title"], body["starts_in"]) == ("Later", unix(at(4)) - unix(running.end_time))


def test_nothing_coming_is_an_empty_list_and_a_null_next_event(client, make_event, now):
    make_event(start_time=at(-30))  # over, yesterday
    assert client.get("/api/v1/sl/events").json() == []
    assert client.get("/api/v1/sl/events/today").json() == []
    assert client.get("/api/v1/sl/events/next").json() == {"event": None}


def test_today_at_23_30_slt_is_still_the_slt_day_and_at_00_30_the_next_one(
    client, make_event, panel_clock
):
    late = datetime(2026, 12, 5, 23, 0, tzinfo=SLT)
    make_event(title="Late show", start_time=late)
    make_event(title="Tomorrow", start_time=datetime(2026, 12, 6, 0, 15, tzinfo=SLT))

    panel_clock.at = datetime(2026, 12, 5, 23, 30, tzinfo=SLT)  # already Dec 6 in UTC and Rome
    today = client.get("/api/v1/sl/events/today").json()
    assert today == [
        {
            "title": "Late show",
            "time": "23:00",
            "location": "Main Stage",
            "type": "live_singer",
            "start": unix(late),
            "end": unix(late + timedelta(minutes=90)),
        }
    ]
    rome = client.get("/api/v1/sl/events/today?tz=Europe/Rome").json()
    assert [e["title"] for e in rome] == ["Late show", "Tomorrow"]  # 08:00 and 09:15 in Rome

    panel_clock.at = datetime(2026, 12, 6, 0, 30, tzinfo=SLT)
    assert [e["title"] for e in client.get("/api/v1/sl/events/today").json()] == ["Tomorrow"]


def test_today_keeps_todays_finished_events(client, make_event, panel_clock):
    panel_clock.at = datetime(2026, 12, 5, 22, 0, tzinfo=SLT)
    make_event(title="Afternoon", start_time=datetime(2026, 12, 5, 14, 0, tzinfo=SLT))
    assert [e["title"] for e in client.get("/api/v1/sl/events/today").json()] == ["Afternoon"]


def test_every_answer_is_utf8_json_or_text_with_exact_content_types(client, make_event, now):
    make_event(start_time=at(1))
    for path in ("events", "events/next", "events/today"):
        assert client.get(f"/api/v1/sl/{path}")["Content-Type"] == (
            "application/json; charset=utf-8"
        )
        text = client.get(f"/api/v1/sl/{path}?format=text")
        assert text["Content-Type"] == "text/plain; charset=utf-8"
        error = client.get(f"/api/v1/sl/{path}?format=xml")
        assert error["Content-Type"] == "application/json; charset=utf-8"
