"""Read queries over events that every other app uses (SL panels, calendar sync, public pages).

Each selector runs a fixed number of queries whatever the number of events: one for the events
(with their location) and one for all their artists.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from events.models import Event, EventArtist


def events_visible(*, public_only: bool = True) -> QuerySet[Event]:
    """Scheduled events (drafts and cancelled ones never leave the house), artists prefetched."""
    events = Event.objects.filter(status=Event.Status.SCHEDULED)
    if public_only:
        events = events.filter(audience=Event.Audience.PUBLIC)
    return _with_location_and_line_up(events)


def _with_location_and_line_up(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("location").prefetch_related(
        Prefetch("artist_links", queryset=EventArtist.objects.select_related("artist"))
    )


def events_upcoming(
    *, now: datetime | None = None, public_only: bool = True, limit: int | None = None
) -> list[Event]:
    """Events that have not ended yet (one already running included), soonest first."""
    now = now or timezone.now()
    # The events not ended yet are found through an end-time index, starting at now, and only
    # they are sorted. Walked in start order instead, as databases like to do for a LIMIT,
    # every past event would be read before the first upcoming one: so the outer query has
    # no condition of its own that a start-time index could serve.
    not_ended = events_visible(public_only=public_only).filter(end_time__gt=now).values("pk")
    events = _with_location_and_line_up(Event.objects.filter(pk__in=not_ended))
    events = events.order_by("start_time", "pk")
    if limit is not None:
        events = events[:limit]
    return list(events)


def event_next(*, now: datetime | None = None, public_only: bool = True) -> Event | None:
    """The next event; one already running counts until it ends."""
    events = events_upcoming(now=now, public_only=public_only, limit=1)
    return events[0] if events else None


def day_bounds(*, day, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants a calendar day starts and ends in `zone` (23 or 25 hours long on DST days)."""
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def events_today(
    *, zone: ZoneInfo, now: datetime | None = None, public_only: bool = True
) -> list[Event]:
    """Events starting on the current calendar day as seen in `zone`."""
    now = now or timezone.now()
    start, end = day_bounds(day=now.astimezone(zone).date(), zone=zone)
    events = events_visible(public_only=public_only).filter(
        start_time__gte=start, start_time__lt=end
    )
    return list(events.order_by("start_time", "pk"))


def event_public_or_none(*, pk: int) -> Event | None:
    """A public, scheduled event by id (the public event page), or None."""
    return events_visible(public_only=True).filter(pk=pk).first()
