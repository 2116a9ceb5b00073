"""Signals only enqueue: an edit that changes an already-posted event's link preview (title,
start, poster, cancellation) queues, on commit, one re-scrape of its page per transaction."""

from django.db.models.signals import post_init, post_save

from events.models import Event
from integrations.facebook.queue import queue_rescrape
from integrations.facebook.rescrape import event_posted_on_page, preview_fields


def _remember_preview(sender, instance: Event, **kwargs) -> None:
    instance._facebook_preview = preview_fields(instance)


def _event_saved(sender, instance: Event, created: bool, **kwargs) -> None:
    before = getattr(instance, "_facebook_preview", None)
    after = preview_fields(instance)
    instance._facebook_preview = after
    if kwargs.get("raw") or created or before is None or before == after:
        return
    if event_posted_on_page(instance.pk):
        queue_rescrape(instance.pk)


def connect() -> None:
    post_init.connect(_remember_preview, sender=Event, dispatch_uid="facebook_preview_loaded")
    post_save.connect(_event_saved, sender=Event, dispatch_uid="facebook_preview_changed")
