"""The panels' clock: the one place their `now` comes from, so tests can set it."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
