"""The event admin's form: the time zone picked from the IANA list, fields explained."""

from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from events.models import Event, time_zone_names


def time_zone_choices() -> list[str]:
    """Every IANA zone, the venue's and Second Life's first (the two staff nearly always want)."""
    first = [settings.TIME_ZONE, settings.SECOND_LIFE_TIME_ZONE]
    return list(dict.fromkeys(first)) + sorted(time_zone_names() - set(first))


class TimeZoneInput(forms.TextInput):
    """A text box with the zones as its suggestions: type "rome" or "los" and pick.

    A native <datalist>, so it needs no script; the model's validator still refuses any name
    that is not a zone.
    """

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-choices"
        attrs = {**(attrs or {}), "list": list_id, "autocomplete": "off"}
        zones = ((zone,) for zone in time_zone_choices())
        options = format_html_join("", '<option value="{}">', zones)
        return format_html(
            '{}<datalist id="{}">{}</datalist>',
            super().render(name, value, attrs, renderer),
            list_id,
            options,
        )


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "title_it",
            "description",
            "description_it",
            "event_type",
            "location",
            "audience",
            "status",
            "timezone",
            "start_time",
            "end_time",
            "url",
            "poster",
        ]
        widgets = {"timezone": TimeZoneInput(attrs={"class": "vTextField"})}
        help_texts = {
            "timezone": _(
                "Type part of a place (Rome, Los Angeles) and pick it from the list. Calendars "
                "show the event in this zone."
            ),
            "url": _(
                "Optional: a page elsewhere with more about this event (tickets, the artist's "
                "site, a stream). The event's own page on this site shows it as “More about "
                "this event” and calendar entries as “More: …”. Leave it empty when there is "
                "nothing more: posts and panels always use the event's own page."
            ),
        }
