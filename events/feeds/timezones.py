"""VTIMEZONE components written from the zone database's own transitions.

Each STANDARD/DAYLIGHT part starts at the transition's local time *before* the change, as
RFC 5545 3.6.5 defines (02:00 on Europe/Rome's spring-forward night, not 03:00): a wrong onset
puts events near a change an hour off in strict clients.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

_STEP = timedelta(days=1)


def _state(zone: ZoneInfo, moment: datetime) -> tuple[timedelta, timedelta, str]:
    local = moment.astimezone(zone)
    return local.utcoffset(), local.dst() or timedelta(0), local.tzname() or ""


def _transition_in(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first instant in (low, high] with `high`'s offset (bisection to the second)."""
    target = _state(zone, high)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _state(zone, middle) == target:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def _part(name: str, onset: datetime, before: timedelta, after: timedelta, tzname: str):
    part = icalendar.TimezoneDaylight() if name == "DAYLIGHT" else icalendar.TimezoneStandard()
    part.add("dtstart", onset)  # naive: local wall time
    part.add("tzoffsetfrom", before)
    part.add("tzoffsetto", after)
    if tzname:
        part.add("tzname", tzname)
    return part


def vtimezone(zone: ZoneInfo, *, first: date, last: date) -> icalendar.Timezone:
    """The VTIMEZONE of `zone` covering `first`..`last`."""
    component = icalendar.Timezone()
    component.add("tzid", zone.key)
    moment = datetime.combine(first, time.min, tzinfo=UTC)
    end = datetime.combine(last, time.min, tzinfo=UTC)
    offset, dst, tzname = _state(zone, moment)
    # The rule in force when the span opens.
    component.add_component(
        _part(
            "DAYLIGHT" if dst else "STANDARD",
            (moment + offset).replace(tzinfo=None),
            offset,
            offset,
            tzname,
        )
    )
    while moment < end:
        following = moment + _STEP
        if _state(zone, following) != (offset, dst, tzname):
            change = _transition_in(zone, moment, following)
            new_offset, new_dst, new_name = _state(zone, change)
            onset = (change + offset).replace(tzinfo=None)  # wall time before the change
            component.add_component(
                _part("DAYLIGHT" if new_dst else "STANDARD", onset, offset, new_offset, new_name)
            )
            offset, dst, tzname = new_offset, new_dst, new_name
            moment = change
        else:
            moment = following
    return component
