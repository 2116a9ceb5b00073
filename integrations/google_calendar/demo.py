"""Demo rows for the calendar sync state: events on the staff and public calendars, one that
failed. Nothing is pushed to Google.
"""

from datetime import date, timedelta

from django.utils import timezone

from events.demo import DEMO_MARK
from events.models import Event
from integrations.google_calendar.client import GOOGLE_ANSWERED, MAY_NOT_CHANGE_EVENTS
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.sync import belongs_on, google_event_id

# Worded as a real failure is, so it reads in each reader's language like one.
FAILED_ERROR = MAY_NOT_CHANGE_EVENTS % {
    "account": "tdc-sync@tdc-venue.iam.gserviceaccount.com",
    "calendar_id": "public-calendar@group.calendar.google.com",
    "detail": GOOGLE_ANSWERED
    % {
        "status": 403,
        "operation": "events.insert",
        "message": f"The caller does not have permission {DEMO_MARK}",
    },
}


def add_demo_rows(*, events: list[Event], today: date) -> None:
    now = timezone.now()
    wanted = [
        (event, calendar)
        for event in events
        for calendar in CalendarEntry.Calendar.values
        if belongs_on(event, calendar)
    ]
    # One failure on the public calendar, on an event the events list shows when it opens.
    failing = next(
        (pair for pair in wanted if pair[1] == "public" and pair[0].start_time > now), None
    )
    for event, calendar in wanted:
        failed = (event, calendar) == failing
        CalendarEntry.objects.create(
            event=event,
            event_title=event.title,
            calendar=calendar,
            google_event_id=google_event_id(event),
            # No body hash: once real calendars are configured, the first sync pushes every
            # event instead of trusting these made-up rows.
            state=CalendarEntry.State.FAILED if failed else CalendarEntry.State.SYNCED,
            last_error=FAILED_ERROR if failed else "",
            synced_at=None if failed else now - timedelta(minutes=30),
        )
