"""Google Calendar's buttons on the integrations page: explicit actions that call Google."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integrations.google_calendar.client import CalendarClient, error_in_words
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.sync import calendar_ids, sync_event
from integrations.http import IntegrationError, PermanentError


def test_connection() -> str:
    """Fetch both calendars with our credentials; plain words for staff, in their language.

    Raises an IntegrationError (with the fix in its message) when either cannot be reached.
    """
    client = CalendarClient.from_settings()
    lines = []
    for calendar, calendar_id in calendar_ids().items():
        label = CalendarEntry.Calendar(calendar).label
        try:
            found = client.get_calendar(calendar_id=calendar_id)
        except IntegrationError as error:
            failed = _("%(calendar)s: %(error)s") % {
                "calendar": label,
                "error": error_in_words(error.message),
            }
            raise type(error)(failed, status=error.status) from error
        lines.append(
            _("%(calendar)s “%(name)s” is reachable")
            % {"calendar": label, "name": found.get("summary", calendar_id)}
        )
    return _("%(calendars)s as %(account)s. Write access is confirmed by the first sync.") % {
        "calendars": "; ".join(lines),
        "account": client.account_email,
    }


def retry_failed() -> str:
    """Sync again every event whose entry failed; plain words for staff, in their language."""
    event_ids = sorted(
        set(
            CalendarEntry.objects.filter(state=CalendarEntry.State.FAILED).values_list(
                "event_id", flat=True
            )
        )
    )
    if not event_ids:
        return _("No failed calendar entries.")
    still_failing = []
    for event_id in event_ids:
        result = sync_event(event_id=event_id)
        if result.failed:
            still_failing.append(next(iter(result.errors.values())))
    if still_failing:
        synced = len(event_ids) - len(still_failing)
        raise PermanentError(
            ngettext(
                "%(synced)d of %(count)d event synced; the others still fail: %(error)s",
                "%(synced)d of %(count)d events synced; the others still fail: %(error)s",
                len(event_ids),
            )
            % {"synced": synced, "count": len(event_ids), "error": error_in_words(still_failing[0])}
        )
    return ngettext("%(count)d event synced.", "%(count)d events synced.", len(event_ids)) % {
        "count": len(event_ids)
    }
