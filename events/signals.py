"""The series rules hold however a change is made (admin, scripts, the shell).

A saved series (or its line-up) brings its future dates in line at once; a line-up change made
to one date by anyone but its series marks that date as edited on its own.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from events.models import SERIES_APPLYING, SERIES_HELD, Event, EventArtist, Series, SeriesArtist


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
