"""Google Calendar's buttons on the integrations page: explicit actions that call Google."""

from integrations.google_calendar.client import CalendarClient
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.sync import calendar_ids, sync_event
from integrations.http import IntegrationError, PermanentError


def test_connection() -> str:
    """Fetch both calendars with our credentials; plain words for staff.

    Raises an IntegrationError (with the fix in its message) when either cannot be reached.
    """
    client = CalendarClient.from_settings()
    lines = []
    for calendar, calendar_id in calendar_ids().items():
        label = CalendarEntry.Calendar(calendar).label
        try:
            found = client.get_calendar(calendar_id=calendar_id)
        except IntegrationError as error:
            raise type(error)(f"{label}: {error.message}", status=error.status) from error
        lines.append(f"{label} “{found.get('summary', calendar_id)}” is reachable")
    return (
        "; ".join(lines)
        + f" as {client.account_email}. Write access is confirmed by the first sync."
    )


def retry_failed() -> str:
    """Sync again every event whose entry failed; plain words for staff."""
    event_ids = sorted(
        set(
            CalendarEntry.objects.filter(state=CalendarEntry.State.FAILED).values_list(
                "event_id", flat=True
            )
        )
    )
    if not event_ids:
        return "No failed calendar entries."
    still_failing = []
    for event_id in event_ids:
        result = sync_event(event_id=event_id)
        if result.failed:
            still_failing.append(next(iter(result.errors.values())))
    if still_failing:
        raise PermanentError(
            f"{len(event_ids) - len(still_failing)} of {len(event_ids)} event(s) synced; "
            f"the others still fail: {still_failing[0]}"
        )
    return f"{len(event_ids)} event(s) synced."
