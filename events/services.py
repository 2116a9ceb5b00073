"""Writes to the events domain."""

from django.db import transaction

from events.models import Artist, Event, EventArtist


@transaction.atomic
def event_set_artists(*, event: Event, artists: list[Artist]) -> None:
    """Replace the event's line-up, keeping the given billing order."""
    EventArtist.objects.filter(event=event).delete()
    EventArtist.objects.bulk_create(
        EventArtist(event=event, artist=artist, order=position)
        for position, artist in enumerate(artists)
    )
