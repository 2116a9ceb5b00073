"""format=text: a header line, then one line per event that always splits into 8 fields."""

from datetime import datetime, timedelta

from events.models import Location
from sl_api.tests.conftest import UTC

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def lsl_fields(line: str) -> list[str]:
    """What llParseStringKeepNulls(line, ["|"], []) gives a script."""
    return line.split("|")


def test_header_then_one_line_per_event_in_the_documented_order(client, make_event, panel_clock):
    panel_clock.at = NOW
    event = make_event(title="Luna", start_time=NOW + timedelta(hours=2))
    body = client.get("/api/v1/sl/events?format=text").content.decode()
    header, line = body.split("\n")
    assert header == f"v1|{int(NOW.timestamp())}|1"
    assert lsl_fields(line) == [
        str(int(event.start_time.timestamp())),
        str(int(event.end_time.timestamp())),
        "2026-12-05",
        "06:00",
        "Luna",
        "Main Stage",
        "live_singer",
        event.location.slurl,
    ]


def test_separators_and_line_breaks_inside_values_are_replaced(client, make_event, panel_clock):
    panel_clock.at = NOW
    odd = Location.objects.create(name="Bar | Lounge\r\nUpstairs", region="Cave")
    make_event(
        title="A|B\nC\rD\u2028E\x85F\tG",
        location=odd,
        start_time=NOW + timedelta(hours=1),
    )
    make_event(title="Plain", start_time=NOW + timedelta(hours=3))
    for path in ("events", "events/today", "events/next"):
        body = client.get(f"/api/v1/sl/{path}?format=text").content.decode()
        _header, *lines = body.split("\n")
        assert len(body.splitlines()) == 1 + len(lines)  # no stray line break of any kind
        assert all(len(lsl_fields(line)) == 8 for line in lines)
        first = lsl_fields(lines[0])
        assert first[4] == "A¦B C D E F G"
        assert first[5] == "Bar ¦ Lounge Upstairs"


def test_no_events_is_a_header_with_a_zero_count(client, panel_clock, db):
    panel_clock.at = NOW
    for path in ("events", "events/today", "events/next"):
        body = client.get(f"/api/v1/sl/{path}?format=text").content.decode()
        assert body == f"v1|{int(NOW.timestamp())}|0"


def test_the_header_clock_is_fresh_even_when_the_lines_are_kept(client, make_event, panel_clock):
    panel_clock.at = NOW
    make_event(start_time=NOW + timedelta(hours=2))
    client.get("/api/v1/sl/events?format=text")
    panel_clock.at = NOW + timedelta(seconds=7)
    header = client.get("/api/v1/sl/events?format=text").content.decode().split("\n")[0]
    assert header == f"v1|{int(NOW.timestamp()) + 7}|1"
