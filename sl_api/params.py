"""The query parameters every panel endpoint accepts, checked by hand.

Hand-parsed on purpose: a bad value must answer 400 with a short JSON `{"error": ...}` that a
script can read, never ninja's 422 list of validation details.
"""

import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import QueryDict

from events.models import DEFAULT_LANGUAGE, time_zone_or_none

LIMIT_DEFAULT, LIMIT_MIN, LIMIT_MAX = 10, 1, 50
# llHTTPRequest reads 2048 body bytes unless the script raises HTTP_BODY_MAXLENGTH (max 16384).
MAX_BYTES_DEFAULT, MAX_BYTES_MIN, MAX_BYTES_MAX = 2048, 256, 16384
FORMATS = ("json", "text")
TZ_ALIASES = {"SLT": settings.SECOND_LIFE_TIME_ZONE}


class BadParameter(ValueError):
    """A query parameter a panel sent that we cannot honour; the message is shown to it."""


@dataclass(frozen=True)
class PanelQuery:
    zone: ZoneInfo
    language: str
    limit: int
    max_bytes: int
    format: str

    @property
    def cache_key(self) -> tuple:
        return (self.zone.key, self.language, self.limit, self.max_bytes, self.format)


@functools.lru_cache(maxsize=256)
def panel_query_for(query_string: str, *, lists: bool = True) -> PanelQuery:
    """`panel_query_from` for a raw query string, remembered: panels repeat theirs all day."""
    return panel_query_from(QueryDict(query_string), lists=lists)


def panel_query_from(params: QueryDict, *, lists: bool = True) -> PanelQuery:
    """Read tz, lang, limit, max_bytes and format; others (cache busters) are ignored.

    `limit` only means something for a list: a single-event panel ignores it.
    """
    limit = params.get("limit") if lists else None
    return PanelQuery(
        zone=_zone(params.get("tz")),
        language=_language(params.get("lang")),
        limit=_bounded_int(limit, "limit", LIMIT_DEFAULT, LIMIT_MIN, LIMIT_MAX),
        max_bytes=_bounded_int(
            params.get("max_bytes"), "max_bytes", MAX_BYTES_DEFAULT, MAX_BYTES_MIN, MAX_BYTES_MAX
        ),
        format=_format(params.get("format")),
    )


def _zone(value: str | None) -> ZoneInfo:
    if value is None or value == "":
        return ZoneInfo(settings.SECOND_LIFE_TIME_ZONE)
    zone = time_zone_or_none(TZ_ALIASES.get(value.upper(), value))
    if zone is None:
        raise BadParameter(f"tz: unknown time zone {_shown(value)}; use an IANA name or SLT")
    return zone


def _language(value: str | None) -> str:
    if value is None or value == "":
        return DEFAULT_LANGUAGE
    # "it-IT" or "it_IT" mean Italian too; the region part changes nothing for us.
    primary = value.replace("_", "-").split("-", 1)[0].lower()
    known = [code for code, _name in settings.LANGUAGES]
    if primary not in known:
        raise BadParameter(f"lang: {_shown(value)} is not one of {', '.join(known)}")
    return primary


def _bounded_int(value: str | None, name: str, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    text = value.strip()
    # isdecimal() alone accepts other scripts' digits; panels send ASCII.
    if not (text.isascii() and text.isdecimal() and len(text) <= 6):
        raise BadParameter(f"{name}: must be a whole number from {low} to {high}")
    number = int(text)
    if not low <= number <= high:
        raise BadParameter(f"{name}: must be from {low} to {high}, not {number}")
    return number


def _format(value: str | None) -> str:
    if value is None or value == "":
        return "json"
    if value.lower() not in FORMATS:
        raise BadParameter(f"format: {_shown(value)} is not one of {', '.join(FORMATS)}")
    return value.lower()


def _shown(value: str) -> str:
    """The bad value, quoted and kept short: an error body must stay tiny and one line."""
    printable = "".join(ch if ch.isprintable() else "?" for ch in value)
    if len(printable) > 40:
        printable = printable[:39] + "…"
    return f'"{printable}"'
