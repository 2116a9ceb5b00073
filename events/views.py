"""The venue's public face: what's on, the programme, each event's page and the calendar feeds.

Pages and feeds answer from the selectors with a fixed number of queries, and carry validators
(ETag, Last-Modified) computed from one aggregate query before any rendering, so a CDN or a
calendar app asking "anything new?" costs one query and an empty 304.
"""

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import wraps
from itertools import groupby
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import condition, require_safe
from django.views.decorators.vary import vary_on_cookie

from events import feeds
from events.models import CalendarFeedToken, Event
from events.selectors import (
    day_bounds,
    event_page_or_none,
    events_for_feed,
    events_in_window,
    events_other,
    events_past,
    programme_state,
    upcoming_start_times,
)
from events.when import in_slt, slt, time_of_day

# What's on lists the coming weeks; the programme pages show a month each.
COMING_WEEKS = timedelta(weeks=4)
COMING_LIMIT = 60
PAST_PER_PAGE = 20
# Browsers revalidate after a minute; a CDN may serve its copy a little longer. A page is in the
# visitor's language: the switch's cookie, else the browser's Accept-Language. LocaleMiddleware
# says `Vary: Accept-Language` on every answer; each page adds `Vary: Cookie` (vary_on_cookie,
# 304s included), so a shared cache keeps one copy per language and never serves one visitor's
# to another. The ETags name the language too.
PAGE_CACHE = {"public": True, "max_age": 60, "s_maxage": 300, "stale_while_revalidate": 60}
FEED_CACHE = {"public": True, "max_age": 900}
STAFF_FEED_CACHE = {"private": True, "max_age": 900}
ICS_TYPE = "text/calendar; charset=utf-8"
FEED_BODY_KEPT = 3600  # seconds; the key changes with the programme, so this only bounds memory


def _slt() -> ZoneInfo:
    return slt()


def _venue_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- validators ---------------------------------------------------------------------------------


def _state(request):
    # Computed once per request, shared by the ETag and the Last-Modified function.
    if not hasattr(request, "_programme_state"):
        request._programme_state = programme_state()
    return request._programme_state


def _programme_etag(request, *args, **kwargs) -> str:
    return _state(request).fingerprint(
        request.path, request.GET.urlencode(), translation.get_language(), settings.SITE_URL
    )


def _programme_last_modified(request, *args, **kwargs) -> datetime | None:
    return _state(request).last_modified


programme_conditional = condition(
    etag_func=_programme_etag, last_modified_func=_programme_last_modified
)


def cache_for(cache: dict):
    """Cache-Control on every answer of the view, 304s included (CDNs keep them too)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code in (200, 304):
                patch_cache_control(response, **cache)
            return response

        return wrapped

    return decorator


# --- the shapes templates show ------------------------------------------------------------------


@dataclass(frozen=True)
class EventTimes:
    slt: str
    italy: str
    iso_start: str
    iso_end: str


def event_times(event: Event) -> EventTimes:
    # Formatted here: the template's |date filter would turn them back into the current zone.
    return EventTimes(
        slt=in_slt(event.start_time),
        italy=_("%(time)s in Italy") % {"time": time_of_day(event.start_time, _venue_zone())},
        iso_start=event.start_time.isoformat(),
        iso_end=event.end_time.isoformat(),
    )


@dataclass(frozen=True)
class Listing:
    event: Event
    title: str
    time_slt: str
    iso_start: str
    day: str


@dataclass(frozen=True)
class Day:
    label: str
    listings: list[Listing]


def _listing(event: Event, language: str) -> Listing:
    slt = event.start_time.astimezone(_slt())
    return Listing(
        event=event,
        title=event.title_in(language),
        time_slt=time_of_day(event.start_time, _slt(), zone_name="SLT"),
        iso_start=event.start_time.isoformat(),
        day=formats.date_format(slt, "D j M"),
    )


def _by_day(events: list[Event]) -> list[Day]:
    """Events grouped by their day in SLT, the clock the audience meets in."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    days = []
    for day, group in groupby(events, key=lambda e: e.start_time.astimezone(_slt()).date()):
        days.append(
            Day(
                label=formats.date_format(day, "l j F"),
                listings=[_listing(event, language) for event in group],
            )
        )
    return days


def _feed_links() -> dict:
    feed_url = settings.SITE_URL + reverse("events_feed")
    return {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[-1]}


# --- pages --------------------------------------------------------------------------------------


