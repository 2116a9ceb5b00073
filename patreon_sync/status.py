"""Patreon's health for the admin's integrations page: a few queries, no external call.

Testing the connection and reading/resuming our webhook are separate, explicit actions
(`patreon_sync.actions.connection_check`, `webhook_state`, `webhook_resume`).
"""

from datetime import timedelta

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_q.models import Schedule

from events.when import in_current_zone
from integrations.models import ActionOutcome, IntegrationLog
from integrations.status import IntegrationStatus
from patreon_sync.actions import answer_found_paused
from patreon_sync.models import SyncRun, WebhookDelivery
from patreon_sync.tokens import can_refresh, token_status

SERVICE = "patreon"
# A delivery still "received" after this long means the task worker is not running.
STUCK_AFTER = timedelta(minutes=10)
# Without a complete sync for this long, staff are told why (schedule, worker, failing runs).
SYNC_STALE_AFTER = timedelta(days=2)
SYNC_TASK = "patreon_sync.tasks.sync_patrons"  # what the schedule `migrate` creates runs
RENEWAL_SETTINGS = (
    "PATREON_CREATOR_REFRESH_TOKEN",
    "PATREON_CLIENT_ID",
    "PATREON_CLIENT_SECRET",
)  # what can_refresh() needs


def _admin_url(name: str, query: str = "") -> str:
    try:
        url = reverse(f"admin:{name}_changelist")
    except NoReverseMatch:  # that admin page is not registered
        return ""
    return url + (f"?{query}" if query else "")


def integration_status() -> IntegrationStatus:
    now = timezone.now()
    required = {
        "PATREON_CREATOR_ACCESS_TOKEN": settings.PATREON_CREATOR_ACCESS_TOKEN,
        "PATREON_WEBHOOK_SECRET": settings.PATREON_WEBHOOK_SECRET,
    }
    missing = [name for name, value in required.items() if not value]
    # Either half works alone: the webhook applies payloads, the token syncs; both is best.
    status = IntegrationStatus(
        name="Patreon",
        service=SERVICE,
        configured=len(missing) < len(required),
        missing_settings=missing,
    )
    problems = status.problems
    if not settings.PATREON_CREATOR_ACCESS_TOKEN:
        problems.append(
            _(
                "No creator token: set PATREON_CREATOR_ACCESS_TOKEN (Patreon developer portal, "
                "your client's Creator's Access Token) so supporters can be synced."
            )
        )
    if not settings.PATREON_WEBHOOK_SECRET:
        problems.append(
            _(
                "Every webhook delivery is refused: set PATREON_WEBHOOK_SECRET to the secret "
                "shown for this site's webhook in the Patreon developer portal."
            )
        )

    last_ok = (
        IntegrationLog.objects.filter(service=SERVICE, outcome=IntegrationLog.Outcome.OK)
        .values_list("created_at", flat=True)
        .first()
    )
    last_failed = (
        IntegrationLog.objects.filter(service=SERVICE, outcome=IntegrationLog.Outcome.FAILED)
        .values("created_at", "error")
        .first()
    )
    last_run = SyncRun.objects.filter(dry_run=False).first()
    last_complete = SyncRun.objects.filter(dry_run=False, complete=True).first()
    successes = [last_ok, last_complete.finished_at if last_complete else None]
    status.last_success_at = max((t for t in successes if t), default=None)
    errors = []
    if last_failed:
        errors.append((last_failed["created_at"], last_failed["error"]))
    if last_run and last_run.error:
        when = last_run.finished_at or last_run.started_at
        errors.append((when, _("Sync: %(error)s") % {"error": last_run.error}))
    last_failed_delivery = (
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED)
        .values("processed_at", "error")
        .first()
    )
    if last_failed_delivery and last_failed_delivery["processed_at"]:
        errors.append(
            (
                last_failed_delivery["processed_at"],
                _("Webhook: %(error)s") % {"error": last_failed_delivery["error"]},
            )
        )
    if errors:
        status.last_error_at, status.last_error = max(errors, key=lambda item: item[0])

    status.failed = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED).count()
    status.waiting = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.RECEIVED).count()
    if status.failed:
        problems.append(
            ngettext(
                "%(count)s webhook delivery failed: open it, fix the cause shown, and use "
                "“Reprocess” (a sync_patrons run also repairs the supporters).",
                "%(count)s webhook deliveries failed: open them, fix the cause shown, and use "
                "“Reprocess” (a sync_patrons run also repairs the supporters).",
                status.failed,
            )
            % {"count": status.failed}
        )
    stuck = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.RECEIVED, received_at__lt=now - STUCK_AFTER
    ).exists()
    if stuck:
        problems.append(
            _(
                "Webhook deliveries are waiting unprocessed: start the task worker "
                "(python manage.py qcluster), or select them and use “Reprocess”."
            )
        )
    if settings.PATREON_CREATOR_ACCESS_TOKEN:
        if last_run and not last_run.complete and last_run.error:
            problems.append(
                _(
                    "The last sync_patrons run stopped: %(error)s Fix the cause and run "
                    "python manage.py sync_patrons."
                )
                % {"error": last_run.error}
            )
        _sync_advice(status, now=now, last_complete=last_complete)

    _token_health(status)
    _webhook_found_paused(status)
    links = [
        (_("Supporters"), _admin_url("patreon_sync_supporter")),
        (_("Tiers"), _admin_url("patreon_sync_tier")),
        (
            _("Failed webhook deliveries"),
            _admin_url("patreon_sync_webhookdelivery", "status__exact=failed"),
        ),
        (_("Sync runs"), _admin_url("patreon_sync_syncrun")),
    ]
    status.links = [(label, url) for label, url in links if url]
    return status


