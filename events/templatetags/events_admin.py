"""The events list's date drill-down, with its years read from two ends of an index.

Django's own drill-down finds its years with a DISTINCT over the start of every listed event
(on SQLite through a Python function per row), after a Min/Max over the same rows: with five
years of events, and a search, that is two more passes over the whole table per page.
"""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def events_date_hierarchy(cl):
    field = cl.date_hierarchy
    if any(f"{field}__{part}" in cl.params for part in ("year", "month", "day")):
        # Within a year, a month or a day: Django's months and days, read from those rows only.
        return date_hierarchy(cl)
    # Every year of the programme, from its first event to its last, whatever the filters or the
    # search: a year with nothing matching lists nothing, and any year is one click away.
    starts = cl.root_queryset.order_by().values_list(field, flat=True)
    first = starts.order_by(field).first()
    last = starts.order_by(f"-{field}").first()
    years = (
        range(timezone.localtime(first).year, timezone.localtime(last).year + 1) if first else []
    )
    return {
        "show": True,
        "back": None,
        "choices": [
            {
                "link": cl.get_query_string({f"{field}__year": str(year)}, [f"{field}__"]),
                "title": str(year),
            }
            for year in years
        ],
    }