@require_safe
@cache_for(PAGE_CACHE)
@vary_on_cookie
@programme_conditional
def whats_on(request):
    """The next event first (with a countdown), then the coming weeks day by day."""
    now = timezone.now()
    events = events_in_window(start=now, end=now + COMING_WEEKS, now=now, limit=COMING_LIMIT)
    if not events:
        # Nothing in the coming weeks: still show the next one, however far.
        events = events_in_window(start=now, end=now + timedelta(days=3660), now=now, limit=1)
    language = translation.get_language() or settings.LANGUAGE_CODE
    next_event = events[0] if events else None
    context = {
        "next_event": next_event,
        "next_title": next_event.title_in(language) if next_event else "",
        "next_times": event_times(next_event) if next_event else None,
        "next_artists": next_event.ordered_artists if next_event else [],
        "next_running": bool(next_event and next_event.start_time <= now),
        "days": _by_day(events[1:]),
        **_feed_links(),
    }
    return render(request, "events/whats_on.html", context)


def _parse_month(value: str) -> date | None:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


@require_safe
@cache_for(PAGE_CACHE)
@vary_on_cookie
@programme_conditional
def programme(request):
    """Upcoming events, one month per page (?month=YYYY-MM), with links to the other months."""
    now = timezone.now()
    months = sorted(
        {start.astimezone(_slt()).date().replace(day=1) for start in upcoming_start_times(now=now)}
    )
    asked = request.GET.get("month")
    if asked is not None:
        month = _parse_month(asked)
        if month is None:
            raise Http404(_("There is no such month in the programme."))
    else:
        month = months[0] if months else now.astimezone(_slt()).date().replace(day=1)
    last_day = date(month.year, month.month, month_calendar.monthrange(month.year, month.month)[1])
    start, _end = day_bounds(day=month, zone=_slt())
    _start, end = day_bounds(day=last_day, zone=_slt())
    events = events_in_window(start=start, end=end, now=now)
    earlier = [m for m in months if m < month]
    later = [m for m in months if m > month]
    context = {
        "month": month,
        "month_label": formats.date_format(month, "F Y"),
        "days": _by_day(events),
        "months": [
            {"value": f"{m:%Y-%m}", "label": formats.date_format(m, "F Y"), "current": m == month}
            for m in months
        ],
        "previous_month": f"{earlier[-1]:%Y-%m}" if earlier else "",
        "next_month": f"{later[0]:%Y-%m}" if later else "",
        **_feed_links(),
    }
    return render(request, "events/programme.html", context)


@require_safe
@cache_for(PAGE_CACHE)
@vary_on_cookie
@programme_conditional
def past(request):
    """Events that have ended, latest first, a page at a time."""
    page = Paginator(events_past(), PAST_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "days": _by_day(list(page.object_list)), **_feed_links()}
    return render(request, "events/past.html", context)


def _event_for(request, pk: int) -> Event:
    if not hasattr(request, "_event_page"):
        request._event_page = event_page_or_none(pk=pk)
    if request._event_page is None:
        raise Http404(_("No such public event."))
    return request._event_page


def _event_etag(request, pk: int) -> str:
    event = _event_for(request, pk)
    state = _state(request)  # the "other events" links change with the programme
    return state.fingerprint(
        request.path, event.pk, event.updated_at, translation.get_language(), settings.SITE_URL
    )


def _event_last_modified(request, pk: int) -> datetime | None:
    return _state(request).last_modified


def _image_size(image) -> tuple[int, int] | None:
    """The poster's pixel size, or None when its file cannot be read."""
    try:
        return (image.width, image.height) if image else None
    except (OSError, ValueError, TypeError):
        return None


def google_calendar_link(event: Event, page_url: str) -> str:
    """Google Calendar's "add event" address, filled in (times in UTC, so no zone guessing)."""
    span = "/".join(
        moment.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
        for moment in (event.start_time, event.end_time)
    )
    details = "\n\n".join(part for part in (event.description, page_url) if part)
    query = {"action": "TEMPLATE", "text": event.title, "dates": span, "details": details}
    if event.location:
        query["location"] = f"{event.location.name} (Second Life) {event.location.slurl}"
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


