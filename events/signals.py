"""Line-up and name changes reach the calendar feeds: they raise the shown events' SEQUENCE.

An event's own fields are compared in `Event.save()`; these receivers cover what lives in
other rows (the line-up, an artist's or the location's name).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from events.models import Artist, Event, EventArtist, Location
from events.services import event_subscriber_view_changed


def _line_up_row_changed(sender, instance: EventArtist, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: fixtures are not edits
    event_subscriber_view_changed(event_ids=[instance.event_id])


def _line_up_changed_in_bulk(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        event_subscriber_view_changed(event_ids=[instance.pk])
    elif action == "pre_clear":
        event_subscriber_view_changed(event_ids=instance.events.values_list("pk", flat=True))
    else:
        event_subscriber_view_changed(event_ids=pk_set or ())


def _shown_name_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw") or kwargs.get("created"):
        return
    event_subscriber_view_changed(
        event_ids=instance.events.exclude(status=Event.Status.DRAFT).values_list("pk", flat=True)
    )


def connect() -> None:
    post_save.connect(_line_up_row_changed, sender=EventArtist, dispatch_uid="ical_lineup_saved")
    post_delete.connect(
        _line_up_row_changed, sender=EventArtist, dispatch_uid="ical_lineup_deleted"
    )
    m2m_changed.connect(
        _line_up_changed_in_bulk, sender=EventArtist, dispatch_uid="ical_lineup_m2m"
    )
    post_save.connect(_shown_name_changed, sender=Artist, dispatch_uid="ical_artist_renamed")
    post_save.connect(_shown_name_changed, sender=Location, dispatch_uid="ical_location_renamed")
