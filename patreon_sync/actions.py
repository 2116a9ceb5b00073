"""Staff actions on Patreon: the integrations page's buttons (and the admin's).

Each takes no arguments, returns a plain-words outcome and raises an
`integrations.http.IntegrationError` when the work could not be done.
"""


from django.conf import settings

from integrations.http import NotConfigured
from patreon_sync.documents import WebhookState, identity_name
from patreon_sync.models import WebhookDelivery
from patreon_sync.supporters.webhooks import reprocess
from patreon_sync.tokens import creator_client


def _require_token() -> None:
    if not settings.PATREON_CREATOR_ACCESS_TOKEN:
        raise NotConfigured("Set PATREON_CREATOR_ACCESS_TOKEN first.")


def connection_check() -> str:
    """One cheap authenticated call (GET /identity): proves the creator token works."""
    _require_token()
    name = identity_name(creator_client().identity())
    return f"Connected to Patreon as {name}." if name else "Connected to Patreon."


def webhook_states() -> list[WebhookState]:
    """Our client's webhooks as Patreon sees them (GET /api/oauth2/v2/webhooks)."""
    _require_token()
    return creator_client().webhooks()


def webhook_state() -> str:
    states = webhook_states()
    if not states:
        return (
            "Patreon lists no webhook created by this client: create one in the Patreon "
            "developer portal pointing at /api/v1/patreon/webhook."
        )
    lines = []
    for state in states:
        health = "PAUSED" if state.paused else "active"
        lines.append(
            f"Webhook {state.id} → {state.uri}: {health}, "
            f"{state.failures} consecutive failures, triggers {', '.join(state.triggers)}."
        )
    return " ".join(lines)


def webhook_resume() -> str:
    """Unpause every paused webhook of ours; Patreon then sends what it held back."""
    api = creator_client()
    paused = [state for state in webhook_states() if state.paused or state.failures > 0]
    if not paused:
        return "No webhook is paused; nothing to resume."
    for state in paused:
        api.resume_webhook(state.id)
    return f"Resumed {len(paused)} webhook(s); Patreon will now send the deliveries it held."


def deliveries_retry_failed() -> str:
    """Reprocess every failed or waiting delivery now."""
    deliveries = WebhookDelivery.objects.filter(
        status__in=[WebhookDelivery.Status.FAILED, WebhookDelivery.Status.RECEIVED]
    ).order_by("received_at", "pk")
    count = reprocess(deliveries=deliveries)
    failed = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED).count()
    return f"Reprocessed {count} deliveries; {failed} still failed."