@require_safe
@cache_for(PAGE_CACHE)
@vary_on_cookie
@condition(etag_func=_event_etag, last_modified_func=_event_last_modified)
def event_public(request, pk: int):
    """An event's page, the one Facebook posts link to: public events, cancelled ones included
    (with a banner), so old links and posts never break; drafts and staff-only ones are 404."""
    event = _event_for(request, pk)
    language = translation.get_language() or settings.LANGUAGE_CODE
    cancelled = event.status == Event.Status.CANCELLED
    # Facebook's preview shows og:description (in English, the Page's language, whatever the
    # visitor's): lead with the cancellation, when and who.
    with translation.override("en"):
        when = f"{in_slt(event.start_time)} ({time_of_day(event.start_time, _venue_zone())})"
        lead = _("CANCELLED") + " · " if cancelled else ""
    summary = " · ".join(part for part in (when, event.artist_names) if part)
    og_description = Truncator(" ".join((f"{lead}{summary}.", event.description)).strip()).chars(
        300
    )
    canonical_url = settings.SITE_URL + reverse("events:public", args=[event.pk])
    # Both languages, the page's own first; the other only where it says something different.
    other = "it" if language != "it" else "en"
    versions = [
        {
            "lang": code,
            "title": event.title_in(code),
            "description": event.description_in(code),
        }
        for code in (language if language in ("en", "it") else "en", other)
    ]
    second = versions[1]
    show_second = (second["title"], second["description"]) != (
        versions[0]["title"],
        versions[0]["description"],
    )
    context = {
        "event": event,
        "cancelled": cancelled,
        "title": versions[0]["title"],
        "description": versions[0]["description"],
        "page_lang": versions[0]["lang"],
        "second": second if show_second else None,
        "artists": event.ordered_artists,
        "times": event_times(event),
        # Kept for the Open Graph tests and text: SLT in full, then Italy's clock.
        "when_slt": event_times(event).slt,
        "og_description": og_description,
        "canonical_url": canonical_url,
        "poster_url": settings.SITE_URL + event.poster.url if event.poster else "",
        # With the size given, Facebook shows the image on the very first share (its docs).
        "poster_size": _image_size(event.poster),
        "ics_url": reverse("events:ics", args=[event.pk]),
        "google_calendar_url": google_calendar_link(event, canonical_url),
        "others": [_listing(other_event, language) for other_event in events_other(event=event)],
        **_feed_links(),
    }
    return render(request, "events/event_public.html", context)


# --- calendar feeds -----------------------------------------------------------------------------


def _ics_response(body: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # A feed is in one language whatever the visitor's (feeds.calendar); LocaleMiddleware would
    # otherwise name the visitor's.
    response["Content-Language"] = settings.LANGUAGE_CODE
    return response


def _feed_etag(request, *args, **kwargs) -> str:
    # The day counts too: cancelled and old events leave the feed as days pass.
    return _state(request).fingerprint(
        "feed", request.path, settings.SITE_URL, timezone.now().date()
    )


def _feed_body(key: str, build) -> bytes:
    """The feed for this state of the programme, built once: icalendar takes a while per event."""
    return cache.get_or_set(f"events:feed:{key}", build, timeout=FEED_BODY_KEPT)


programme_feed_conditional = condition(
    etag_func=_feed_etag, last_modified_func=_programme_last_modified
)


@require_safe
@cache_for(FEED_CACHE)
@programme_feed_conditional
def programme_feed(request):
    """/events.ics: the public programme, for anyone to subscribe to."""
    body = _feed_body(
        _feed_etag(request),
        lambda: feeds.calendar(
            events=events_for_feed(staff=False),
            name=gettext_lazy("The Dreamer's Cave"),
            description=gettext_lazy("Live music in Second Life at The Dreamer's Cave."),
        ),
    )
    return _ics_response(body, filename="the-dreamers-cave.ics")


def _staff_token(request, token: str) -> CalendarFeedToken:
    if not hasattr(request, "_feed_token"):
        request._feed_token = (
            CalendarFeedToken.objects.select_related("user")
            .filter(digest=CalendarFeedToken.digest_of(token), user__is_active=True)
            .filter(user__is_staff=True)
            .first()
        )
    if request._feed_token is None:
        raise Http404(_("No such calendar."))
    return request._feed_token


def _staff_feed_etag(request, token: str) -> str:
    _staff_token(request, token)
    # The path holds the token; the fingerprint is a hash, so neither ETag nor cache key shows it.
    return _state(request).fingerprint(
        "staff-feed", request.path, settings.SITE_URL, timezone.now().date()
    )


@require_safe
@cache_for(STAFF_FEED_CACHE)
@condition(etag_func=_staff_feed_etag, last_modified_func=_programme_last_modified)
def staff_feed(request, token: str):
    """Every scheduled event, staff-only ones included, at one staff member's secret URL."""
    _staff_token(request, token)
    body = _feed_body(
        _staff_feed_etag(request, token),
        lambda: feeds.calendar(
            events=events_for_feed(staff=True),
            name=gettext_lazy("The Dreamer's Cave (staff)"),
            description=gettext_lazy("Every scheduled event, staff-only ones included."),
        ),
    )
    response = _ics_response(body, filename="the-dreamers-cave-staff.ics")
    response["X-Robots-Tag"] = "noindex"
    return response


def _event_ics_etag(request, pk: int) -> str:
    event = _event_for(request, pk)
    return f"{event.pk}-{event.ical_sequence}-{event.updated_at.timestamp()}"


def _event_ics_last_modified(request, pk: int) -> datetime:
    return _event_for(request, pk).updated_at


@require_safe
@cache_for(FEED_CACHE)
@condition(etag_func=_event_ics_etag, last_modified_func=_event_ics_last_modified)
def event_ics(request, pk: int):
    """One event as a calendar file (Add to calendar)."""
    event = _event_for(request, pk)
    body = feeds.calendar(events=[event], name=event.title)
    return _ics_response(body, filename=f"event-{event.pk}.ics")
