"""Saving or deleting an event queues, on commit, one task per event carrying only its id.

These tests commit for real (transactional database): what is queued is what the task queue's
database broker holds afterwards.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django_q.models import OrmQ

from events.models import Artist, Event, EventArtist
from events.services import event_set_artists
from integrations.google_calendar import tasks
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.queue import SYNC_TASK
from integrations.google_calendar.sync import event_body
from integrations.google_calendar.tests.conftest import INTERNAL, answer

pytestmark = pytest.mark.django_db(transaction=True)


def queued() -> list[tuple]:
    return [(q.task["func"], q.task["args"]) for q in OrmQ.objects.order_by("pk")]


def forget_queue() -> None:
    OrmQ.objects.all().delete()


def test_saving_an_event_queues_one_task_with_only_its_id(make_event):
    with transaction.atomic():
        event = make_event()  # the event, then its line-up: still one task
    assert queued() == [(SYNC_TASK, (event.pk,))]


def test_a_rolled_back_save_queues_nothing(make_event):
    event = make_event()
    forget_queue()
    with pytest.raises(RuntimeError), transaction.atomic():
        event.title = "Never saved"
        event.save()
        raise RuntimeError("the save failed half-way")
    assert queued() == []
    # ...and the next transaction still queues its own task.
    with transaction.atomic():
        event.save()
    assert queued() == [(SYNC_TASK, (event.pk,))]


def test_many_changes_in_one_transaction_queue_one_task_per_event(make_event):
    first, second = make_event(), make_event()
    forget_queue()
    with transaction.atomic():
        for minutes in (10, 20, 30):
            first.end_time += timedelta(minutes=minutes)
            first.save()
        second.save()
        event_set_artists(event=first, artists=[Artist.objects.create(name="Max Groove")])
    assert queued() == [(SYNC_TASK, (first.pk,)), (SYNC_TASK, (second.pk,))]


def test_deleting_an_event_queues_its_sync(make_event):
    event = make_event()
    event_id = event.pk
    forget_queue()
    with transaction.atomic():
        event.delete()
    assert queued() == [(SYNC_TASK, (event_id,))]


def test_changing_the_line_up_queues_the_event(make_event):
    event = make_event()
    forget_queue()
    with transaction.atomic():
        EventArtist.objects.create(
            event=event, artist=Artist.objects.create(name="Max Groove"), order=1
        )
    assert queued() == [(SYNC_TASK, (event.pk,))]


def test_renaming_a_location_queues_its_scheduled_events(make_event, location):
    shown = make_event()
    make_event(status=Event.Status.DRAFT)
    forget_queue()
    with transaction.atomic():
        location.name = "Sky Lounge"
        location.save()
    assert queued() == [(SYNC_TASK, (shown.pk,))]


def test_renaming_an_artist_queues_their_scheduled_events(make_event):
    event = make_event(artists=["Luna Sparrow"])
    forget_queue()
    with transaction.atomic():
        artist = Artist.objects.get(name="Luna Sparrow")
        artist.name = "Luna Sparrow Trio"
        artist.save()
    assert queued() == [(SYNC_TASK, (event.pk,))]


def test_the_task_runs_the_sync_from_the_id_alone(google, make_event):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(answer(200, {**event_body(event), "etag": '"1"'}))
    assert tasks.sync_event(event.pk) == f"event {event.pk}: internal: inserted"
    assert google.calls == [("POST", f"/calendars/{INTERNAL}/events")]


def test_the_task_records_a_skip_when_not_configured(settings, make_event):
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = ""
    event = make_event()
    outcome = tasks.sync_event(event.pk)
    assert outcome.startswith("skipped: Google Calendar is not configured")
    assert not CalendarEntry.objects.exists()


def test_a_failed_sync_fails_the_task_after_recording_it(google, make_event, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 1
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(answer(404, {"error": {"code": 404, "message": "Not Found"}}))
    with pytest.raises(tasks.CalendarSyncFailed, match="not shared"):
        tasks.sync_event(event.pk)
    assert CalendarEntry.objects.get().state == "failed"


def test_adding_or_removing_artists_through_the_relation_queues_the_event(make_event):
    # Event.artists.add/remove/clear write the through rows in bulk: no post_save is sent.
    event = make_event(artists=[])
    artist = Artist.objects.create(name="Max Groove")
    for change in (
        lambda: event.artists.add(artist, through_defaults={"order": 1}),
        lambda: event.artists.remove(artist),
        lambda: event.artists.clear(),
    ):
        forget_queue()
        with transaction.atomic():
            change()
        assert queued() == [(SYNC_TASK, (event.pk,))]


def test_changing_an_artists_events_from_the_artist_queues_each_event(make_event):
    first, second = make_event(artists=[]), make_event(artists=[])
    artist = Artist.objects.create(name="Max Groove")
    forget_queue()
    with transaction.atomic():
        artist.events.add(first, second)
    assert sorted(queued()) == [(SYNC_TASK, (first.pk,)), (SYNC_TASK, (second.pk,))]
    forget_queue()
    with transaction.atomic():
        artist.events.clear()
    assert sorted(queued()) == [(SYNC_TASK, (first.pk,)), (SYNC_TASK, (second.pk,))]


def test_giving_an_empty_line_up_its_first_artists_queues_the_event(make_event):
    event = make_event(artists=[])
    forget_queue()
    event_set_artists(event=event, artists=[Artist.objects.create(name="Sofia Lumière")])
    assert queued() == [(SYNC_TASK, (event.pk,))]
