"""Keeping the external-call log to its retention window (INTEGRATION_LOG_RETENTION_DAYS)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from integrations.models import IntegrationLog

# Deleting in slices keeps each statement short: a month of rows deleted at once would hold
# locks on the log table (MariaDB) while every integration is trying to write to it.
BATCH_SIZE = 5000


def retention_cutoff(*, now: datetime | None = None, retention_days: int | None = None) -> datetime:
    days = settings.INTEGRATION_LOG_RETENTION_DAYS if retention_days is None else retention_days
    if days < 1:
        raise ValueError(f"The log retention must be at least 1 day, not {days}.")
    return (now or timezone.now()) - timedelta(days=days)


def prune_call_log(
    *, now: datetime | None = None, retention_days: int | None = None, batch_size: int = BATCH_SIZE
) -> int:
    """Delete log rows older than the retention window; returns how many were deleted."""
    cutoff = retention_cutoff(now=now, retention_days=retention_days)
    deleted = 0
    while True:
        ids = list(
            IntegrationLog.objects.filter(created_at__lt=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return deleted
        deleted += IntegrationLog.objects.filter(pk__in=ids).delete()[0]
