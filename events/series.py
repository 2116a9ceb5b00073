"""Writes for series: their dates are ordinary events, created ahead and kept in line.

`series_sync` is the one convergence step: it makes the future dates of a series match what the
series says (creating the missing nights up to the horizon, updating the ones staff have not
edited on their own, cancelling the ones its rule no longer yields). Everything else (the daily
task, edits in the admin or the shell, rule changes, ending) goes through it. Past dates are
never touched. Each date is written with an ordinary `save()`, so the calendar sync and every
other listener hear about it as they do about any event.
"""

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from events.models import SERIES_APPLYING, SERIES_HELD, Event, Series
from events.series_rules import RuleError, parse_rule
from events.services import event_set_artists

logger = logging.getLogger("events")


@dataclass
class SyncResult:
    created: list[Event] = field(default_factory=list)
    updated: list[Event] = field(default_factory=list)
    cancelled: list[Event] = field(default_factory=list)

    def add(self, other: "SyncResult") -> None:
        self.created += other.created
        self.updated += other.updated
        self.cancelled += other.cancelled


class SeriesError(Exception):
    """A series operation that cannot be done; the message is for staff."""


@contextmanager
def series_applying():
    """Writes made inside are the series' own, not staff's edits of a date."""
    token = SERIES_APPLYING.set(True)
    try:
        yield
    finally:
        SERIES_APPLYING.reset(token)


@contextmanager
def series_held():
    """Saves of a series (and of its line-up) inside do not sync its dates; the caller does."""
    token = SERIES_HELD.set(True)
    try:
        yield
    finally:
        SERIES_HELD.reset(token)


def series_horizon_end(*, series: Series, now: datetime) -> date:
    """The last night created ahead: SERIES_HORIZON_WEEKS from today, in the series' zone."""
    today = now.astimezone(series.zone).date()
    return today + timedelta(weeks=settings.SERIES_HORIZON_WEEKS)


@transaction.atomic
def series_sync(*, series: Series, now: datetime) -> SyncResult:
    """Bring the series' future dates in line with it, up to the horizon. Idempotent."""
    # One sync at a time per series (two workers, a task and a save): the row lock orders them,
    # and the unique (series, series_date) constraint makes a second creation impossible anyway.
    series = Series.objects.select_for_update().get(pk=series.pk)
    rule = parse_rule(series.rule)
    result = SyncResult()
    existing = {
        event.series_date: event
        for event in Event.objects.filter(series=series).select_related("location")
    }
    last = series_horizon_end(series=series, now=now)
    # Nights already created beyond the horizon (a shorter horizon since) are still kept up.
    if existing:
        last = max(last, *existing)
    if series.until:
        last = min(last, series.until)
    nights = set(rule.dates(first=series.first_date, last=last))
    line_up = list(series.artists.order_by("series_links__order", "series_links__pk"))

    with series_applying():
        for night in sorted(nights):
            event = existing.get(night)
            if event is None:
                if series.starts_on(night) <= now:
                    continue  # nights gone by are not created after the fact
                created = _create_date(series=series, night=night, line_up=line_up)
                if created is not None:
                    result.created.append(created)
                continue
            if _is_future(event, now) and not event.edited_on_its_own:
                if _apply(series=series, event=event, line_up=line_up):
                    result.updated.append(event)
        for night, event in existing.items():
            if night in nights or not _is_future(event, now) or event.edited_on_its_own:
                continue
            if event.status != Event.Status.CANCELLED:
                event.status = Event.Status.CANCELLED
                event.save()
                result.cancelled.append(event)
    return result


def series_extend_all(*, now: datetime) -> SyncResult:
    """The daily task: every series that has not ended gets its dates up to the horizon.

    A series whose rule cannot be read (written by a script) is left out and logged; its admin
    page shows staff the problem. The others go on.
    """
    result = SyncResult()
    for series in Series.objects.all():
        if series.until and series.until < now.astimezone(series.zone).date():
            continue
        try:
            result.add(series_sync(series=series, now=now))
        except RuleError as error:
            logger.warning(
                "series %s: rule %r left out: %s", series.pk, series.rule, error.messages[0]
            )
    return result


@transaction.atomic
def series_date_skip(*, event: Event) -> Event:
    """Cancel one night of a series; it stays cancelled whatever the series does later."""
    if event.series_id is None:
        raise SeriesError(_("This event is not part of a series."))
    event.status = Event.Status.CANCELLED
    event.edited_on_its_own = True
    event.save()
    return event


