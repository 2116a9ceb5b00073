"""Read queries over events that every other app uses (SL panels, calendar sync, public pages).

Each selector runs a fixed number of queries whatever the number of events: one for the events
(with their location) and one for all their artists.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from events.models import CalendarFeedToken, Event, EventArtist, Series


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


def series_with_next_date(*, now: datetime) -> QuerySet[Series]:
    """Every series with `next_start`: the start of its next date that is not cancelled."""
    upcoming = (
        Event.objects.filter(series=OuterRef("pk"), start_time__gt=now)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("start_time")
        .values("start_time")[:1]
    )
    return Series.objects.select_related("location").annotate(next_start=Subquery(upcoming))


def series_dates(
    *, series: Series, now: datetime, upcoming: int = 12, recent: int = 4
) -> tuple[list[Event], list[Event]]:
    """A series' next dates (soonest first) and its latest past ones (latest first), any state."""
    dates = Event.objects.filter(series=series)
    return (
        list(dates.filter(start_time__gt=now).order_by("start_time", "pk")[:upcoming]),
        list(dates.filter(start_time__lte=now).order_by("-start_time", "-pk")[:recent]),
    )


# --- the public pages and calendar feeds --------------------------------------------------------

# Cancelled events stay in the feeds this long after their last change, so subscribers' calendar
# apps see STATUS:CANCELLED and drop them; past events stay this long as history.
CANCELLED_KEPT_IN_FEEDS = timedelta(days=30)
PAST_KEPT_IN_FEEDS = timedelta(days=365)


def _with_details(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("location").prefetch_related(
        Prefetch("artist_links", queryset=EventArtist.objects.select_related("artist"))
    )


def event_page_or_none(*, pk: int) -> Event | None:
    """A public event whose page exists: scheduled, or cancelled (old links must not break)."""
    return (
        _with_details(
            Event.objects.filter(
                audience=Event.Audience.PUBLIC,
                status__in=(Event.Status.SCHEDULED, Event.Status.CANCELLED),
            )
        )
        .filter(pk=pk)
        .first()
    )


def events_in_window(
    *, start: datetime, end: datetime, now: datetime | None = None, limit: int | None = None
) -> list[Event]:
    """Public scheduled events starting before `end` and not over by `start` or `now`."""
    now = now or timezone.now()
    events = (
        events_visible(public_only=True)
        .filter(end_time__gt=max(start, now), start_time__lt=end)
        .order_by("start_time", "pk")
    )
    return list(events[:limit] if limit is not None else events)


def upcoming_start_times(*, now: datetime | None = None) -> list[datetime]:
    """When each upcoming public event starts (the months the programme pages offer)."""
    now = now or timezone.now()
    return list(
        Event.objects.filter(
            status=Event.Status.SCHEDULED, audience=Event.Audience.PUBLIC, end_time__gt=now
        )
        .order_by("start_time")
        .values_list("start_time", flat=True)
    )


def events_past(*, now: datetime | None = None) -> QuerySet[Event]:
    """Public events that have ended, latest first (a queryset, for paging)."""
    now = now or timezone.now()
    return events_visible(public_only=True).filter(end_time__lte=now).order_by("-start_time", "-pk")


def events_other(*, event: Event, now: datetime | None = None, limit: int = 4) -> list[Event]:
    """The venue's next public events besides `event` (links on an event's page)."""
    now = now or timezone.now()
    events = (
        events_visible(public_only=True)
        .filter(end_time__gt=now)
        .exclude(pk=event.pk)
        .order_by("start_time", "pk")
    )
    return list(events[:limit])


def events_for_feed(*, now: datetime | None = None, staff: bool = False) -> list[Event]:
    """What a calendar feed carries: scheduled events (staff-only ones in the staff feed),
    recently cancelled ones so subscribers drop them, past ones for a year; never drafts."""
    now = now or timezone.now()
    events = Event.objects.filter(end_time__gt=now - PAST_KEPT_IN_FEEDS).filter(
        Q(status=Event.Status.SCHEDULED)
        | Q(status=Event.Status.CANCELLED, updated_at__gte=now - CANCELLED_KEPT_IN_FEEDS)
    )
    if not staff:
        events = events.filter(audience=Event.Audience.PUBLIC)
    return list(_with_details(events).order_by("start_time", "pk"))


@dataclass(frozen=True)
class ProgrammeState:
    """What the programme pages and feeds depend on, in one query (for ETag/Last-Modified)."""

    last_change: datetime | None
    count: int
    next_end: datetime | None  # the next moment an event ends: lists shift then
    last_end: datetime | None  # the last moment one did

    @property
    def last_modified(self) -> datetime | None:
        moments = [moment for moment in (self.last_change, self.last_end) if moment]
        return max(moments) if moments else None

    def fingerprint(self, *parts) -> str:
        values = (self.last_change, self.count, self.next_end, self.last_end, *parts)
        text = "|".join("" if value is None else str(value) for value in values)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def programme_state(*, now: datetime | None = None) -> ProgrammeState:
    """The programme's last change, size and time boundaries: one aggregate query."""
    now = now or timezone.now()
    values = Event.objects.aggregate(
        last_change=Max("updated_at"),
        count=Count("pk"),
        next_end=Min("end_time", filter=Q(end_time__gt=now)),
        last_end=Max("end_time", filter=Q(end_time__lte=now)),
    )
    return ProgrammeState(**values)


def calendar_feed_token_of(*, user) -> CalendarFeedToken | None:
    """The staff member's private feed secret, if they have one."""
    return CalendarFeedToken.objects.filter(user=user).first()
