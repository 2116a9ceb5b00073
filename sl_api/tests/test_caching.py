"""Kept panels: few queries, fresh countdowns, ETag/304, and edits visible on the next poll."""

import contextlib
from datetime import datetime, timedelta

import pytest
from django.db import transaction

from events.models import Artist, Event, Location
from events.services import event_set_artists
from sl_api.bodies import JsonBody
from sl_api.change_marker import panels_change_marker
from sl_api.models import PanelsVersion
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


def _no_line_up(event):
    event_set_artists(event=event, artists=[])


def _rename_the_artist(event):
    artist = event.ordered_artists[0]
    artist.name = "Luna S."
    artist.save()


def _rename_the_location(event):
    event.location.name = "Upper Deck"
    event.location.save()


def _add_one_in_bulk(event):
    # bulk_create sends no signal: the highest id moving is what shows it.
    Event.objects.bulk_create([Event(
        title="Bulk", start_time=event.start_time - timedelta(minutes=30),
        end_time=event.start_time, status=Event.Status.SCHEDULED,
    )])  # fmt: skip


EDITS = [
    _rename, _cancel, _make_staff_only, _move_to_tomorrow, _new_line_up, _no_line_up,
    _rename_the_artist, _rename_the_location, _add_one_in_bulk, Event.delete,
]  # fmt: skip


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_shows_on_the_next_poll(
    client, make_event, now, edit, django_capture_on_commit_callbacks
):
    event = make_event(title="Original", start_time=NOW + timedelta(hours=1))
    polled = {path: client.get(f"/api/v1/sl/{path}").content for path in PATHS}

    with django_capture_on_commit_callbacks(execute=True):  # as when staff's save commits
        edit(event)

    after = {path: client.get(f"/api/v1/sl/{path}").content for path in PATHS}
    kept_panels.clear()
    rebuilt = {path: client.get(f"/api/v1/sl/{path}").content for path in PATHS}
    assert after == rebuilt
    assert after["events"] != polled["events"]


def test_a_save_that_changes_nothing_shows_the_same_panel(
    client, make_event, now, django_capture_on_commit_callbacks
):
    event = make_event(start_time=NOW + timedelta(hours=1))
    polled = client.get("/api/v1/sl/events")
    with django_capture_on_commit_callbacks(execute=True):
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


def test_a_write_that_sends_no_signal_shows_within_a_minute(client, make_event, now):
    make_event(start_time=NOW + timedelta(hours=3))
    client.get("/api/v1/sl/events")
    Location.objects.update(name="New Stage")  # QuerySet.update() sends no signal
    now.at = NOW + timedelta(seconds=59)
    assert client.get("/api/v1/sl/events").json()[0]["location"] == "Main Stage"
    now.at = NOW + timedelta(seconds=60)
    assert client.get("/api/v1/sl/events").json()[0]["location"] == "New Stage"


def test_the_marker_moves_when_a_transaction_commits(
    make_event, django_capture_on_commit_callbacks
):
    before = panels_change_marker()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            event = make_event(title="One", artists=["A", "B"])
    after_create = panels_change_marker()
    assert after_create != before
    with django_capture_on_commit_callbacks(execute=True):
        event.artists.add(Artist.objects.create(name="C"))
    assert panels_change_marker() != after_create

    with django_capture_on_commit_callbacks() as rolled_back:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            Location.objects.create(name="Never", region="Nowhere")
            raise RuntimeError("staff's save failed")
    assert rolled_back == []


def test_a_missing_version_row_is_recreated_by_the_next_change(
    make_event, django_capture_on_commit_callbacks
):
    PanelsVersion.objects.all().delete()  # e.g. a table flushed by hand
    assert panels_change_marker()[0] is None
    with django_capture_on_commit_callbacks(execute=True):
        make_event()
    assert panels_change_marker()[0] >= 1


@pytest.mark.parametrize("path", PATHS)
def test_etag_and_304_for_web_clients(
    client, make_event, now, path, django_capture_on_commit_callbacks
):
    event = make_event(start_time=NOW + timedelta(hours=1))
    first = client.get(f"/api/v1/sl/{path}")
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=10"

    unchanged = client.get(f"/api/v1/sl/{path}", HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == etag
    assert unchanged["Content-Type"] == first["Content-Type"]
    listed = client.get(f"/api/v1/sl/{path}", HTTP_IF_NONE_MATCH=f'"other", {etag}')
    assert listed.status_code == 304

    now.at = NOW + timedelta(seconds=30)  # the clock moving alone keeps the ETag
    assert client.get(f"/api/v1/sl/{path}", HTTP_IF_NONE_MATCH=etag).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
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

    monkeypatch.setattr("sl_api.panel_cache.panels_change_marker", unreachable)
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
