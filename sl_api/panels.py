"""What each panel endpoint shows, built from the events selectors and fitted to the byte budget.

A `Panel` is the part of an answer that can be kept: its body (clock left out, see bodies.py)
and the moment it stops being true on its own (an event ends, the day changes).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from events.models import Event
from events.selectors import day_bounds, event_next, events_today, events_upcoming
from sl_api.bodies import (
    COUNTDOWN_RESERVE,
    TEXT_HEADER_RESERVE,
    Body,
    CountdownBody,
    JsonBody,
    TextBody,
    json_bytes,
)
from sl_api.budget import fit_record, fit_records
from sl_api.params import PanelQuery

UPCOMING_FIELDS = (
    "title", "date", "time", "location", "type", "slurl", "id", "start", "end", "artists",
)  # fmt: skip
NEXT_FIELDS = ("title", "start_time", "location", "slurl", "start", "end")
TODAY_FIELDS = ("title", "time", "location", "type", "start", "end")
# format=text: one line per event, these fields in this order (documented in docs/second-life.md).
TEXT_FIELDS = ("start", "end", "date", "time", "title", "location", "type", "slurl")

SHORTENABLE = ("title", "location", "artists")
EXPENDABLE = ("slurl",)  # half a link is worse than none: emptied, never shortened
# Writes that send no signal (QuerySet.update(), raw SQL) cannot move the change marker (see
# change_marker.py); a kept panel is rebuilt at least this often so they show within a minute.
KEEP_AT_MOST = timedelta(seconds=60)

TEXT_SEPARATOR = "|"
TEXT_SEPARATOR_STAND_IN = "¦"  # looks alike, is not a field separator
_LINE_BREAKS_AND_CONTROLS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


@dataclass(frozen=True)
class Panel:
    body: Body
    valid_until: float  # unix seconds; from then on the panel must be rebuilt


def upcoming_panel(query: PanelQuery, *, now: datetime) -> Panel:
    events = events_upcoming(now=now, limit=query.limit)
    # The list changes by itself only when one of these events ends.
    until = min((event.end_time for event in events), default=None)
    return Panel(_list_body(events, query, fields=UPCOMING_FIELDS), _valid_until(now, until))


def today_panel(query: PanelQuery, *, now: datetime) -> Panel:
    events = events_today(zone=query.zone, now=now)[: query.limit]
    _day_start, day_end = day_bounds(day=now.astimezone(query.zone).date(), zone=query.zone)
    return Panel(_list_body(events, query, fields=TODAY_FIELDS), _valid_until(now, day_end))


def next_panel(query: PanelQuery, *, now: datetime) -> Panel:
    event = event_next(now=now)
    until = event.end_time if event else None
    if query.format == "text":
        return Panel(_text_body([event] if event else [], query), _valid_until(now, until))
    if event is None:
        return Panel(JsonBody(json_bytes({"event": None})), _valid_until(now, None))
    record = _record(event, query)
    fields = fit_record(
        record,
        render=lambda r: json_bytes({name: r[name] for name in NEXT_FIELDS}),
        budget=query.max_bytes - COUNTDOWN_RESERVE,
        shortenable=[name for name in SHORTENABLE if name in NEXT_FIELDS],
        expendable=EXPENDABLE,
    )
    return Panel(CountdownBody(fields, start=record["start"]), _valid_until(now, until))


def _list_body(events: list[Event], query: PanelQuery, *, fields: tuple[str, ...]) -> Body:
    if query.format == "text":
        return _text_body(events, query)
    parts = fit_records(
        [_record(event, query) for event in events],
        render=lambda r: json_bytes({name: r[name] for name in fields}),
        budget=query.max_bytes - len(b"[]"),
        separator_bytes=len(b","),
        shortenable=[name for name in SHORTENABLE if name in fields],
        expendable=EXPENDABLE,
    )
    return JsonBody(b"[" + b",".join(parts) + b"]")


def _text_body(events: list[Event], query: PanelQuery) -> TextBody:
    lines = fit_records(
        [_record(event, query) for event in events],
        render=_text_line,
        budget=query.max_bytes - TEXT_HEADER_RESERVE,
        separator_bytes=len(b"\n"),
        shortenable=[name for name in SHORTENABLE if name in TEXT_FIELDS],
        expendable=EXPENDABLE,
    )
    return TextBody(lines)


def _text_line(record: dict) -> bytes:
    return TEXT_SEPARATOR.join(_text_value(record[name]) for name in TEXT_FIELDS).encode()


def _text_value(value) -> str:
    """One field of a text line: no separator and no line break, whatever staff typed."""
    text = str(value).replace(TEXT_SEPARATOR, TEXT_SEPARATOR_STAND_IN)
    return _LINE_BREAKS_AND_CONTROLS.sub(" ", text)


def _record(event: Event, query: PanelQuery) -> dict:
    start = event.start_time.astimezone(query.zone)
    location = event.location
    return {
        "id": event.pk,
        "title": event.title_in(query.language),
        "date": start.date().isoformat(),
        "time": f"{start:%H:%M}",
        "start_time": start.isoformat(),
        "location": location.name if location else "",
        "type": event.event_type,
        "slurl": location.slurl if location else "",
        "start": int(event.start_time.timestamp()),
        "end": int(event.end_time.timestamp()),
        "artists": event.artist_names,
    }


def _valid_until(now: datetime, changes_at: datetime | None) -> float:
    backstop = now + KEEP_AT_MOST
    return min(changes_at, backstop).timestamp() if changes_at else backstop.timestamp()
