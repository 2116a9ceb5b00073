"""Desired state -> Google: make each calendar match one event's current state.

The internal calendar holds every scheduled event; the public one holds scheduled public
events. A task carries only the event id and reads the current state, so duplicate or
out-of-order tasks converge to the same result. Google event ids are derived from our event, so
a repeated insert answers 409 ("update it") and a repeated delete 404/410 ("already gone").
"""

import hashlib
import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from events.models import Event
from integrations.google_calendar.client import (
    NOT_CONFIGURED,
    CalendarClient,
    EventExists,
    EventGone,
    missing_settings,
)
from integrations.google_calendar.models import CalendarEntry
from integrations.http import IntegrationError, NotConfigured

logger = logging.getLogger(__name__)

EVENT_ID_PROPERTY = "tdcEventId"
SITE_PROPERTY = "tdcSite"  # keeps two installations sharing a calendar out of each other's way


# --- what the calendars should hold ------------------------------------------------------------


def calendar_ids() -> dict[str, str]:
    return {
        CalendarEntry.Calendar.INTERNAL: settings.GOOGLE_CALENDAR_INTERNAL_ID,
        CalendarEntry.Calendar.PUBLIC: settings.GOOGLE_CALENDAR_PUBLIC_ID,
    }


def belongs_on(event: Event | None, calendar: str) -> bool:
    if event is None or event.status != Event.Status.SCHEDULED:
        return False
    return calendar == CalendarEntry.Calendar.INTERNAL or event.audience == Event.Audience.PUBLIC


def google_event_id(event: Event) -> str:
    """Our event's id on Google: base32hex characters (a-v, 0-9), 5 to 1024 of them.

    The creation instant joins the pk so that a database rebuilt from scratch, whose pks
    start again at 1, never takes over (or re-confirms) the old database's events.
    """
    created = int(event.created_at.timestamp() * 1_000_000)
    return f"tdc{event.pk}e{created:x}"  # decimal pk, then "e", then hex: unambiguous


def our_properties() -> dict[str, str]:
    return {SITE_PROPERTY: settings.SITE_URL}


def event_body(event: Event) -> dict:
    """The Google Calendar event resource for one of our events."""
    zone = event.zone
    lines = [event.description.strip()] if event.description.strip() else []
    details = []
    if event.artist_names:
        details.append(f"Artists: {event.artist_names}")
    if event.location_id:
        details.append(f"In Second Life: {event.location.slurl}")
    if event.url:
        details.append(f"More: {event.url}")
    if details:
        lines.append("\n".join(details))
    return {
        "id": google_event_id(event),
        "summary": event.title,
        "description": "\n\n".join(lines),
        "location": event.location.name if event.location_id else "",
        # Wall-clock time in the event's zone plus the zone name: Google places it correctly
        # on both sides of a DST change and shows it in each subscriber's own zone.
        "start": {
            "dateTime": event.start_time.astimezone(zone).isoformat(timespec="seconds"),
            "timeZone": zone.key,
        },
        "end": {
            "dateTime": event.end_time.astimezone(zone).isoformat(timespec="seconds"),
            "timeZone": zone.key,
        },
        "status": "confirmed",  # also brings back an event Google keeps as cancelled
        "extendedProperties": {
            "private": {EVENT_ID_PROPERTY: str(event.pk), **our_properties()},
        },
    }


def body_hash(body: dict) -> str:
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    ).hexdigest()


# --- one event ----------------------------------------------------------------------------------


@dataclass
class SyncResult:
    event_id: int
    calls: int = 0
    outcomes: dict[str, str] = field(default_factory=dict)  # calendar -> what happened
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def summary(self) -> str:
        parts = [f"{calendar}: {what}" for calendar, what in self.outcomes.items()]
        return f"event {self.event_id}: " + ("; ".join(parts) or "nothing to do")


def sync_event(
    *, event_id: int, client: CalendarClient | None = None, force: bool = False
) -> SyncResult:
    """Converge both calendars to the event's current state (or its absence).

    `force` pushes even when the body equals the last one pushed (repairs edits made on Google).
    Raises NotConfigured when the settings are missing; records other failures on the entries.
    """
    if missing_settings():
        raise NotConfigured(NOT_CONFIGURED % {"settings": ", ".join(missing_settings())})
    result = SyncResult(event_id=event_id)
    event = _load_event(event_id)
    wanted = [c for c in CalendarEntry.Calendar.values if belongs_on(event, c)]
    if not wanted and not CalendarEntry.objects.filter(event_id=event_id).exists():
        return result  # never pushed anywhere, not wanted anywhere: a draft, say
    for calendar in wanted:
        CalendarEntry.objects.get_or_create(
            event_id=event_id,
            calendar=calendar,
            defaults={"google_event_id": google_event_id(event), "event_title": event.title},
        )
    lazy_client = _LazyClient(client)
    with _event_lock(event_id) as entries:
        event = _load_event(event_id)  # read again under the lock: the state we converge to
        for entry in entries:
            _converge_entry(
                entry=entry, event=event, client=lazy_client, force=force, result=result
            )
    return result


