"""Admin for the venue's events, artists and locations.

`EventAdmin` is defined here but NOT registered: each integration contributes a small mixin
(actions, status columns, inlines) and `tdc/admin.py` composes them with this class and
registers the result, so `events` never imports an integration.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Exists, Max, OuterRef, Q
from django.forms import ModelForm
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import format_lazy, smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events import series_admin  # noqa: F401  (registers SeriesAdmin)
from events.forms import EventAdminForm
from events.models import Artist, Event, EventArtist, Location, time_zone_or_none
from events.when import date_and_time, in_slt


class WhenFilter(admin.SimpleListFilter):
    """Upcoming and running events unless staff ask for the past or all of them.

    A search or a date drill-down looks through every event, as does an action on rows ticked
    one by one (they were chosen by hand, whatever list they were ticked on).
    """

    title = _("when")
    parameter_name = "when"
    DEFAULT = "upcoming"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.default = "" if _looks_through_everything(request, model_admin) else self.DEFAULT

    def lookups(self, request, model_admin):
        return [
            ("upcoming", _("Upcoming and running")),
            ("past", _("Past")),
            ("all", _("All")),
        ]

    def effective_value(self) -> str:
        return self.value() or self.default

    def choices(self, changelist):
        # No "All" link of Django's own: ours is in the lookups, and the default is upcoming.
        current = self.effective_value() or "all"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.effective_value() == "upcoming":
            return queryset.filter(end_time__gt=now)
        if self.effective_value() == "past":
            return queryset.filter(end_time__lte=now)
        return queryset


def _looks_through_everything(request, model_admin) -> bool:
    if request.GET.get("q") or any(
        key.startswith(f"{model_admin.date_hierarchy}__") for key in request.GET
    ):
        return True
    ticked_by_hand = request.method == "POST" and request.POST.get("select_across") != "1"
    return ticked_by_hand and bool(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))


def upcoming_first(request, model_admin) -> bool:
    """Whether the list shows what is coming (read soonest first)."""
    when = request.GET.get(WhenFilter.parameter_name)
    if when is None:
        return not _looks_through_everything(request, model_admin)
    return when == "upcoming"


def _unquoted(word: str) -> str:
    """A search word as Django's admin search reads it: "two words" in quotes is one."""
    quoted = word.startswith(('"', "'")) and word[0] == word[-1]
    return unescape_string_literal(word) if quoted else word


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


class LineupArtistSelect(ValidChoicesAutocompleteSelect):
    """The artist autocomplete, showing a saved row's artist from the row already loaded.

    Django's widget reads the chosen artist again for every row it renders.
    """

    known: dict[str, Artist] = {}  # set per form: the saved row's artist, by its id

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not chosen or not chosen <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for key in sorted(chosen):
            artist = self.known[key]
            label = self.choices.field.label_from_instance(artist)
            options.append(self.create_option(name, artist.pk, label, chosen, len(options)))
        return [(None, options, 0)]


class EventArtistForm(ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = self.fields["artist"].widget
        widget = getattr(widget, "widget", widget)  # the admin wraps it for its add/edit links
        if isinstance(widget, LineupArtistSelect) and EventArtist.artist.is_cached(self.instance):
            widget.known = {str(self.instance.artist_id): self.instance.artist}


class EventArtistInline(admin.TabularInline):
    model = EventArtist
    form = EventArtistForm
    formset = EventArtistFormSet
    extra = 1
    autocomplete_fields = ["artist"]
    fields = ["order", "artist"]
    ordering = ["order", "pk"]

    def get_queryset(self, request):
        # Each row shows its artist and names its event (EventArtist.__str__): loaded with it.
        return super().get_queryset(request).select_related("artist", "event")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "artist":
            kwargs["widget"] = LineupArtistSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EventAdmin(admin.ModelAdmin):
    # Few, narrow columns: with the integrations' two, the list fits a 1366 px laptop screen.
    list_display = ["title", "starts", "kind", "location"]
    list_filter = [WhenFilter, "status", "audience", "event_type", "location"]
    search_fields = ["title", "title_it", "description", "location__name"]  # and the line-up
    date_hierarchy = "start_time"
    list_select_related = ["location"]
    ordering = ["-start_time"]
    inlines = [EventArtistInline]
    form = EventAdminForm
    readonly_fields = ["public_page", "created_at", "updated_at", "series_link"]
    fieldsets = [
        # Both languages side by side, so a missing or stale translation shows at a glance.
        (None, {"fields": [("title", "title_it"), "description", "description_it"]}),
        (None, {"fields": ["event_type", "location", "audience", "status"]}),
        (
            _("When"),
            {
                "fields": ["timezone", "start_time", "end_time"],
                "description": format_lazy(
                    _(
                        "Start and end are in the event's time zone, {zone} unless you choose "
                        "another."
                    ),
                    zone=settings.TIME_ZONE,
                ),
            },
        ),
        (_("Public"), {"fields": ["public_page", "url", "poster"]}),
        (_("Series"), {"fields": ["series_link"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        # Every word must match one of the search fields or an artist of the line-up. The
        # line-up is searched with EXISTS, not a join: a join repeats each event once per
        # artist, and Django then needs DISTINCT over every column of the page.
        words = [_unquoted(bit) for bit in smart_split(search_term)]
        if not words:
            return queryset, False
        lookups = [f"{name}__icontains" for name in self.get_search_fields(request)]
        for word in words:
            in_lineup = Exists(
                EventArtist.objects.filter(event=OuterRef("pk"), artist__name__icontains=word)
            )
            queryset = queryset.filter(
                Q(in_lineup) | Q.create([(lookup, word) for lookup in lookups], connector=Q.OR)
            )
        return queryset, False

    def get_ordering(self, request):
        # What is coming is read soonest first; everything else newest first.
        if upcoming_first(request, self):
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
            if event.edited_on_its_own:
                edited = gettext("edited on its own")
                return format_html('<a href="{}">{}</a> ({})', url, event.series, edited)
            return format_html('<a href="{}">{}</a>', url, event.series)
        if event.pk is None:
            return "—"
        url = reverse("admin:events_series_add") + f"?from_event={event.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Make this a weekly series"))

    @admin.display(description=_("Type, audience, status"), ordering="event_type")
    def kind(self, event: Event) -> str:
        return format_html(
            '{}<br><span class="quiet">{} · {}</span>',
            event.get_event_type_display(),
            event.get_audience_display(),
            event.get_status_display(),
        )

    @admin.display(description=_("Public page"))
    def public_page(self, event: Event) -> str:
        if event.pk is None:
            return gettext("Public, scheduled events get a page on this site once saved.")
        if not event.is_public_and_scheduled:
            return gettext("None: only public, scheduled events have one.")
        url = reverse("events:public", args=[event.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    # One column, two lines: the list has many columns, and staff read both zones together.
    @admin.display(
        description=format_lazy(_("Starts ({zone} / SLT)"), zone=settings.TIME_ZONE),
        ordering="start_time",
    )
    def starts(self, event: Event) -> str:
        return format_html(
            '{}<br><span class="quiet">{}</span>',
            date_and_time(event.start_time, ZoneInfo(settings.TIME_ZONE)),
            in_slt(event.start_time),
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
