"""Tasks of the events app, run by the django-q2 worker. Thin: they call services."""

import logging

from django.utils import timezone

from events.series import series_extend_all

logger = logging.getLogger("events")

EXTEND_SERIES_SCHEDULE_NAME = "Extend the series' dates"


def extend_series() -> int:
    result = series_extend_all(now=timezone.now())
    logger.info(
        "series: %s dates created, %s updated, %s cancelled",
        len(result.created),
        len(result.updated),
        len(result.cancelled),
    )
    return len(result.created)
