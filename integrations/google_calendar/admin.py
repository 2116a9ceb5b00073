"""Google Calendar in the admin: the sync state per calendar on the event list and page, a
"Sync to Google Calendar now" action, and the entries themselves (read-only)."""

import logging

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from events.models import Event
from events.when import in_current_zone
from integrations.google_calendar.client import error_in_words, missing_settings
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.queue import queue_forced_syncs
from integrations.google_calendar.sync import belongs_on, sync_event
from integrations.http import NotConfigured

logger = logging.getLogger(__name__)

# Synced while staff wait, up to this many; more could outlast the web server's request
# timeout (gunicorn: 30 s), so they go to the task queue instead.
SYNC_NOW_LIMIT = 10
SHORT_NAMES = {
    CalendarEntry.Calendar.INTERNAL: pgettext_lazy("the staff calendar, in short", "Staff"),
    CalendarEntry.Calendar.PUBLIC: pgettext_lazy("the public calendar, in short", "Public"),
}
# An event's state on one calendar, as the event list's column says it.
STATE_WORDS = {
    "waiting": pgettext_lazy("an event on a calendar", "waiting"),
    "failed": pgettext_lazy("an event on a calendar", "failed"),
    "synced": pgettext_lazy("an event on a calendar", "synced"),
}


def calendar_states(event: Event) -> list[tuple[str, str, str]]:
    """(calendar, state, last error) for each calendar the event is or was on; the state is a
    key of STATE_WORDS.

    Reads the prefetched entries, so the changelist makes no query per row.
    """
    entries = {entry.calendar: entry for entry in event.calendar_entries.all()}
    rows = []
    for calendar in CalendarEntry.Calendar.values:
        entry = entries.get(calendar)
        wanted = belongs_on(event, calendar)
        if entry is None:
            if wanted:
                rows.append((calendar, "waiting", ""))
            continue
        if entry.state == CalendarEntry.State.FAILED:
            rows.append((calendar, "failed", entry.last_error))
        elif wanted and entry.state == CalendarEntry.State.SYNCED:
            rows.append((calendar, "synced", ""))
        elif not wanted and entry.state == CalendarEntry.State.REMOVED:
            continue  # removed, as it should be
        else:
            rows.append((calendar, "waiting", ""))
    return rows


def _when(instant) -> str:
    """An instant as staff read it: in the venue's zone, to the minute, the zone named."""
    if instant is None:
        return _("never")
    return in_current_zone(instant)


