"""Kept panels: few queries, fresh countdowns, ETag/304, and edits visible on the next poll."""

from datetime import datetime, timedelta

import pytest

from events.models import Artist, Event, Location
from events.services import event_set_artists
from sl_api.bodies import JsonBody
from sl_api.panel_cache import KeptPanels, kept_panels
from sl_api.panels import Panel
from sl_api.tests.conftest import UTC

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
PATHS = ("events", "events/next", "events/today")


@pytest.fixture
def now(panel_clock):
    panel_clock.at = NOW
    return panel_clock


@pytest.fixture
def many_events(make_event, now):
    return [make_event(start_time=NOW + timedelta(minutes=20 * n)) for n in range(60)]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("format", ("json", "text"))
def test_at_most_three_queries_however_many_events(
    client, many_events, django_assert_max_num_queries, django_assert_num_queries, path, format
):
    with django_assert_max_num_queries(3):
        first = client.get(f"/api/v1/sl/{path}?format={format}&limit=50&max_bytes=16384")
    with django_assert_num_queries(1):  # kept: only the change marker is asked
        again = client.get(f"/api/v1/sl/{path}?format={format}&limit=50&max_bytes=16384")
    assert first.content == again.content


def test_countdown_is_right_at_answer_time_when_the_panel_is_kept(client, make_event, now):
    make_event(start_time=NOW + timedelta(minutes=10))
    assert client.get("/api/v1/sl/events/next").json()["starts_in"] == 600
    now.at = NOW + timedelta(seconds=95)
    body = client.get("/api/v1/sl/events/next").json()
    assert (body["now"], body["starts_in"]) == (int(now.at.timestamp()), 505)
    now.at = NOW + timedelta(minutes=15)  # running now
    assert client.get("/api/v1/sl/events/next").json()["starts_in"] == 0


def _rename(event):
    event.title = "Renamed"
    event.save()


def _cancel(event):
    event.status = Event.Status.CANCELLED
    event.save()


def _make_staff_only(event):
    event.audience = Event.Audience.STAFF
    event.save()


def _move_to_tomorrow(event):
    event.start_time += timedelta(days=1)
    event.end_time += timedelta(days=1)
    event.save()


def _new_line_up(event):
    # Outside the admin: no event save, only the line-up rows change.
    event_set_artists(event=event, artists=[Artist.objects.create(name="Someone Else")])


@pytest.mark.parametrize(
    "edit",
    [_rename, _cancel, _make_staff_only, _move_to_tomorrow, _new_line_up, Event.delete],
)
def test_an_edit_shows_on_the_next_poll(client, make_event, now, edit):
    event = make_event(title="Original", start_time=NOW + timedelta(hours=1))
    polled = {path: client.get(f"/api/v1/sl/{path}").content for path in PATHS}

    edit(event)

    after = {path: client.get(f"/api/v1/sl/{path}").content for path in PATHS}
    kept_panels.clear()
    rebuilt = {path: client.get(f"/api/v1/sl/{path}").content for path in PATHS}
    assert after == rebuilt
    assert after["events"] != polled["events"]


def test_a_save_that_changes_nothing_shows_the_same_panel(client, make_event, now):
    event = make_event(start_time=NOW + timedelta(hours=1))
    polled = client.get("/api/v1/sl/events")
    event.save()
    again = client.get("/api/v1/sl/events", HTTP_IF_NONE_MATCH=polled["ETag"])
    assert again.status_code == 304


def test_a_new_event_shows_on_the_next_poll(client, make_event, now):
    make_event(title="First", start_time=NOW + timedelta(hours=1))
    assert len(client.get("/api/v1/sl/events").json()) == 1
    make_event(title="Second", start_time=NOW + timedelta(hours=2))
    assert [e["title"] for e in client.get("/api/v1/sl/events").json()] == ["First", "Second"]


def test_an_ended_event_leaves_the_list_without_any_edit(client, make_event, now):
    make_event(title="Short", start_time=NOW - timedelta(minutes=80))  # ends in 10 minutes
    make_event(title="Later", start_time=NOW + timedelta(hours=1))
    assert [e["title"] for e in client.get("/api/v1/sl/events").json()] == ["Short", "Later"]
    now.at = NOW + timedelta(minutes=10)
    assert [e["title"] for e in client.get("/api/v1/sl/events").json()] == ["Later"]


def test_a_renamed_location_shows_within_a_minute(client, make_event, now):
    make_event(start_time=NOW + timedelta(hours=3))
    Location.objects.update(name="New Stage")  # touches no event row: the marker cannot see it
    now.at = NOW + timedelta(seconds=61)
    assert client.get("/api/v1/sl/events").json()[0]["location"] == "New Stage"


@pytest.mark.parametrize("path", PATHS)
def test_etag_and_304_for_web_clients(client, make_event, now, path):
    event = make_event(start_time=NOW + timedelta(hours=1))
    first = client.get(f"/api/v1/sl/{path}")
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=10"

    unchanged = client.get(f"/api/v1/sl/{path}", HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == etag
    listed = client.get(f"/api/v1/sl/{path}", HTTP_IF_NONE_MATCH=f'"other", {etag}')
    assert listed.status_code == 304

    now.at = NOW + timedelta(seconds=30)  # the clock moving alone keeps the ETag
    assert client.get(f"/api/v1/sl/{path}", HTTP_IF_NONE_MATCH=etag).status_code == 304

    event.title = "Changed"
    event.save()
    changed = client.get(f"/api/v1/sl/{path}", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_countdown_etag_is_weak_and_a_plain_list_etag_strong(client, make_event, now):
    make_event(start_time=NOW + timedelta(hours=1))
    assert client.get("/api/v1/sl/events/next")["ETag"].startswith('W/"')
    assert client.get("/api/v1/sl/events?format=text")["ETag"].startswith('W/"')
    assert client.get("/api/v1/sl/events")["ETag"].startswith('"')


def test_representations_have_their_own_etags(client, make_event, now):
    make_event(title="Jazz", title_it="Jazz it", start_time=NOW + timedelta(hours=1))
    etags = {
        client.get(f"/api/v1/sl/events?{query}")["ETag"]
        for query in ("", "lang=it", "format=text", "tz=Europe/Rome")
    }
    assert len(etags) == 4
    # The same bytes under other parameters are the same representation: the same ETag.
    roomy = client.get("/api/v1/sl/events?max_bytes=4000")["ETag"]
    assert roomy == client.get("/api/v1/sl/events")["ETag"]


def test_a_database_outage_answers_503_json(client, now, monkeypatch):
    from django.db import OperationalError

    def unreachable():
        raise OperationalError("server has gone away")

    monkeypatch.setattr("sl_api.panel_cache.events_change_marker", unreachable)
    response = client.get("/api/v1/sl/events")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "error" in response.json() and "gone away" not in response.json()["error"]


def test_kept_panels_forget_the_least_recently_used_and_the_stale():
    kept = KeptPanels(max_entries=2)
    for key in ("a", "b", "c"):
        kept.put((key,), marker=(1,), panel=Panel(JsonBody(b"[]"), valid_until=100.0))
    assert kept.get(("a",), marker=(1,), now=0) is None  # pushed out by "c"
    assert kept.get(("c",), marker=(1,), now=0) is not None
    assert kept.get(("c",), marker=(1,), now=100.0) is None  # no longer true on its own
    assert kept.get(("b",), marker=(2,), now=0) is None  # built under another marker
