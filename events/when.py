"""How a moment is written for people: the current language's formats (tdc/formats/), 24-hour,
no seconds, and the zone named, so every list, form and page says "when" the same way."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone

SLT_NAME = "SLT"  # Second Life's own name for its clock, whatever the season


def slt() -> ZoneInfo:
    return ZoneInfo(settings.SECOND_LIFE_TIME_ZONE)


def date_and_time(moment: datetime, zone: ZoneInfo, *, zone_name: str = "") -> str:
    """ "Sat 5 Dec 2026, 21:00 CET" / "Sab 5 Dic 2026, 21:00 CET"."""
    local = moment.astimezone(zone)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {zone_name or local.tzname()}"


def in_current_zone(moment: datetime) -> str:
    """`date_and_time` in the current time zone: the venue's, unless a view activated another."""
    return date_and_time(moment, timezone.get_current_timezone())


def time_of_day(moment: datetime, zone: ZoneInfo, *, zone_name: str = "") -> str:
    """ "21:00 CET"."""
    local = moment.astimezone(zone)
    return f"{formats.time_format(local, 'TIME_FORMAT')} {zone_name or local.tzname()}"


def in_slt(moment: datetime) -> str:
    """ "Sat 5 Dec 2026, 12:00 SLT"."""
    return date_and_time(moment, slt(), zone_name=SLT_NAME)
