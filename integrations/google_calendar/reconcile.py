"""Reconcile both calendars with the database: the repair for anything a task missed.

Lists our events on each calendar (by a private extended property, deleted ones included),
compares them with what the database wants, and plans the least work: insert what is missing,
update what differs, re-confirm what Google keeps as cancelled, delete orphans. Events already
in step cost no call; their entries are brought up to date so later tasks stay silent.
"""

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from events.models import Event
from events.selectors import events_visible
from integrations.google_calendar.client import (
    CalendarClient,
    CalendarRefused,
    EventExists,
    EventGone,
)
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.sync import (
    EVENT_ID_PROPERTY,
    belongs_on,
    body_hash,
    calendar_ids,
    event_body,
    google_event_id,
    our_properties,
)
from integrations.http import IntegrationError

logger = logging.getLogger(__name__)

# Google's per-user quota is 600 requests a minute; stay well under it.
REQUESTS_PER_MINUTE = 500


class Pacer:
    """Lets bursts through but never more than `limit` calls in any `period` seconds."""

    def __init__(self, limit: int = REQUESTS_PER_MINUTE, period: float = 60.0, sleep=time.sleep):
        self.limit = limit
        self.period = period
        self.sleep = sleep
        self.clock = time.monotonic
        self._recent: deque[float] = deque()
        self.waited = 0.0

    def wait(self) -> None:
        now = self.clock()
        while self._recent and now - self._recent[0] >= self.period:
            self._recent.popleft()
        if len(self._recent) >= self.limit:
            pause = self.period - (now - self._recent[0])
            if pause > 0:
                self.waited += pause
                self.sleep(pause)
            self._recent.popleft()
        self._recent.append(self.clock())


@dataclass
class Action:
    kind: str  # "insert", "update", "re-confirm", "delete"
    calendar: str
    calendar_id: str
    google_event_id: str
    event_id: int | None
    title: str
    reason: str
    body: dict | None = None

    def describe(self) -> str:
        label = CalendarEntry.Calendar(self.calendar).label
        who = f"event {self.event_id}" if self.event_id else "unknown event"
        return f"{self.kind:<10} {label}: {who} “{self.title}” ({self.reason})"


@dataclass
class InStep:
    calendar: str
    calendar_id: str
    event: Event
    body: dict
    etag: str


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    in_step: list[InStep] = field(default_factory=list)
    listed: dict[str, int] = field(default_factory=dict)  # calendar -> events found on Google
    list_calls: int = 0
    unlisted: dict[str, str] = field(default_factory=dict)  # calendar -> why it was not listed
    live: dict[str, set[str]] = field(default_factory=dict)  # calendar -> ids Google shows

    def unlisted_summary(self) -> str:
        return "; ".join(
            f"Could not list the {CalendarEntry.Calendar(calendar).label.lower()}: {message}"
            for calendar, message in self.unlisted.items()
        )


@dataclass
class ApplyResult:
    done: int = 0
    calls: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: int = 0  # changed since planning: no longer needed
    stopped: str = ""  # why the run stopped early, if it did


def plan_reconcile(*, client: CalendarClient, pacer: Pacer | None = None) -> Plan:
    """What it takes to make both calendars match the database. Reads only; changes nothing."""
    pacer = pacer or Pacer()
    plan = Plan()
    events = list(events_visible(public_only=False))
    known_ids = set(Event.objects.values_list("pk", flat=True))
    for calendar, calendar_id in calendar_ids().items():
        wanted = {}
        for event in events:
            if belongs_on(event, calendar):
                body = event_body(event)
                wanted[body["id"]] = (event, body)

        def count_page():
            pacer.wait()
            plan.list_calls += 1

        try:
            remote = {
                item["id"]: item
                for item in client.list_events(
                    calendar_id=calendar_id,
                    private_properties=our_properties(),
                    on_page=count_page,
                )
            }
        except IntegrationError as error:
            # One calendar out of reach (not shared, say) must not keep the other unrepaired.
            plan.unlisted[calendar] = error.message
            continue
        plan.live[calendar] = {gid for gid, i in remote.items() if i.get("status") != "cancelled"}
        plan.listed[calendar] = len(plan.live[calendar])
        for gid, (event, body) in wanted.items():
            item = remote.get(gid)
            if item is None:
                kind, reason = "insert", "missing on Google"
            elif item.get("status") == "cancelled":
                kind, reason = "re-confirm", "deleted on Google, scheduled here"
            elif differences := remote_differences(item, body):
                kind, reason = "update", "differs: " + ", ".join(differences)
            else:
                plan.in_step.append(
                    InStep(calendar, calendar_id, event, body, str(item.get("etag", "")))
                )
                continue
            plan.actions.append(
                Action(kind, calendar, calendar_id, gid, event.pk, event.title, reason, body)
            )
        for gid, item in remote.items():
            if gid in wanted or item.get("status") == "cancelled":
                continue
            event_id = _our_event_id(item)
            reason = _orphan_reason(event_id, known_ids, calendar)
            plan.actions.append(
                Action(
                    "delete",
                    calendar,
                    calendar_id,
                    gid,
                    event_id,
                    str(item.get("summary", "")),
                    reason,
                )
            )
    return plan


