"""Template filters for the supporters' pages."""

from django import template

register = template.Library()


@register.filter
def cents(value) -> str:
    """3000 -> "30.00": Patreon's amounts are in cents of the campaign's currency."""
    try:
        return f"{int(value) / 100:.2f}"
    except (TypeError, ValueError):
        return ""
