"""Rules that must hold however a change is made (admin, scripts, the shell).

- A saved series (or its line-up) brings its future dates in line at once; a line-up change made
  to one date by anyone but its series marks that date as edited on its own.
- Line-up and name changes reach the calendar feeds: they raise the shown events' SEQUENCE (an
  event's own fields are compared in `Event.save()`; these cover what lives in other rows).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from events.models import (
    SERIES_APPLYING,
    SERIES_HELD,
    Artist,
    Event,
    EventArtist,
    Location,
    Series,
    SeriesArtist,
)
from events.services import event_subscriber_view_changed


def _series_saved(sender, instance: Series, **kwargs) -> None:
    if kwargs.get("raw") or SERIES_HELD.get():
        return
    from events.series import series_sync  # the services build on these models

    series_sync(series=instance, now=timezone.now())


def _series_line_up_changed(sender, instance: SeriesArtist, **kwargs) -> None:
    if kwargs.get("raw") or SERIES_HELD.get():
        return
    series = Series.objects.filter(pk=instance.series_id).first()
    if series is not None:  # None: the series itself is being deleted
        _series_saved(Series, series)


def _mark_edited(event_ids) -> None:
    if SERIES_APPLYING.get():
        return
    Event.objects.filter(pk__in=list(event_ids), series__isnull=False).update(
        edited_on_its_own=True
    )


def _date_line_up_changed(sender, instance: EventArtist, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    _mark_edited([instance.event_id])


def _date_line_up_changed_in_bulk(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _mark_edited([instance.pk])
    elif pk_set:
        _mark_edited(pk_set)


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
    post_save.connect(_series_saved, sender=Series, dispatch_uid="series_saved")
    post_save.connect(_series_line_up_changed, sender=SeriesArtist, dispatch_uid="series_lineup")
    post_delete.connect(
        _series_line_up_changed, sender=SeriesArtist, dispatch_uid="series_lineup_deleted"
    )
    post_save.connect(_date_line_up_changed, sender=EventArtist, dispatch_uid="date_lineup")
    post_delete.connect(
        _date_line_up_changed, sender=EventArtist, dispatch_uid="date_lineup_deleted"
    )
    m2m_changed.connect(
        _date_line_up_changed_in_bulk, sender=EventArtist, dispatch_uid="date_lineup_m2m"
    )
    post_save.connect(_line_up_row_changed, sender=EventArtist, dispatch_uid="ical_lineup_saved")
    post_delete.connect(
        _line_up_row_changed, sender=EventArtist, dispatch_uid="ical_lineup_deleted"
    )
    m2m_changed.connect(
        _line_up_changed_in_bulk, sender=EventArtist, dispatch_uid="ical_lineup_m2m"
    )
    post_save.connect(_shown_name_changed, sender=Artist, dispatch_uid="ical_artist_renamed")
    post_save.connect(_shown_name_changed, sender=Location, dispatch_uid="ical_location_renamed")
