"""Task-worker entry points (django-q2): thin, each calls one service."""

import logging

from django.conf import settings
from django.utils import timezone

from integrations.action_outcomes import action_outcome_record
from integrations.http import IntegrationError
from patreon_sync.actions import webhook_state
from patreon_sync.supporters.sync import sync_campaign
from patreon_sync.supporters.webhooks import deliveries_prune
from patreon_sync.supporters.webhooks import process_delivery as process_stored_delivery
from patreon_sync.tokens import creator_client

logger = logging.getLogger(__name__)

SYNC_SCHEDULE_NAME = "Sync Patreon supporters"
PRUNE_SCHEDULE_NAME = "Prune old Patreon webhook deliveries"


def process_delivery(delivery_id: int) -> str:
    return process_stored_delivery(delivery_id=delivery_id).status


def sync_patrons() -> str:
    """The daily reconciliation (schedule created by migrate). A failure fails the task."""
    if not settings.PATREON_CREATOR_ACCESS_TOKEN:
        return "Skipped: PATREON_CREATOR_ACCESS_TOKEN is not set."
    run, _summary = sync_campaign(api=creator_client(), progress=logger.info)
    webhook_pause_check()
    return (
        f"{run.members} members: {run.created} new, {run.changed} changed, "
        f"{run.lapsed} lapsed, {run.unchanged} unchanged."
    )


def webhook_pause_check() -> None:
    """Patreon pauses our webhook and tells no one: the daily sync asks, and keeps the answer as
    the integrations page's "Is our webhook paused?" answer, so the page and the staff notices
    know. A failed ask is in the call log already; the sync's result stands."""
    try:
        answer = webhook_state()
    except IntegrationError as exc:
        logger.warning("Patreon: could not ask whether our webhook is paused: %s", exc.message)
        return
    action_outcome_record(service="patreon", action="webhook_state", succeeded=True, message=answer)


def prune_webhook_deliveries() -> int:
    """Daily (schedule created by migrate): forget deliveries done long ago."""
    deleted = deliveries_prune(now=timezone.now())
    logger.info("Patreon: pruned %s old webhook deliveries", deleted)
    return deleted