@transaction.atomic
def series_date_move(*, event: Event, start_time: datetime, end_time: datetime) -> Event:
    """Move one night of a series; series edits leave it where staff put it."""
    if event.series_id is None:
        raise SeriesError(_("This event is not part of a series."))
    if end_time <= start_time:
        raise SeriesError(_("The event must end after it starts."))
    event.start_time = start_time
    event.end_time = end_time
    event.edited_on_its_own = True
    event.save()
    return event


@transaction.atomic
def series_end(*, series: Series, last_date: date, now: datetime) -> SyncResult:
    """End the series after `last_date`: every later future night is cancelled, edited or not."""
    if last_date < series.first_date:
        raise SeriesError(_("A series cannot end before its first date."))
    series.until = last_date
    with series_held():
        series.save(update_fields=["until", "updated_at"])
    result = series_sync(series=series, now=now)
    later = Event.objects.filter(series=series, series_date__gt=last_date, start_time__gt=now)
    with series_applying():
        for event in later.exclude(status=Event.Status.CANCELLED):
            event.status = Event.Status.CANCELLED
            event.save()
            result.cancelled.append(event)
    return result


@transaction.atomic
def series_adopt_event(*, series: Series, event: Event) -> bool:
    """Make an existing event the series' night on its date ("Make this a weekly series").

    Only when the rule yields that night, nothing else holds it, and the event belongs to no
    other series; returns whether it was adopted.
    """
    night = event.start_time.astimezone(series.zone).date()
    if event.series_id is not None:
        return event.series_id == series.pk
    if night not in parse_rule(series.rule).dates(first=series.first_date, last=night):
        return False
    if series.until and night > series.until:
        return False
    if Event.objects.filter(series=series, series_date=night).exists():
        return False
    event.series = series
    event.series_date = night
    with series_applying():
        event.save(update_fields=["series", "series_date", "updated_at"])
    return True


def series_from_event(*, event: Event) -> dict:
    """Initial values for a weekly series made from an existing event (its night, its texts)."""
    zone = event.zone
    local_start = event.start_time.astimezone(zone)
    return {
        "title": event.title,
        "title_it": event.title_it,
        "description": event.description,
        "description_it": event.description_it,
        "event_type": event.event_type,
        "audience": event.audience,
        "location": event.location_id,
        "timezone": event.timezone,
        "first_date": local_start.date(),
        "start_time": local_start.time().replace(second=0, microsecond=0),
        "duration": event.end_time - event.start_time,
        "weekday": local_start.weekday(),
        "status": Series.Status.PUBLISHED
        if event.status == Event.Status.SCHEDULED
        else Series.Status.DRAFT,
    }


def _is_future(event: Event, now: datetime) -> bool:
    return event.start_time > now


def _series_values(series: Series, night: date) -> dict:
    start = series.starts_on(night)
    return {
        "title": series.title,
        "title_it": series.title_it,
        "description": series.description,
        "description_it": series.description_it,
        "event_type": series.event_type,
        "audience": series.audience,
        "location_id": series.location_id,
        "timezone": series.timezone,
        "start_time": start,
        "end_time": start + series.duration,
        "status": series.date_status,
    }


def _create_date(*, series: Series, night: date, line_up: list) -> Event | None:
    try:
        # A savepoint: losing a race to another worker leaves this transaction usable.
        with transaction.atomic():
            event = Event.objects.create(
                series=series, series_date=night, **_series_values(series, night)
            )
    except IntegrityError:
        if Event.objects.filter(series=series, series_date=night).exists():
            return None  # another worker made this night first
        raise
    if line_up:
        event_set_artists(event=event, artists=line_up)
    return event


def _apply(*, series: Series, event: Event, line_up: list) -> bool:
    """Write the series' values to one date; False when it already shows them."""
    values = _series_values(series, event.series_date)
    changed = [name for name, value in values.items() if getattr(event, name) != value]
    for name in changed:
        setattr(event, name, values[name])
    if changed:
        event.save()
    if [artist.pk for artist in event.ordered_artists] != [artist.pk for artist in line_up]:
        event_set_artists(event=event, artists=line_up)
        changed.append("artists")
    return bool(changed)
