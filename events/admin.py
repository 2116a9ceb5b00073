"""Admin for the venue's events, artists and locations.

`EventAdmin` is defined here but NOT registered: each integration contributes a small mixin
(actions, status columns, inlines) and `tdc/admin.py` composes them with this class and
registers the result, so `events` never imports an integration.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import admin
from django.utils import formats
from django.utils.html import format_html

from events.models import Artist, Event, EventArtist, Location

SLT = ZoneInfo(settings.SECOND_LIFE_TIME_ZONE)


def _format_instant(value, zone: ZoneInfo) -> str:
    local = value.astimezone(zone)
    return f"{formats.date_format(local, 'D j M Y, H:i')} {local.tzname()}"


class EventArtistInline(admin.TabularInline):
    model = EventArtist
    extra = 1
    autocomplete_fields = ["artist"]
    fields = ["order", "artist"]
    ordering = ["order", "pk"]


class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "starts",
        "event_type",
        "audience",
        "status",
        "location",
    ]
    list_filter = ["status", "audience", "event_type", "location"]
    search_fields = ["title", "title_it", "description", "artists__name", "location__name"]
    date_hierarchy = "start_time"
    list_select_related = ["location"]
    ordering = ["-start_time"]
    inlines = [EventArtistInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "event_type", "location", "audience", "status"]}),
        (
            "When",
            {
                "fields": ["start_time", "end_time", "timezone"],
                "description": f"Enter times in the venue's zone ({settings.TIME_ZONE}).",
            },
        ),
        ("Texts", {"fields": ["description", "title_it", "description_it"]}),
        ("Public", {"fields": ["url", "poster"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    # One column, two lines: the list has many columns, and staff read both zones together.
    @admin.display(description=f"Starts ({settings.TIME_ZONE} / SLT)", ordering="start_time")
    def starts(self, event: Event) -> str:
        return format_html(
            "{}<br><span class=\"quiet\">SL: {}</span>",
            _format_instant(event.start_time, ZoneInfo(settings.TIME_ZONE)),
            _format_instant(event.start_time, SLT),
        )


@admin.register(Artist)
class ArtistAdmin(admin.ModelAdmin):
    list_display = ["name", "sl_avatar_name", "link"]
    search_fields = ["name", "sl_avatar_name"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "x", "y", "z", "slurl_link"]
    search_fields = ["name", "region"]

    @admin.display(description="SLURL")
    def slurl_link(self, location: Location) -> str:
        # Opens the Second Life map at the spot, where "Visit this location" teleports.
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', location.slurl, location.slurl
        )
