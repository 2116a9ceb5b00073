"""Writes to the events domain."""

from django.db import router, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed
from django.utils import timezone

from events.models import Artist, CalendarFeedToken, Event, EventArtist


@transaction.atomic
def event_set_artists(*, event: Event, artists: list[Artist]) -> None:
    """Replace the event's line-up, keeping the given billing order (no-op when unchanged)."""
    current = list(
        EventArtist.objects.filter(event=event)
        .order_by("order", "pk")
        .values_list("artist_id", flat=True)
    )
    if current == [artist.pk for artist in artists]:
        return
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


class _BumpSequence:
    """The on-commit bump for one event; recognisable, so a transaction bumps it once."""

    def __init__(self, event_ids: frozenset[int]):
        self.event_ids = event_ids

    def __call__(self) -> None:
        # updated_at moves too: feeds' LAST-MODIFIED and the pages' validators follow it.
        Event.objects.filter(pk__in=self.event_ids).update(
            ical_sequence=F("ical_sequence") + 1, updated_at=timezone.now()
        )


def event_subscriber_view_changed(*, event_ids) -> None:
    """Something subscribers see of these events changed outside the event row (its line-up,
    an artist's or the location's name): raise their SEQUENCE once per transaction."""
    event_ids = frozenset(pk for pk in event_ids if pk is not None)
    if not event_ids:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        queued = set()
        for item in connection.run_on_commit:
            if isinstance(item[1], _BumpSequence):
                queued |= item[1].event_ids
        event_ids -= queued
        if not event_ids:
            return
    transaction.on_commit(_BumpSequence(event_ids))


def calendar_feed_token_renew(*, user) -> CalendarFeedToken:
    """Give `user` a new secret feed URL; the previous one stops working at once."""
    token = CalendarFeedToken.new_token()
    feed, _ = CalendarFeedToken.objects.update_or_create(
        user=user, defaults={"token": token, "digest": CalendarFeedToken.digest_of(token)}
    )
    return feed


def calendar_feed_token_revoke(*, user) -> bool:
    """Switch off `user`'s feed URL; True when there was one."""
    deleted, _ = CalendarFeedToken.objects.filter(user=user).delete()
    return bool(deleted)
