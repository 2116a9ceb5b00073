"""Signals only enqueue: an edit that changes an already-posted event's link preview (title,
start, poster, cancellation) queues, on commit, one re-scrape of its page per transaction."""

import logging

from django.db import transaction
from django.db.models.signals import post_init, post_save

from events.models import Event
from integrations.facebook.queue import enqueue_rescrape
from integrations.facebook.rescrape import event_posted_on_page, preview_fields

logger = logging.getLogger(__name__)


class _QueueRescrape:
    """The on-commit callback for one event; recognisable, so a transaction queues it once."""

    def __init__(self, event_id: int):
        self.event_id = event_id

    def __call__(self) -> None:
        try:
            enqueue_rescrape(self.event_id)
        except Exception:
            # The broker is down: the edit stands; Facebook refreshes its cache within 30 days.
            logger.exception("Could not queue the Facebook re-scrape of event %s", self.event_id)


def _queue_rescrape(event_id: int) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(item[1], _QueueRescrape) and item[1].event_id == event_id
        for item in connection.run_on_commit
    ):
        return
    transaction.on_commit(_QueueRescrape(event_id))


def _remember_preview(sender, instance: Event, **kwargs) -> None:
    instance._facebook_preview = preview_fields(instance)


def _event_saved(sender, instance: Event, created: bool, **kwargs) -> None:
    before = getattr(instance, "_facebook_preview", None)
    after = preview_fields(instance)
    instance._facebook_preview = after
    if kwargs.get("raw") or created or before is None or before == after:
        return
    if event_posted_on_page(instance.pk):
        _queue_rescrape(instance.pk)


def connect() -> None:
    post_init.connect(_remember_preview, sender=Event, dispatch_uid="facebook_preview_loaded")
    post_save.connect(_event_saved, sender=Event, dispatch_uid="facebook_preview_changed")
