"""Staff actions on Patreon: the integrations page's buttons (and the admin's).

Each takes no arguments, returns a plain-words outcome and raises an
`integrations.http.IntegrationError` when the work could not be done.
"""

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from integrations.http import NotConfigured
from patreon_sync.documents import WebhookState, identity_name
from patreon_sync.models import WebhookDelivery
from patreon_sync.supporters.webhooks import reprocess
from patreon_sync.tokens import creator_client

# The answer for a paused webhook, which the integrations page finds again in the recorded
# answer (`answer_found_paused`); the plural follows "failures".
PAUSED_ANSWER = ngettext_lazy(
    "Webhook %(id)s → %(uri)s: PAUSED, %(failures)s consecutive failure, triggers %(triggers)s.",
    "Webhook %(id)s → %(uri)s: PAUSED, %(failures)s consecutive failures, triggers %(triggers)s.",
    "failures",
)


def _require_token() -> None:
    if not settings.PATREON_CREATOR_ACCESS_TOKEN:
        raise NotConfigured(_("Set PATREON_CREATOR_ACCESS_TOKEN first."))


def connection_check() -> str:
    """One cheap authenticated call (GET /identity): proves the creator token works."""
    _require_token()
    name = identity_name(creator_client().identity())
    if name:
        return _("Connected to Patreon as %(name)s.") % {"name": name}
    return _("Connected to Patreon.")


def webhook_states() -> list[WebhookState]:
    """Our client's webhooks as Patreon sees them (GET /api/oauth2/v2/webhooks)."""
    _require_token()
    return creator_client().webhooks()


def webhook_state() -> str:
    states = webhook_states()
    if not states:
        return _(
            "Patreon lists no webhook created by this client: create one in the Patreon "
            "developer portal pointing at /api/v1/patreon/webhook."
        )
    lines = []
    for state in states:
        values = {
            "id": state.id,
            "uri": state.uri,
            "failures": state.failures,
            "triggers": ", ".join(state.triggers),
        }
        if state.paused:
            lines.append(str(PAUSED_ANSWER % values))
        else:
            line = ngettext(
                "Webhook %(id)s → %(uri)s: active, %(failures)s consecutive failure, "
                "triggers %(triggers)s.",
                "Webhook %(id)s → %(uri)s: active, %(failures)s consecutive failures, "
                "triggers %(triggers)s.",
                state.failures,
            )
            lines.append(line % values)
    return " ".join(lines)


def answer_found_paused(answer: str) -> bool:
    """Whether a recorded `webhook_state` answer found a webhook paused, in whichever language
    it was given (the daily sync records it in English, a button in its presser's language)."""
    gap = "\x00"
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for failures in (1, 2):  # the singular and the plural sentence
                values = {"id": gap, "uri": gap, "failures": failures, "triggers": gap}
                pieces = str(PAUSED_ANSWER % values).split(gap)
                escaped = [re.escape(piece).replace(str(failures), r"\d+", 1) for piece in pieces]
                if re.search(".*?".join(escaped), answer):
                    return True
    return False


def webhook_resume() -> str:
    """Unpause every paused webhook of ours; Patreon then sends what it held back."""
    api = creator_client()
    paused = [state for state in webhook_states() if state.paused or state.failures > 0]
    if not paused:
        return _("No webhook is paused; nothing to resume.")
    for state in paused:
        api.resume_webhook(state.id)
    return ngettext(
        "Resumed %(count)s webhook; Patreon will now send the deliveries it held.",
        "Resumed %(count)s webhooks; Patreon will now send the deliveries it held.",
        len(paused),
    ) % {"count": len(paused)}


def deliveries_retry_failed() -> str:
    """Reprocess every failed or waiting delivery now."""
    deliveries = WebhookDelivery.objects.filter(
        status__in=[WebhookDelivery.Status.FAILED, WebhookDelivery.Status.RECEIVED]
    ).order_by("received_at", "pk")
    count = reprocess(deliveries=deliveries)
    failed = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED).count()
    return ngettext(
        "Reprocessed %(count)s delivery; %(failed)s still failed.",
        "Reprocessed %(count)s deliveries; %(failed)s still failed.",
        count,
    ) % {"count": count, "failed": failed}
