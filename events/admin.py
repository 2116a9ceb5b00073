"""Admin for the venue's events, artists and locations.

`EventAdmin` is defined here but NOT registered: each integration contributes a small mixin
(actions, status columns, inlines) and `tdc/admin.py` composes them with this class and
registers the result, so `events` never imports an integration.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events import series_admin  # noqa: F401  (registers SeriesAdmin)
from events.models import Artist, Event, EventArtist, Location, time_zone_or_none

SLT = ZoneInfo(settings.SECOND_LIFE_TIME_ZONE)


def _format_instant(value, zone: ZoneInfo) -> str:
    local = value.astimezone(zone)
    return f"{formats.date_format(local, 'D j M Y, H:i')} {local.tzname()}"


class WhenFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming and running"), ("past", "Past")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(end_time__gt=now)
        if self.value() == "past":
            return queryset.filter(end_time__lte=now)
        return queryset


class EventArtistFormSet(BaseInlineFormSet):
    """New line-up rows start after the last billed artist, so "Add another" appends.

    Rows added together share that number; the line-up's (order, pk) ordering keeps them in
    the order they were added.
    """

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is None or index >= self.initial_form_count():
            kwargs["initial"] = {**kwargs.get("initial", {}), "order": self._next_order}
        return kwargs

    @cached_property
    def _next_order(self) -> int:
        if self.instance.pk is None:
            return 0
        last = self.instance.artist_links.aggregate(last=Max("order"))["last"]
        return 0 if last is None else last + 1


class ValidChoicesAutocompleteSelect(AutocompleteSelect):
    """Looks up only submitted values that name a choice.

    Django's widget puts whatever was posted into an `__in` query when it redraws a form, so
    "abc" (or a number too large for the column) would fail the page; the field itself already
    reports such a value as "Select a valid choice".
    """

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._names_a_choice(v)], attr)

    def _names_a_choice(self, raw) -> bool:
        try:
            self.choices.field.to_python(raw)
        except ValidationError:
            return False
        return True


class EventArtistInline(admin.TabularInline):
    model = EventArtist
    formset = EventArtistFormSet
    extra = 1
    autocomplete_fields = ["artist"]
    fields = ["order", "artist"]
    ordering = ["order", "pk"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "artist":
            widget = ValidChoicesAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            kwargs.setdefault("widget", widget)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "starts",
        "event_type",
        "audience",
        "status",
        "location",
    ]
    list_filter = [WhenFilter, "status", "audience", "event_type", "location"]
    search_fields = ["title", "title_it", "description", "artists__name", "location__name"]
    date_hierarchy = "start_time"
    list_select_related = ["location"]
    ordering = ["-start_time"]
    inlines = [EventArtistInline]
    readonly_fields = ["created_at", "updated_at", "series_link"]
    fieldsets = [
        (None, {"fields": ["title", "event_type", "location", "audience", "status"]}),
        (
            "When",
            {
                "fields": ["timezone", "start_time", "end_time"],
                "description": (
                    "Start and end are in the event's time zone, "
                    f"{settings.TIME_ZONE} unless you choose another."
                ),
            },
        ),
        ("Texts", {"fields": ["description", "title_it", "description_it"]}),
        ("Public", {"fields": ["url", "poster"]}),
        (_("Series"), {"fields": ["series_link"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_ordering(self, request):
        # What is coming is read soonest first; everything else newest first.
        if request.GET.get(WhenFilter.parameter_name) == "upcoming":
            return ["start_time", "pk"]
        return super().get_ordering(request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Staff type and read start/end in the event's own zone: the one being submitted, else
        # the saved one, else the venue's. Rendered inside the override, as forms convert
        # datetimes to the current zone when they are displayed.
        with timezone.override(self._form_time_zone(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    def _form_time_zone(self, request, object_id) -> ZoneInfo:
        chosen = request.POST.get("timezone", "") if request.method == "POST" else ""
        if not chosen and object_id:
            try:
                saved = Event.objects.filter(pk=object_id).values_list("timezone", flat=True)
                chosen = saved.first() or ""
            except (ValueError, ValidationError):  # a malformed id: the admin answers it
                chosen = ""
        return time_zone_or_none(chosen) or ZoneInfo(settings.TIME_ZONE)

    @admin.display(description=_("Series"))
    def series_link(self, event: Event) -> str:
        if event.series_id:
            url = reverse("admin:events_series_change", args=[event.series_id])
            edited = _(" (edited on its own)") if event.edited_on_its_own else ""
            return format_html('<a href="{}">{}</a>{}', url, event.series, edited)
        if event.pk is None:
            return "—"
        url = reverse("admin:events_series_add") + f"?from_event={event.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Make this a weekly series"))

    # One column, two lines: the list has many columns, and staff read both zones together.
    @admin.display(description=f"Starts ({settings.TIME_ZONE} / SLT)", ordering="start_time")
    def starts(self, event: Event) -> str:
        return format_html(
            '{}<br><span class="quiet">SL: {}</span>',
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
    readonly_fields = ["slurl_link"]  # on the form too, so staff can check the spot they set

    @admin.display(description="SLURL")
    def slurl_link(self, location: Location) -> str:
        # Opens the Second Life map at the spot, where "Visit this location" teleports.
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', location.slurl, location.slurl
        )
