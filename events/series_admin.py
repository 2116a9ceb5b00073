"""Admin for series (residencies): a form of friendly choices that writes the RRULE, the list
with each series' next date, and its page with upcoming and recent dates (skip one, end there)."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events.models import Event, Series, SeriesArtist
from events.selectors import series_dates, series_with_next_date
from events.series import (
    SeriesError,
    series_adopt_event,
    series_date_skip,
    series_end,
    series_from_event,
    series_held,
    series_sync,
)
from events.series_rules import (
    MAX_WEEK_INTERVAL,
    MONTHLY,
    ORDINAL_NAMES,
    ORDINALS,
    WEEKDAY_NAMES,
    WEEKLY,
    RuleError,
    SeriesRule,
    parse_rule,
)
from events.when import date_and_time

FROM_EVENT = "from_event"  # query parameter of "Make this a weekly series"
WEEKDAY_CHOICES = [(str(day), name) for day, name in enumerate(WEEKDAY_NAMES)]


class SeriesForm(forms.ModelForm):
    """Staff choose how the series repeats; the form writes the RRULE from their choices."""

    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=[(WEEKLY, _("Weekly")), (MONTHLY, _("Monthly, on one weekday of the month"))],
        initial=WEEKLY,
        widget=forms.RadioSelect,
    )
    interval = forms.IntegerField(
        label=_("Every how many weeks"),
        min_value=1,
        max_value=MAX_WEEK_INTERVAL,
        initial=1,
        required=False,
        help_text=_("1: every week; 2: every other week. Weekly series only."),
    )
    weekdays = forms.MultipleChoiceField(
        label=_("On"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Weekly series: the nights of the week."),
    )
    ordinal = forms.TypedChoiceField(
        label=_("Which one of the month"),
        choices=[("", "---------"), *[(str(n), ORDINAL_NAMES[n]) for n in ORDINALS]],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Monthly series, e.g. the first Saturday."),
    )
    month_weekday = forms.TypedChoiceField(
        label=_("Weekday of the month"),
        choices=[("", "---------"), *WEEKDAY_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=24 * 60, initial=120
    )

    class Meta:
        model = Series
        fields = [
            "title",
            "event_type",
            "location",
            "audience",
            "status",
            "timezone",
            "first_date",
            "until",
            "start_time",
            "description",
            "title_it",
            "description_it",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_time"].widget.format = "%H:%M"
        series = self.instance
        if series.pk is None:
            return
        self.initial["duration_minutes"] = int(series.duration.total_seconds() // 60)
        try:
            rule = parse_rule(series.rule)
        except ValidationError:
            # Written by a script: shown, never rewritten unless staff choose a rule here.
            self.stored_rule_problem = series.rule
            return
        self.initial["frequency"] = rule.frequency
        if rule.frequency == WEEKLY:
            self.initial["interval"] = rule.interval
            self.initial["weekdays"] = [str(day) for day in rule.weekdays]
        else:
            self.initial["ordinal"] = str(rule.ordinal)
            self.initial["month_weekday"] = str(rule.weekdays[0])

    def clean(self):
        cleaned = super().clean()
        frequency = cleaned.get("frequency")
        try:
            if frequency == MONTHLY:
                if cleaned.get("ordinal") is None or cleaned.get("month_weekday") is None:
                    raise RuleError(
                        gettext("Choose which weekday of the month, e.g. the first Saturday.")
                    )
                rule = SeriesRule(
                    frequency=MONTHLY,
                    weekdays=(cleaned["month_weekday"],),
                    ordinal=cleaned["ordinal"],
                )
            elif frequency == WEEKLY:
                rule = SeriesRule(
                    frequency=WEEKLY,
                    weekdays=tuple(sorted(int(day) for day in cleaned.get("weekdays", []))),
                    interval=cleaned.get("interval") or 1,
                )
            else:
                return cleaned  # the radio's own error says what is missing
        except RuleError as error:
            field = "weekdays" if frequency == WEEKLY else "month_weekday"
            self.add_error(field, error.messages[0])
            return cleaned
        self.instance.rule = rule.text
        if cleaned.get("duration_minutes"):
            self.instance.duration = timedelta(minutes=cleaned["duration_minutes"])
        return cleaned


class SeriesArtistInline(admin.TabularInline):
    model = SeriesArtist
    extra = 1
    autocomplete_fields = ["artist"]
    fields = ["order", "artist"]
    ordering = ["order", "pk"]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    form = SeriesForm
    inlines = [SeriesArtistInline]
    list_display = ["title", "repeats", "next_date", "status", "audience", "location"]
    list_filter = ["status", "audience", "event_type", "location"]
    search_fields = ["title", "title_it", "description", "artists__name"]
    readonly_fields = ["dates_overview", "stored_rule"]

    def get_fieldsets(self, request, obj=None):
        repeat = ["frequency", "interval", "weekdays", "ordinal", "month_weekday"]
        if obj is not None:
            repeat = ["stored_rule", *repeat]
        fieldsets = [
            (None, {"fields": ["title", "event_type", "location", "audience", "status"]}),
            (
                _("When"),
                {
                    "fields": [
                        "timezone",
                        "start_time",
                        "duration_minutes",
                        "first_date",
                        "until",
                    ],
                    "description": _(
                        "Each date starts at this time of day in the series' time zone, "
                        "summer and winter alike."
                    ),
                },
            ),
            (_("Repeats"), {"fields": repeat}),
            (_("Texts"), {"fields": ["description", "title_it", "description_it"]}),
        ]
        if obj is not None:
            fieldsets.append((_("Dates"), {"fields": ["dates_overview"]}))
        return fieldsets

    def get_queryset(self, request):
        return series_with_next_date(now=timezone.now())

    @admin.display(description=_("Repeats"))
    def repeats(self, series: Series) -> str:
        return series.rule_text

    @admin.display(description=_("Next date"), ordering="next_start")
    def next_date(self, series: Series) -> str:
        if series.next_start is None:
            return "—"
        return date_and_time(series.next_start, series.zone)

    @admin.display(description=_("Rule"))
    def stored_rule(self, series: Series) -> str:
        try:
            return f"{parse_rule(series.rule).describe()} ({series.rule})"
        except ValidationError as error:
            return gettext("%(rule)s: %(problem)s Choose a rule below to replace it.") % {
                "rule": series.rule,
                "problem": error.messages[0],
            }

    @admin.display(description=_("Dates"))
    def dates_overview(self, series: Series) -> str:
        if series.pk is None:
            return "—"
        upcoming, recent = series_dates(series=series, now=timezone.now())
        return render_to_string(
            "admin/events/series/dates.html",
            {"series": series, "upcoming": upcoming, "recent": recent},
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        event = self._from_event(request)
        if event is None:
            return initial
        values = series_from_event(event=event)
        initial.update(
            {
                name: values[name]
                for name in (
                    "title",
                    "title_it",
                    "description",
                    "description_it",
                    "event_type",
                    "audience",
                    "location",
                    "timezone",
                    "first_date",
                    "status",
                )
            }
        )
        initial["start_time"] = values["start_time"]
        initial["duration_minutes"] = int(values["duration"].total_seconds() // 60)
        initial["frequency"] = WEEKLY
        initial["weekdays"] = [str(values["weekday"])]
        return initial

    def save_model(self, request, obj, form, change):
        # The dates are brought in line once, after the line-up is saved too (save_related).
        with series_held():
            obj.save()

    def save_related(self, request, form, formsets, change):
        series = form.instance
        with series_held():
            super().save_related(request, form, formsets, change)
            event = None if change else self._from_event(request)
            if event is not None and not series.artist_links.exists():
                for order, artist in enumerate(event.ordered_artists):
                    SeriesArtist.objects.create(series=series, artist=artist, order=order)
        if event is not None:
            series_adopt_event(series=series, event=event)
        series_sync(series=series, now=timezone.now())

    def _from_event(self, request) -> Event | None:
        value = request.GET.get(FROM_EVENT, "")
        if not value.isdigit() or not request.user.has_perm("events.view_event"):
            return None
        return Event.objects.filter(pk=int(value), series__isnull=True).first()

    # --- one date: skip it, or end the series after it ------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:series_id>/dates/<int:event_id>/skip/",
                wrap(self.skip_view),
                name="events_series_skip",
            ),
            path(
                "<int:series_id>/dates/<int:event_id>/end/",
                wrap(self.end_view),
                name="events_series_end",
            ),
            *super().get_urls(),
        ]

    def skip_view(self, request, series_id: int, event_id: int):
        series, event = self._series_and_date(request, series_id, event_id)
        if request.method == "POST":
            try:
                series_date_skip(event=event)
            except SeriesError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(date)s is skipped: cancelled, and it stays cancelled.")
                    % {"date": self._night(event)},
                    messages.SUCCESS,
                )
            return self._back_to(series)
        question = gettext(
            "Skip %(date)s? That night is cancelled everywhere and stays cancelled, "
            "even when the series is edited later."
        ) % {"date": self._night(event)}
        return self._confirm(request, series, event, gettext("Skip one date"), question)

    def end_view(self, request, series_id: int, event_id: int):
        series, event = self._series_and_date(request, series_id, event_id)
        if request.method == "POST":
            try:
                result = series_end(series=series, last_date=event.series_date, now=timezone.now())
            except SeriesError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                count = len(result.cancelled)
                ended = ngettext(
                    "The series ends on %(date)s; %(count)s later date was cancelled.",
                    "The series ends on %(date)s; %(count)s later dates were cancelled.",
                    count,
                ) % {"date": self._night(event), "count": count}
                self.message_user(request, ended, messages.SUCCESS)
            return self._back_to(series)
        question = gettext(
            "End the series on %(date)s? Every later date is cancelled, including dates "
            "edited on their own, and no more are made."
        ) % {"date": self._night(event)}
        return self._confirm(request, series, event, gettext("End the series"), question)

    def _series_and_date(self, request, series_id: int, event_id: int):
        series = get_object_or_404(Series, pk=series_id)
        # Skipping or ending changes events: both permissions are needed.
        if not self.has_change_permission(request, series) or not request.user.has_perm(
            "events.change_event"
        ):
            raise PermissionDenied
        event = get_object_or_404(Event, pk=event_id, series=series)
        if event.start_time <= timezone.now():
            raise Http404(gettext("Dates already past cannot be changed."))
        return series, event

    def _night(self, event: Event) -> str:
        return date_and_time(event.start_time, event.zone)

    def _back_to(self, series: Series) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:events_series_change", args=[series.pk]))

    def _confirm(self, request, series, event, title, question):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "series": series,
            "event": event,
            "question": question,
        }
        return TemplateResponse(request, "admin/events/series/confirm.html", context)
