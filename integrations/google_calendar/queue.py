"""Handing calendar syncs to the task worker (django-q2): one task per event, carrying only
the event id."""

from functools import partial

from django_q.tasks import async_task

from integrations.queueing import enqueue_once_on_commit

SYNC_TASK = "integrations.google_calendar.tasks.sync_event"


def queue_sync(event_id: int) -> None:
    """Queue the sync of one event when the current transaction commits (never on rollback).

    With the broker down the save stands, and `sync_calendars` repairs the calendars.
    """
    enqueue_once_on_commit(
        key=(SYNC_TASK, event_id),
        enqueue=partial(async_task, SYNC_TASK, event_id, group="google_calendar"),
        what=f"the calendar sync of event {event_id}",
    )


def queue_forced_syncs(event_ids: list[int]) -> None:
    """Queue a forced sync per event (staff asked for it): pushed even if unchanged here."""
    for event_id in event_ids:
        async_task(SYNC_TASK, event_id, force=True, group="google_calendar")