def remote_differences(item: dict, body: dict) -> list[str]:
    """Which of our fields Google's copy does not match (times compared as instants)."""
    differences = [
        name
        for name in ("summary", "description", "location")
        if (item.get(name) or "") != (body.get(name) or "")
    ]
    for name in ("start", "end"):
        theirs, ours = item.get(name) or {}, body[name]
        if theirs.get("timeZone") != ours["timeZone"] or _instant(
            theirs.get("dateTime")
        ) != _instant(ours["dateTime"]):
            differences.append(name)
    private = (item.get("extendedProperties") or {}).get("private") or {}
    if private != body["extendedProperties"]["private"]:
        differences.append("properties")
    return differences


def _instant(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _our_event_id(item: dict) -> int | None:
    private = (item.get("extendedProperties") or {}).get("private") or {}
    value = str(private.get(EVENT_ID_PROPERTY, ""))
    return int(value) if value.isdigit() else None


def _orphan_reason(event_id: int | None, known_ids: set[int], calendar: str) -> str:
    if event_id is None or event_id not in known_ids:
        return "deleted here"
    if calendar == CalendarEntry.Calendar.PUBLIC:
        return "not a public scheduled event any more"
    return "not scheduled any more, or left from an earlier database"


def apply_plan(
    *,
    plan: Plan,
    client: CalendarClient,
    pacer: Pacer | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ApplyResult:
    """Carry out the plan, recording each outcome on the events' calendar entries."""
    pacer = pacer or Pacer()
    result = ApplyResult()
    _record_in_step(plan.in_step)
    _record_absent(plan.live)
    total = len(plan.actions)
    for number, planned in enumerate(plan.actions, start=1):
        action = _as_the_event_stands_now(planned)
        if action is None:
            result.skipped += 1
            if progress:
                progress(number, total)
            continue
        entry = _entry_for(action)
        try:
            calls, etag = _carry_out(action, client=client, pacer=pacer)
        except IntegrationError as error:
            result.errors.append(f"{action.describe()}: {error.message}")
            if entry is not None:
                entry.state = CalendarEntry.State.FAILED
                entry.last_error = error.message
                entry.save()
            if error.transient or isinstance(error, CalendarRefused):
                # Google is down or refuses us: every further call would fail the same way.
                # (One event Google will not change, EventRefused, stops nothing.)
                result.stopped = error.message
                break
            continue
        finally:
            if progress:
                progress(number, total)
        result.calls += calls
        result.done += 1
        if entry is not None:
            _record_done(entry, action, etag)
    return result


def _as_the_event_stands_now(action: Action) -> Action | None:
    """The planned action with the event's current body, or None if it is no longer needed.

    A long run takes minutes: an event edited meanwhile was pushed by its own task, and
    pushing the body read at planning time would put the old text back on Google.
    """
    event = None
    if action.event_id is not None:
        event = events_visible(public_only=False).filter(pk=action.event_id).first()
    wanted = (
        event is not None
        and belongs_on(event, action.calendar)
        and google_event_id(event) == action.google_event_id
    )
    if action.kind == "delete":
        return None if wanted else action
    if not wanted:
        return None
    return replace(action, body=event_body(event), title=event.title)


def _carry_out(action: Action, *, client: CalendarClient, pacer: Pacer) -> tuple[int, str]:
    """The calls for one action: (how many were made, the new etag)."""
    pacer.wait()
    if action.kind == "delete":
        client.delete_event(calendar_id=action.calendar_id, event_id=action.google_event_id)
        return 1, ""
    if action.kind == "insert":
        try:
            remote = client.insert_event(calendar_id=action.calendar_id, body=action.body)
            return 1, remote.get("etag", "")
        except EventExists:
            pacer.wait()
            remote = client.update_event(
                calendar_id=action.calendar_id, event_id=action.google_event_id, body=action.body
            )
            return 2, remote.get("etag", "")
    try:
        remote = client.update_event(
            calendar_id=action.calendar_id, event_id=action.google_event_id, body=action.body
        )
        return 1, remote.get("etag", "")
    except EventGone:
        pacer.wait()
        remote = client.insert_event(calendar_id=action.calendar_id, body=action.body)
        return 2, remote.get("etag", "")


def _entry_for(action: Action) -> CalendarEntry | None:
    if action.kind == "delete":
        # Only the entry that named this very Google event (not a newer event with the same pk).
        return CalendarEntry.objects.filter(
            calendar=action.calendar, google_event_id=action.google_event_id
        ).first()
    entry, _ = CalendarEntry.objects.get_or_create(
        event_id=action.event_id,
        calendar=action.calendar,
        defaults={"google_event_id": action.google_event_id, "event_title": action.title},
    )
    return entry


def _record_done(entry: CalendarEntry, action: Action, etag: str) -> None:
    entry.calendar_id = action.calendar_id
    entry.google_event_id = action.google_event_id
    entry.last_error = ""
    entry.synced_at = timezone.now()
    entry.etag = etag[:100]
    if action.kind == "delete":
        entry.state = CalendarEntry.State.REMOVED
        entry.body_hash = ""
    else:
        entry.state = CalendarEntry.State.SYNCED
        entry.body_hash = body_hash(action.body)
        entry.event_title = action.title
    entry.save()


def _record_absent(live: dict[str, set[str]]) -> None:
    """Entries of events that belong on no calendar any more, and that Google no longer shows,
    are removed: e.g. a delete whose answer was lost, or a failed insert of an event cancelled
    meanwhile. No call, and no failure left on show for work that is in fact done."""
    for calendar, shown in live.items():
        entries = [
            entry
            for entry in CalendarEntry.objects.filter(calendar=calendar).exclude(
                state=CalendarEntry.State.REMOVED
            )
            if entry.google_event_id not in shown
        ]
        if not entries:
            continue
        events = Event.objects.in_bulk([e.event_id for e in entries])
        gone = [e.pk for e in entries if not belongs_on(events.get(e.event_id), calendar)]
        CalendarEntry.objects.filter(pk__in=gone).update(
            state=CalendarEntry.State.REMOVED,
            body_hash="",
            etag="",
            last_error="",
            updated_at=timezone.now(),
        )


@transaction.atomic
def _record_in_step(in_step: list[InStep]) -> None:
    """Entries of events Google already shows right: synced, with the body's hash (no call)."""
    if not in_step:
        return
    existing = {
        (entry.event_id, entry.calendar): entry
        for entry in CalendarEntry.objects.filter(event_id__in={item.event.pk for item in in_step})
    }
    changed, created = [], []
    fields = ["calendar_id", "google_event_id", "event_title", "body_hash", "etag", "state"]
    for item in in_step:
        values = {
            "calendar_id": item.calendar_id,
            "google_event_id": google_event_id(item.event),
            "event_title": item.event.title,
            "body_hash": body_hash(item.body),
            "etag": item.etag[:100],
            "state": CalendarEntry.State.SYNCED,
        }
        entry = existing.get((item.event.pk, item.calendar))
        if entry is None:
            created.append(
                CalendarEntry(
                    event=item.event, calendar=item.calendar, synced_at=timezone.now(), **values
                )
            )
        elif any(getattr(entry, name) != value for name, value in values.items()) or (
            entry.last_error
        ):
            for name, value in values.items():
                setattr(entry, name, value)
            entry.last_error = ""
            entry.updated_at = timezone.now()
            changed.append(entry)
    CalendarEntry.objects.bulk_create(created, batch_size=500)
    CalendarEntry.objects.bulk_update(
        changed, [*fields, "last_error", "updated_at"], batch_size=500
    )
