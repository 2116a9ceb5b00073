"""Google Calendar's health for the admin's integrations page.

`integration_status()` is cheap (a few queries, the credentials file read locally, no call to
Google); the buttons that do call Google are in `actions.py`.
"""

from django.conf import settings
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integrations.google_calendar.client import (
    FILE_PROBLEMS,
    error_in_words,
    missing_settings,
    read_key_file,
)
from integrations.google_calendar.models import CalendarEntry
from integrations.status import IntegrationStatus

NAME = "Google Calendar"
SERVICE = "google_calendar"


def integration_status() -> IntegrationStatus:
    missing = missing_settings()
    status = IntegrationStatus(
        name=NAME, service=SERVICE, configured=not missing, missing_settings=missing
    )
    if missing:
        status.problems.append(
            _("Not configured: set %(settings)s (see docs/integrations-setup.md, “%(section)s”).")
            % {"settings": ", ".join(missing), "section": "Google Calendar"}
        )
    else:
        account, problem = _credentials_file_summary(settings.GOOGLE_CALENDAR_CREDENTIALS_PATH)
        if problem:
            status.problems.append(problem)
            status.token_ok = False
        else:
            status.token = _("Service account %(account)s") % {"account": account}
        if settings.GOOGLE_CALENDAR_INTERNAL_ID == settings.GOOGLE_CALENDAR_PUBLIC_ID:
            status.problems.append(
                _(
                    "GOOGLE_CALENDAR_INTERNAL_ID and GOOGLE_CALENDAR_PUBLIC_ID name the same "
                    "calendar: staff-only events would be public. Use two calendars."
                )
            )

    counts = dict(CalendarEntry.objects.values_list("state").annotate(n=Count("pk")).order_by())
    status.waiting = counts.get(CalendarEntry.State.PENDING, 0)
    status.failed = counts.get(CalendarEntry.State.FAILED, 0)
    status.last_success_at = CalendarEntry.objects.aggregate(last=Max("synced_at"))["last"]
    last_failure = (
        CalendarEntry.objects.filter(state=CalendarEntry.State.FAILED)
        .order_by("-updated_at")
        .only("updated_at", "last_error", "event_title", "calendar")
        .first()
    )
    # Distinct causes, each already worded with its fix ("share calendar X with …"); stored in
    # English, so one cause is one group whoever met it. Read even when nothing failed, so the
    # page costs the same queries whatever the state of the entries.
    causes = list(
        CalendarEntry.objects.filter(state=CalendarEntry.State.FAILED)
        .values_list("last_error")
        .annotate(n=Count("pk"))
        .order_by("-n")[:3]
    )
    if last_failure is not None:
        status.last_error_at = last_failure.updated_at
        status.last_error = error_in_words(last_failure.last_error)
        for cause, n in causes:
            failed = ngettext(
                "%(count)d event failed to sync: %(cause)s",
                "%(count)d events failed to sync: %(cause)s",
                n,
            )
            status.problems.append(failed % {"count": n, "cause": error_in_words(cause)})

    changelist = reverse("admin:google_calendar_calendarentry_changelist")
    status.links = [
        (_("Calendar entries"), changelist),
        (_("Failed calendar entries"), f"{changelist}?state__exact={CalendarEntry.State.FAILED}"),
    ]
    return status


def _credentials_file_summary(path: str) -> tuple[str, str]:
    """(service-account e-mail, problem in plain words) from the local file; no network."""
    file = read_key_file(path)
    where = {"path": path}
    if file.problem == "missing":
        return "", _(
            "The credentials file %(path)s does not exist (GOOGLE_CALENDAR_CREDENTIALS_PATH)."
        ) % where
    if file.problem in ("folder", "unreadable"):
        reason = error_in_words(file.reason) if file.reason else _(FILE_PROBLEMS[file.problem])
        return "", _("The credentials file %(path)s cannot be read (%(reason)s).") % {
            **where,
            "reason": reason,
        }
    if file.problem == "not-json":
        return "", _("The credentials file %(path)s is not JSON: download the key again.") % where
    if file.kind != "service_account":
        return "", _(
            "%(path)s is not a service-account key. In the Google Cloud console create a key "
            "(JSON) for a service account and point GOOGLE_CALENDAR_CREDENTIALS_PATH at it."
        ) % where
    if {"client_email", "private_key"} & set(file.missing_keys):
        return "", _("%(path)s lacks client_email or private_key: download the key again.") % where
    return str(file.info["client_email"]), ""