class CalendarEventAdminMixin:
    integration_actions = ["sync_to_google_calendar_now"]
    integration_list_display = ["google_calendar_state"]
    integration_inlines: list = []
    integration_readonly_fields = ["google_calendar_details"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("calendar_entries")

    @admin.display(description=gettext_lazy("Google Calendar"))
    def google_calendar_state(self, event: Event) -> str:
        if missing_settings():
            return _("not configured")
        rows = calendar_states(event)
        if not rows:
            return "—"
        return format_html_join(
            mark_safe("<br>"),  # one calendar a line: the column stays narrow
            '<span title="{}">{}</span>',
            (
                (
                    error_in_words(error),
                    pgettext("a calendar and the event's state on it", "%(calendar)s %(state)s")
                    % {"calendar": SHORT_NAMES[calendar], "state": STATE_WORDS[state]},
                )
                for calendar, state, error in rows
            ),
        )

    @admin.display(description=gettext_lazy("Google Calendar"))
    def google_calendar_details(self, event: Event) -> str:
        if missing_settings():
            return _("Not configured: set %(settings)s.") % {
                "settings": ", ".join(missing_settings())
            }
        if event.pk is None:
            return _("Synced after saving.")
        entries = {entry.calendar: entry for entry in event.calendar_entries.all()}
        cells = []
        for calendar in CalendarEntry.Calendar:
            entry = entries.get(calendar)
            if entry is not None:
                cells.append(
                    (
                        entry.get_calendar_display(),
                        entry.get_state_display(),
                        _when(entry.synced_at),
                        entry.google_event_id,
                        error_in_words(entry.last_error),
                    )
                )
            elif belongs_on(event, calendar):
                # Belongs there but no sync has recorded anything yet: say so, don't omit it.
                cells.append((calendar.label, _("Waiting to sync"), _("never"), "", ""))
        if not cells:
            return _("On no calendar.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            cells,
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("Calendar"),
            _("State"),
            _("Last pushed"),
            _("Google id"),
            _("Last error"),
            rows,
        )

    # It writes to Google: for staff who may change events, not for view-only accounts.
    @admin.action(description=gettext_lazy("Sync to Google Calendar now"), permissions=["change"])
    def sync_to_google_calendar_now(self, request, queryset) -> None:
        results = _sync_now(self, request, list(queryset.values_list("pk", flat=True)))
        if results is None:
            return
        synced, failures = 0, []
        for event_id, result in results.items():
            if result.failed:
                failures.extend(
                    _("Event %(event)s: %(error)s")
                    % {"event": event_id, "error": error_in_words(e)}
                    for e in result.errors.values()
                )
            else:
                synced += 1
        if synced:
            text = ngettext(
                "%(count)d event synced to Google Calendar.",
                "%(count)d events synced to Google Calendar.",
                synced,
            )
            self.message_user(request, text % {"count": synced})
        for failure in failures:
            self.message_user(request, failure, messages.ERROR)


def _sync_now(model_admin, request, event_ids: list[int]) -> dict | None:
    """Sync each event now, forced (which also repairs an event edited by hand on Google).

    None when staff were told why not: too many at once (queued instead) or not configured.
    """
    if len(event_ids) > SYNC_NOW_LIMIT and not missing_settings():
        _queue_instead(model_admin, request, event_ids)
        return None
    results = {}
    for event_id in event_ids:
        try:
            results[event_id] = sync_event(event_id=event_id, force=True)
        except NotConfigured as error:
            model_admin.message_user(request, error_in_words(error.message), messages.WARNING)
            return None
    return results


def _queue_instead(model_admin, request, event_ids: list[int]) -> None:
    try:
        queue_forced_syncs(event_ids)
    except Exception:  # the task queue's broker is down
        logger.exception("Could not queue the calendar sync of %s events", len(event_ids))
        model_admin.message_user(
            request,
            _(
                "The task queue is not reachable: nothing was queued. Try again, or select at "
                "most %(limit)d events to sync them right away."
            )
            % {"limit": SYNC_NOW_LIMIT},
            messages.ERROR,
        )
        return
    queued = ngettext(
        "%(count)d event queued for Google Calendar (more than %(limit)d are not synced while "
        "you wait); the Google Calendar column shows its state once it is done.",
        "%(count)d events queued for Google Calendar (more than %(limit)d are not synced while "
        "you wait); the Google Calendar column shows each one's state once it is done.",
        len(event_ids),
    )
    model_admin.message_user(request, queued % {"count": len(event_ids), "limit": SYNC_NOW_LIMIT})


@admin.register(CalendarEntry)
class CalendarEntryAdmin(admin.ModelAdmin):
    """What we last pushed per event and calendar; changed only by syncing."""

    list_display = [
        "event_title",
        "event_link",
        "calendar",
        "state",
        "last_pushed",
        "short_error",
    ]
    list_filter = ["state", "calendar"]
    search_fields = ["event_title", "google_event_id", "last_error"]
    readonly_fields = [
        "event_link",
        "event_title",
        "calendar",
        "calendar_id",
        "google_event_id",
        "state",
        "last_pushed",
        "body_hash",
        "etag",
        "last_error_in_words",
        "last_updated",
    ]
    fields = readonly_fields
    actions = ["sync_again_now"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the entry of a deleted event is what lets its removal from Google happen

    @admin.display(description=gettext_lazy("Event"), ordering="event_id")
    def event_link(self, entry: CalendarEntry) -> str:
        url = reverse("admin:events_event_change", args=[entry.event_id])
        return format_html('<a href="{}">#{}</a>', url, entry.event_id)

    @admin.display(description=gettext_lazy("last pushed"), ordering="synced_at")
    def last_pushed(self, entry: CalendarEntry) -> str:
        return _when(entry.synced_at)

    @admin.display(description=gettext_lazy("updated at"), ordering="updated_at")
    def last_updated(self, entry: CalendarEntry) -> str:
        return _when(entry.updated_at)

    @admin.display(description=gettext_lazy("last error"))
    def last_error_in_words(self, entry: CalendarEntry) -> str:
        return error_in_words(entry.last_error)

    @admin.display(description=gettext_lazy("Last error"))
    def short_error(self, entry: CalendarEntry) -> str:
        error = error_in_words(entry.last_error)
        return error[:120] + ("…" if len(error) > 120 else "")

    @admin.action(
        description=gettext_lazy("Sync these events to Google Calendar now"), permissions=["change"]
    )
    def sync_again_now(self, request, queryset) -> None:
        event_ids = sorted(set(queryset.values_list("event_id", flat=True)))
        results = _sync_now(self, request, event_ids)
        if results is None:
            return
        failed = sum(result.failed for result in results.values())
        level = messages.ERROR if failed else messages.SUCCESS
        self.message_user(
            request,
            _("%(synced)d synced, %(failed)d failed.")
            % {"synced": len(event_ids) - failed, "failed": failed},
            level=level,
        )