class _LazyClient:
    """Builds the client (credentials, token) only when a call is really needed."""

    def __init__(self, client: CalendarClient | None):
        self._client = client

    def __getattr__(self, name):
        if self._client is None:
            self._client = CalendarClient.from_settings()
        return getattr(self._client, name)


def _load_event(event_id: int) -> Event | None:
    return Event.objects.select_related("location").filter(pk=event_id).first()


@contextmanager
def _event_lock(event_id: int):
    """The event's entries, locked so two tasks for one event push one after the other.

    Without row locks (SQLite) a transaction held across HTTP calls would block every other
    writer, so there the entries are used unlocked; deterministic ids keep that safe anyway.
    """
    entries = CalendarEntry.objects.filter(event_id=event_id).order_by("calendar")
    if connection.features.has_select_for_update:
        with transaction.atomic():
            yield list(entries.select_for_update())
    else:
        yield list(entries)


def _converge_entry(
    *, entry: CalendarEntry, event: Event | None, client: CalendarClient, force: bool, result
) -> None:
    calendar_id = calendar_ids()[entry.calendar]
    if entry.calendar_id != calendar_id:
        # A different calendar than last time: nothing we know about it holds there.
        entry.calendar_id = calendar_id
        entry.body_hash = ""
        entry.etag = ""
        if entry.state == CalendarEntry.State.SYNCED:
            entry.state = CalendarEntry.State.PENDING
    calls_before = result.calls
    try:
        if belongs_on(event, entry.calendar):
            what = _push(entry=entry, event=event, client=client, force=force, result=result)
        else:
            what = _remove(entry=entry, client=client, result=result)
    except IntegrationError as error:
        entry.state = CalendarEntry.State.FAILED
        entry.last_error = error.message
        entry.save()
        result.outcomes[entry.calendar] = "failed"
        result.errors[entry.calendar] = error.message
        logger.warning("Calendar sync of event %s to %s failed", entry.event_id, entry.calendar)
        return
    result.outcomes[entry.calendar] = what
    if result.calls != calls_before or entry.last_error:
        entry.last_error = ""
        entry.save()


def _push(*, entry, event: Event, client: CalendarClient, force: bool, result) -> str:
    body = event_body(event)
    digest = body_hash(body)
    if entry.state == CalendarEntry.State.SYNCED and entry.body_hash == digest and not force:
        return "unchanged"
    entry.google_event_id = body["id"]
    entry.event_title = event.title
    if entry.state in (CalendarEntry.State.SYNCED, CalendarEntry.State.REMOVED):
        # Known to exist on Google (a removed one is kept there as cancelled): update it.
        try:
            result.calls += 1
            remote = client.update_event(
                calendar_id=entry.calendar_id, event_id=entry.google_event_id, body=body
            )
            what = "updated" if entry.state == CalendarEntry.State.SYNCED else "re-confirmed"
        except EventGone:
            remote, what = _insert(entry=entry, body=body, client=client, result=result)
    else:
        remote, what = _insert(entry=entry, body=body, client=client, result=result)
    entry.state = CalendarEntry.State.SYNCED
    entry.body_hash = digest
    entry.etag = remote.get("etag", "")[:100]
    entry.synced_at = timezone.now()
    return what


def _insert(*, entry, body: dict, client: CalendarClient, result) -> tuple[dict, str]:
    # Mark first: if the worker dies mid-call, "pending" says the event may exist on Google
    # (under MariaDB's row lock a crash rolls back instead; the derived id keeps either safe).
    entry.state = CalendarEntry.State.PENDING
    entry.save()
    try:
        result.calls += 1
        return client.insert_event(calendar_id=entry.calendar_id, body=body), "inserted"
    except EventExists:
        # Already there: an earlier attempt whose answer was lost, or kept by Google as
        # cancelled after a delete. Updating with status=confirmed makes it ours again.
        result.calls += 1
        remote = client.update_event(calendar_id=entry.calendar_id, event_id=body["id"], body=body)
        return remote, "updated (already existed)"


def _remove(*, entry, client: CalendarClient, result) -> str:
    if entry.state == CalendarEntry.State.REMOVED:
        return "absent"
    result.calls += 1
    deleted = client.delete_event(calendar_id=entry.calendar_id, event_id=entry.google_event_id)
    entry.state = CalendarEntry.State.REMOVED
    entry.body_hash = ""
    entry.etag = ""
    entry.synced_at = timezone.now()
    return "deleted" if deleted else "already gone"
