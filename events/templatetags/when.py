"""`events/when.py` for templates: `{{ moment|date_and_time }}` writes a moment as every screen
does ("Sat 5 Dec 2026, 21:00 CET" / "Sab 5 Dic 2026, 21:00 CET"), in the current time zone."""

from django import template

from events import when

register = template.Library()


@register.filter
def date_and_time(moment) -> str:
    if not moment:
        return ""
    return when.in_current_zone(moment)
