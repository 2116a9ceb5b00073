"""The programme as RFC 5545 calendars (built with `icalendar`, never by string templates).

Every event keeps one UID for life (derived from its primary key, so it survives any edit and
any change of the site's address), and its SEQUENCE is `Event.ical_sequence`, which rises
whenever something a subscriber sees changes. Times carry the event's TZID, and every zone used
has its VTIMEZONE (with the DST rules of the years the feed spans). The output depends only on
the stored events, so the same programme gives byte-identical feeds (cheap conditional GET).
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from events.feeds.timezones import vtimezone
from events.models import Event

PRODID = "-//The Dreamer's Cave//TDC Integrations//EN"
# How often subscribers' apps should fetch the feed again (Apple and Google honour these).
REFRESH_INTERVAL = timedelta(hours=1)


def event_uid(event: Event) -> str:
    return f"tdc-event-{event.pk}@thedreamerscave"


def event_page_url(event: Event) -> str:
    return settings.SITE_URL + reverse("events:public", args=[event.pk])


def _description(event: Event, page_url: str) -> str:
    parts = []
    if event.description:
        parts.append(event.description)
    if event.title_it and event.title_it != event.title:
        parts.append(event.title_it)
    if event.description_it and event.description_it != event.description:
        parts.append(event.description_it)
    artists = event.ordered_artists
    if artists:
        lines = [_("Line-up:")]
        lines += [
            f"- {artist.name}" + (f" {artist.link}" if artist.link else "") for artist in artists
        ]
        parts.append("\n".join(lines))
    if event.location:
        parts.append(_("Teleport in Second Life: %(slurl)s") % {"slurl": event.location.slurl})
    parts.append(page_url)
    return "\n\n".join(parts)


def _location(event: Event) -> str:
    if not event.location:
        return ""
    return f"{event.location.name}, {event.location.region} (Second Life) {event.location.slurl}"


def vevent(event: Event) -> icalendar.Event:
    page_url = event_page_url(event)
    cancelled = event.status == Event.Status.CANCELLED
    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("sequence", event.ical_sequence)
    entry.add("dtstamp", event.updated_at)
    entry.add("created", event.created_at)
    entry.add("last-modified", event.updated_at)
    zone = event.zone
    entry.add("dtstart", event.start_time.astimezone(zone))
    entry.add("dtend", event.end_time.astimezone(zone))
    summary = _("Cancelled: %(title)s") % {"title": event.title} if cancelled else event.title
    entry.add("summary", summary)
    entry.add("description", _description(event, page_url))
    location = _location(event)
    if location:
        entry.add("location", location)
    entry.add("url", page_url)
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    entry.add("transp", "OPAQUE")
    return entry


def calendar(*, events: list[Event], name: str, description: str = "") -> bytes:
    """One VCALENDAR holding `events`, with the VTIMEZONE of every zone they use. A lazy
    `name` or `description` (gettext_lazy) is said here, in the feed's language."""
    # Feeds are shared by every visitor (and CDN-cached): one language for all.
    with translation.override(settings.LANGUAGE_CODE):
        name, description = str(name), str(description)
        cal = icalendar.Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        if description:
            cal.add("description", description)
            cal.add("x-wr-caldesc", description)
        cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
        if events:
            # Transitions for the years the feed spans (not 1970-2038: that bloats every fetch).
            first = min(event.start_time for event in events).date() - timedelta(days=366)
            last = max(event.end_time for event in events).date() + timedelta(days=366)
            for key in sorted({event.zone.key for event in events}):
                cal.add_component(vtimezone(ZoneInfo(key), first=first, last=last))
        for event in events:
            cal.add_component(vevent(event))
        return cal.to_ical()