def _sync_advice(status: IntegrationStatus, *, now, last_complete: SyncRun | None) -> None:
    """What to do about a supporter sync that has not completed lately, from its schedule."""
    if last_complete is not None and last_complete.started_at >= now - SYNC_STALE_AFTER:
        return
    schedule = (
        Schedule.objects.filter(func=SYNC_TASK).exclude(repeats=0).order_by("next_run").first()
    )
    if schedule is None:
        status.problems.append(
            _(
                "No complete supporter sync in the last two days, and none is scheduled: "
                "schedule python manage.py sync_patrons daily (docs/operations.md, “Schedules”)."
            )
        )
    elif schedule.next_run is not None and schedule.next_run < now - STUCK_AFTER:
        status.problems.append(
            _(
                "The task worker is not running: the scheduled supporter sync was due on "
                "%(due)s and has not started. Start it (python manage.py qcluster)."
            )
            % {"due": in_current_zone(schedule.next_run)}
        )
    elif last_complete is None:
        status.notes.append(
            _("The scheduled supporter sync has not completed yet; it runs next on %(when)s.")
            % {"when": in_current_zone(schedule.next_run)}
            if schedule.next_run
            else _("The scheduled supporter sync has not completed yet.")
        )
    else:
        status.problems.append(
            _(
                "No complete supporter sync in the last two days although one is scheduled "
                "daily: see why in the sync runs (and Django Q's failed tasks)."
            )
        )


def _webhook_found_paused(status: IntegrationStatus) -> None:
    """Patreon tells no one it paused our webhook: the last "Is our webhook paused?" answer
    is what we know, until a later "Resume the webhook" worked."""
    answers = {
        outcome.action: outcome
        for outcome in ActionOutcome.objects.filter(
            service=SERVICE, action__in=["webhook_state", "resume_webhook"]
        )
    }
    found = answers.get("webhook_state")
    if found is None or not answer_found_paused(found.message):
        return
    resumed = answers.get("resume_webhook")
    if resumed is not None and resumed.succeeded and resumed.done_at > found.done_at:
        return
    status.problems.append(
        _(
            "Patreon paused our webhook (found on %(when)s): supporter changes reach the site "
            "only through sync_patrons. Press “Resume the webhook”."
        )
        % {"when": in_current_zone(found.done_at)}
    )


def _token_health(status: IntegrationStatus) -> None:
    if not settings.PATREON_CREATOR_ACCESS_TOKEN:
        status.token, status.token_ok = _("Not set"), False
        return
    row = token_status()
    renews = can_refresh()
    if row is not None and row.broken:
        status.token_ok = False
        status.token = _("Refused by Patreon")
        status.problems.append(
            _(
                "Patreon refused the creator token (%(reason)s). Issue a new creator access "
                "and refresh token in the Patreon developer portal and set "
                "PATREON_CREATOR_ACCESS_TOKEN and PATREON_CREATOR_REFRESH_TOKEN."
            )
            % {"reason": row.last_refresh_error}
        )
        return
    # Each part is a clause of its own; the page shows them joined by semicolons.
    parts = []
    if row is not None and row.expires_at:
        parts.append(_("valid until %(when)s") % {"when": in_current_zone(row.expires_at)})
        status.token_ok = row.expires_at > timezone.now()
    else:
        parts.append(_("expiry unknown until the first renewal"))
        status.token_ok = True
    parts.append(_("renews itself") if renews else _("does not renew itself"))
    if row is not None and not renews:
        status.token_expires_at = row.expires_at
    if row is not None and row.last_refresh_ok is False:
        parts.append(_("last renewal failed: %(reason)s") % {"reason": row.last_refresh_error})
        status.problems.append(
            _(
                "The last creator token renewal failed (%(reason)s); it is retried on the next "
                "call. If it keeps failing, check PATREON_CLIENT_ID/SECRET."
            )
            % {"reason": row.last_refresh_error}
        )
    elif row is not None and row.refreshed_at:
        parts.append(_("last renewed %(when)s") % {"when": in_current_zone(row.refreshed_at)})
    if not renews:
        missing = [name for name in RENEWAL_SETTINGS if not getattr(settings, name)]
        status.problems.append(
            _(
                "The creator token cannot renew itself: set %(settings)s, or it stops working "
                "when it expires."
            )
            % {"settings": ", ".join(missing)}
        )
    if status.token_ok is False:
        status.problems.append(_("The creator token has expired: set a new one."))
    token = "; ".join(parts)
    # Only the first letter: the rest holds names and settings as written.
    status.token = token[:1].upper() + token[1:]
