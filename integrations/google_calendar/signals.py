"""Signals only enqueue: a change to an event (or what its calendar entry shows) queues, on
commit, one sync task per event per transaction (see `queue.py`)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from events.models import Artist, Event, EventArtist, Location
from integrations.google_calendar.queue import queue_sync


def _event_changed(sender, instance: Event, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: fixtures are not edits
    queue_sync(instance.pk)


def _line_up_changed(sender, instance: EventArtist, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    queue_sync(instance.event_id)


def _line_up_changed_in_bulk(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    """`event.artists.add/remove/set/clear` (and from the artist's side): no post_save is sent."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        queue_sync(instance.pk)  # an Event
        return
    # An Artist: pk_set names the events; a clear names none, so read them before it happens.
    if action == "pre_clear":
        pk_set = instance.events.values_list("pk", flat=True)
    for event_id in pk_set:
        queue_sync(event_id)


def _shown_details_changed(sender, instance, **kwargs) -> None:
    """A location or artist renamed: every scheduled event showing it changes text."""
    if kwargs.get("raw") or kwargs.get("created"):
        return
    events = instance.events.filter(status=Event.Status.SCHEDULED)
    for event_id in events.values_list("pk", flat=True):
        queue_sync(event_id)


def connect() -> None:
    post_save.connect(_event_changed, sender=Event, dispatch_uid="gcal_event_saved")
    post_delete.connect(_event_changed, sender=Event, dispatch_uid="gcal_event_deleted")
    post_save.connect(_line_up_changed, sender=EventArtist, dispatch_uid="gcal_lineup_saved")
    post_delete.connect(_line_up_changed, sender=EventArtist, dispatch_uid="gcal_lineup_deleted")
    m2m_changed.connect(
        _line_up_changed_in_bulk, sender=EventArtist, dispatch_uid="gcal_lineup_m2m"
    )
    post_save.connect(_shown_details_changed, sender=Location, dispatch_uid="gcal_location")
    post_save.connect(_shown_details_changed, sender=Artist, dispatch_uid="gcal_artist")
