"""django-q2 tasks: thin wrappers that call the sync services."""

import logging

from integrations.google_calendar import reconcile, sync
from integrations.google_calendar.client import CalendarClient
from integrations.http import NotConfigured

logger = logging.getLogger(__name__)

class CalendarSyncFailed(Exception):
    """Raised after the failure is recorded, so the task queue lists the task as failed too."""


def sync_event(event_id: int, force: bool = False) -> str:
    """Converge both calendars to one event's current state. Returns what happened."""
    try:
        result = sync.sync_event(event_id=event_id, force=force)
    except NotConfigured as skip:
        logger.info("Calendar sync of event %s skipped: %s", event_id, skip.message)
        return f"skipped: {skip.message}"
    if result.failed:
        raise CalendarSyncFailed(result.summary() + " — " + "; ".join(result.errors.values()))
    return result.summary()


def reconcile_calendars() -> str:
    """The full repair (as `manage.py sync_calendars`), for a schedule."""
    try:
        client = CalendarClient.from_settings()
    except NotConfigured as skip:
        return f"skipped: {skip.message}"
    pacer = reconcile.Pacer()  # one budget for the listing and the changes
    plan = reconcile.plan_reconcile(client=client, pacer=pacer)
    outcome = reconcile.apply_plan(plan=plan, client=client, pacer=pacer)
    summary = f"{len(plan.actions)} change(s) planned, {outcome.done} done"
    problems = outcome.errors[:5] + ([plan.unlisted_summary()] if plan.unlisted else [])
    if problems:
        raise CalendarSyncFailed(summary + "; " + "; ".join(problems))
    return summary
