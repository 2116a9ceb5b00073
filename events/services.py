"""Writes to the events domain."""

from django.db import router, transaction
from django.db.models.signals import m2m_changed

from events.models import Artist, Event, EventArtist


@transaction.atomic
def event_set_artists(*, event: Event, artists: list[Artist]) -> None:
    """Replace the event's line-up, keeping the given billing order."""
    EventArtist.objects.filter(event=event).delete()
    links = EventArtist.objects.bulk_create(
        EventArtist(event=event, artist=artist, order=position)
        for position, artist in enumerate(artists)
    )
    if links:
        # bulk_create sends no signal: announce the new line-up as the m2m manager would, so
        # listeners (calendar sync, panel caches) hear about it.
        m2m_changed.send(
            sender=EventArtist,
            instance=event,
            action="post_add",
            reverse=False,
            model=Artist,
            pk_set={artist.pk for artist in artists},
            using=router.db_for_write(EventArtist),
        )
