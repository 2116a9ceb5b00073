from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from events.selectors import day_bounds, event_next, events_today, events_upcoming

UTC = ZoneInfo("UTC")
ROME = ZoneInfo("Europe/Rome")
SLT = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return NOW + timedelta(hours=hours)


def test_upcoming_is_soonest_first_and_keeps_a_running_event(make_event):
    later = make_event(title="later", start_time=at(5))
    running = make_event(title="running", start_time=at(-1))  # ends at +0.5h
    make_event(title="over", start_time=at(-3))
    assert events_upcoming(now=NOW) == [running, later]


def test_upcoming_leaves_out_drafts_cancelled_and_staff_only(make_event):
    public = make_event(title="public", start_time=at(1))
    make_event(title="draft", start_time=at(2), status=Event.Status.DRAFT)
    make_event(title="cancelled", start_time=at(3), status=Event.Status.CANCELLED)
    staff = make_event(title="staff", start_time=at(4), audience=Event.Audience.STAFF)
    assert events_upcoming(now=NOW) == [public]
    assert events_upcoming(now=NOW, public_only=False) == [public, staff]


def test_next_event_counts_a_running_one_until_it_ends(make_event):
    running = make_event(start_time=at(-1))
    make_event(start_time=at(3))
    assert event_next(now=NOW) == running
    assert event_next(now=running.end_time) != running


def test_next_event_is_none_without_events(db):
    assert event_next(now=NOW) is None


def test_today_follows_the_zone_at_midnight(make_event):
    # 23:30 SLT on Dec 4 is 07:30 UTC Dec 5: for SLT it is still Dec 4.
    late_slt = make_event(title="late", start_time=datetime(2026, 12, 4, 23, 30, tzinfo=SLT))
    early_slt = make_event(title="early", start_time=datetime(2026, 12, 5, 0, 30, tzinfo=SLT))
    now = datetime(2026, 12, 4, 23, 45, tzinfo=SLT)
    assert events_today(zone=SLT, now=now) == [late_slt]
    assert events_today(zone=SLT, now=now + timedelta(hours=1)) == [early_slt]
    # At the same instant it is already Dec 5 in Rome, where both events fall.
    assert events_today(zone=ROME, now=now) == [late_slt, early_slt]


def test_a_dst_day_is_23_hours_long():
    # Subtracting two datetimes of one zone gives wall time in Python: compare in UTC.
    start, end = day_bounds(day=date(2026, 3, 29), zone=ROME)  # clocks go forward in Europe
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
    start, end = day_bounds(day=date(2026, 11, 1), zone=SLT)  # and back in the US
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=25)


def test_today_on_the_european_dst_night(make_event):
    # 02:30 on 29 March 2026 does not exist in Rome; 03:30 CEST does and is that day.
    event = make_event(start_time=datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # 03:30 CEST
    make_event(title="next day", start_time=datetime(2026, 3, 29, 22, 30, tzinfo=UTC))  # 00:30
    now = datetime(2026, 3, 29, 10, 0, tzinfo=UTC)
    assert events_today(zone=ROME, now=now) == [event]


@pytest.mark.parametrize("count", [1, 30])
def test_selectors_run_a_fixed_number_of_queries(make_event, django_assert_max_num_queries, count):
    for i in range(count):
        make_event(title=f"e{i}", start_time=at(i + 1), artists=["A", "B"])
    with django_assert_max_num_queries(2):
        events = events_upcoming(now=NOW)
        names = [event.artist_names for event in events]
        [event.location.slurl for event in events]
    assert names == ["A, B"] * count
    with django_assert_max_num_queries(2):
        [e.artist_names for e in events_today(zone=UTC, now=NOW)]
    with django_assert_max_num_queries(2):
        event_next(now=NOW).artist_names


# --- the upcoming events with years of past ones ------------------------------------------------


def _upcoming_sql(**kwargs) -> str:
    with CaptureQueriesContext(connection) as queries:
        events_upcoming(**kwargs)
    return queries.captured_queries[0]["sql"]


def test_upcoming_finds_the_not_ended_events_from_now_then_sorts_only_them(db):
    sql = _upcoming_sql(now=NOW, limit=10)
    end_time = connection.ops.quote_name("end_time")
    outer, _, inner = sql.partition(" IN (SELECT ")
    assert inner, "the not-ended events are chosen in a subquery"
    assert end_time in inner and end_time not in outer.split(" FROM ", 1)[1]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan format")
def test_upcoming_reads_the_end_time_index_not_the_past_events(db):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {_upcoming_sql(now=NOW, limit=10)}")
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "INDEX event_visible_end (status=? AND audience=? AND end_time>?)" in plan
    assert "event_status_start" not in plan


def test_upcoming_keeps_a_long_running_event_first(make_event):
    festival = make_event(
        title="Week-long festival",
        start_time=NOW - timedelta(days=3),
    )
    Event.objects.filter(pk=festival.pk).update(end_time=NOW + timedelta(days=4))
    make_event(title="Tonight", start_time=NOW + timedelta(hours=2))
    make_event(title="Last week", start_time=NOW - timedelta(days=7))
    titles = [event.title for event in events_upcoming(now=NOW, limit=10)]
    assert titles == ["Week-long festival", "Tonight"]
