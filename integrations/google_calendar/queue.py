"""Handing calendar syncs to the task worker (django-q2): one task per event, carrying only
the event id."""

import logging

from django.db import transaction
from django_q.tasks import async_task

logger = logging.getLogger(__name__)

SYNC_TASK = "integrations.google_calendar.tasks.sync_event"


class _QueueSync:
    """The on-commit callback for one event; recognisable, so a transaction queues it once."""

    def __init__(self, event_id: int):
        self.event_id = event_id

    def __call__(self) -> None:
        try:
            async_task(SYNC_TASK, self.event_id, group="google_calendar")
        except Exception:
            # The broker is down: staff's save stands; `sync_calendars` repairs the calendars.
            logger.exception("Could not queue the calendar sync of event %s", self.event_id)


def queue_sync(event_id: int) -> None:
    """Queue the sync of one event when the current transaction commits (never on rollback)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(item[1], _QueueSync) and item[1].event_id == event_id
        for item in connection.run_on_commit
    ):
        return  # already queued by this transaction
    transaction.on_commit(_QueueSync(event_id))


def queue_forced_syncs(event_ids: list[int]) -> None:
    """Queue a forced sync per event (staff asked for it): pushed even if unchanged here."""
    for event_id in event_ids:
        async_task(SYNC_TASK, event_id, force=True, group="google_calendar")
