"""Turning an event and its type's template into the exact text of an announcement.

Times are shown in SLT (America/Los_Angeles, the Second Life clock), whatever the server's
zone; the venue's own time is available too, with its zone's abbreviation.
"""

import string
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models import Event
from integrations.facebook.models import DEFAULT_TEMPLATE_KEY, PostTemplate

VENUE_NAME = "The Dreamer's Cave"

# Every placeholder a template may use, with what staff see in the admin's help list.
PLACEHOLDERS: dict[str, object] = {
    "title": _("title in English"),
    "title_it": _("title in Italian (English when there is none)"),
    "description": _("description in English"),
    "description_it": _("description in Italian (English when there is none)"),
    "artists": _("artists in billing order, or TBA"),
    "type": _("event type, e.g. Live singer"),
    "date": _("day in SLT, in English: Saturday, December 5, 2026"),
    "date_it": _("day in SLT, in Italian: sabato 5 dicembre 2026"),
    "time": _("start in SLT, 24-hour: 12:00"),
    "time_12h": _("start in SLT, 12-hour: 12:00 PM"),
    "end_time": _("end in SLT, 24-hour: 13:30"),
    "venue_time": _("start in the venue's zone with its abbreviation: 21:00 CET"),
    "location": format_lazy(_("location name ({venue} when none)"), venue=VENUE_NAME),
    "slurl": _("Second Life map link to the location"),
    "url": _("the event's public page"),
}


def template_errors(text: str) -> list[str]:
    """Problems that make `text` unusable as a template, in words staff can act on."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        return [
            gettext(
                "The braces do not match (%(problem)s). Placeholders look like {title}; to show a "
                "literal brace write {{ or }}."
            )
            % {"problem": exc}
        ]
    errors = []
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field == "" or field.isdigit():
            errors.append(
                gettext("An empty or numbered placeholder like {} or {0} is not allowed.")
            )
        elif field not in PLACEHOLDERS:
            errors.append(
                gettext("Unknown placeholder {%(field)s}. Known: %(known)s.")
                % {"field": field, "known": known_placeholders()}
            )
        elif spec or conversion:
            errors.append(
                gettext("Write {%(field)s} without a format or conversion after the name.")
                % {"field": field}
            )
    return list(dict.fromkeys(errors))


def known_placeholders() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def slt() -> ZoneInfo:
    return ZoneInfo(settings.SECOND_LIFE_TIME_ZONE)


def public_event_url(event: Event) -> str:
    return settings.SITE_URL + reverse("events:public", args=[event.pk])


def _date_in(value, language: str, fmt: str) -> str:
    with translation.override(language):
        return formats.date_format(value, fmt)


def placeholder_values(event: Event) -> dict[str, str]:
    start = event.start_time.astimezone(slt())
    end = event.end_time.astimezone(slt())
    venue = event.start_time.astimezone(ZoneInfo(settings.TIME_ZONE))
    return {
        "title": event.title,
        "title_it": event.title_in("it"),
        "description": event.description,
        "description_it": event.description_in("it"),
        "artists": event.artist_names or "TBA",
        "type": event.get_event_type_display(),
        "date": _date_in(start, "en", "l, F j, Y"),
        # Italian writes day and month names in lower case (Django's catalogue capitalises).
        "date_it": _date_in(start, "it", "l j F Y").lower(),
        "time": start.strftime("%H:%M"),
        "time_12h": start.strftime("%I:%M %p").lstrip("0"),
        "end_time": end.strftime("%H:%M"),
        "venue_time": f"{venue:%H:%M} {venue.tzname()}",
        "location": event.location.name if event.location else VENUE_NAME,
        "slurl": event.location.slurl if event.location else "",
        "url": public_event_url(event),
    }


def render(text: str, event: Event) -> str:
    """The template filled in for `event`. Raises ValueError for a template that is not valid."""
    errors = template_errors(text)
    if errors:
        raise ValueError(" ".join(errors))
    return text.format_map(placeholder_values(event)).strip()


def template_for(event: Event, *, templates: dict[str, PostTemplate] | None = None):
    """The template for the event's type, else the default one, else None."""
    if templates is None:
        templates = {
            t.event_type: t
            for t in PostTemplate.objects.filter(
                event_type__in=[event.event_type, DEFAULT_TEMPLATE_KEY]
            )
        }
    return templates.get(event.event_type) or templates.get(DEFAULT_TEMPLATE_KEY)


def template_by_key(
    event: Event, template_key: str, *, templates: dict[str, PostTemplate] | None = None
) -> PostTemplate | None:
    """The template a post names ("" = the event type's own, else the default); None if gone."""
    if not template_key:
        return template_for(event, templates=templates)
    if templates is None:
        return PostTemplate.objects.filter(event_type=template_key).first()
    return templates.get(template_key)
