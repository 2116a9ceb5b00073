"""The public page of an event: what Facebook's link preview reads (Open Graph tags)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import formats, translation
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from events.selectors import event_public_or_none


def _image_size(image) -> tuple[int, int] | None:
    """The poster's pixel size, or None when its file cannot be read."""
    try:
        return (image.width, image.height) if image else None
    except (OSError, ValueError, TypeError):
        return None


@require_safe
def event_public(request, pk: int):
    """A public, scheduled event; 404 for drafts, cancelled and staff-only events alike."""
    event = event_public_or_none(pk=pk)
    if event is None:
        raise Http404("No such public event.")
    slt = event.start_time.astimezone(ZoneInfo(settings.SECOND_LIFE_TIME_ZONE))
    venue = event.start_time.astimezone(ZoneInfo(settings.TIME_ZONE))
    # Formatted here: the template's |date filter would turn both back into the current zone.
    with translation.override("en"):
        when = f"{formats.date_format(slt, 'D j M Y, H:i')} SLT ({venue:%H:%M} {venue.tzname()})"
        when_slt = f"{formats.date_format(slt, 'l, F j, Y, H:i')} SLT"
    when_venue = f"{venue:%H:%M} {venue.tzname()}"
    # Facebook's preview shows og:description: lead with when and who.
    summary = " · ".join(part for part in (when, event.artist_names) if part)
    description = Truncator(" ".join((f"{summary}.", event.description)).strip()).chars(300)
    context = {
        "event": event,
        "artists": event.ordered_artists,
        "when_slt": when_slt,
        "when_venue": when_venue,
        "og_description": description,
        "canonical_url": settings.SITE_URL + request.path,
        "poster_url": settings.SITE_URL + event.poster.url if event.poster else "",
        # With the size given, Facebook shows the image on the very first share (its docs).
        "poster_size": _image_size(event.poster),
        "title_it": event.title_it if event.title_it and event.title_it != event.title else "",
        "description_it": event.description_it,
    }
    return render(request, "events/event_public.html", context)
