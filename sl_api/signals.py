"""Signals only note the change: what panels show was written, so kept panels are stale."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from events.models import Artist, Event, EventArtist, Location
from sl_api.change_marker import note_panels_changed

SHOWN_ON_PANELS = (Event, EventArtist, Artist, Location)


def _panels_data_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: no live data changed under a panel
    note_panels_changed()


def _line_up_changed(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        note_panels_changed()


def connect() -> None:
    for model in SHOWN_ON_PANELS:
        name = model._meta.label_lower
        post_save.connect(_panels_data_changed, sender=model, dispatch_uid=f"sl_saved_{name}")
        post_delete.connect(_panels_data_changed, sender=model, dispatch_uid=f"sl_deleted_{name}")
    m2m_changed.connect(
        _line_up_changed, sender=Event.artists.through, dispatch_uid="sl_line_up_changed"
    )
