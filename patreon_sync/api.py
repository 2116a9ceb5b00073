"""The Patreon webhook router, mounted by tdc/api.py at /api/v1/patreon/.

The operation takes only `request`, so ninja neither reads nor validates the body: the HMAC is
computed over the raw bytes exactly as Patreon signed them, before anything parses them.
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.utils import timezone
from ninja import Router, Schema, Status

from patreon_sync.documents import MAX_JSON_DEPTH, json_depth_exceeds
from patreon_sync.supporters.webhooks import MAX_EVENT_LENGTH, signature_is_valid, store_delivery

logger = logging.getLogger(__name__)

router = Router(tags=["patreon"])


class DeliveryAck(Schema):
    status: str  # "stored" (new) or "duplicate" (already received)
    delivery: int


class WebhookError(Schema):
    error: str


WEBHOOK_OPENAPI = {
    "parameters": [
        {
            "name": "X-Patreon-Signature",
            "in": "header",
            "required": True,
            "description": "Hex HMAC-MD5 of the raw body, keyed with the webhook secret.",
            "schema": {"type": "string"},
        },
        {
            "name": "X-Patreon-Event",
            "in": "header",
            "required": True,
            "description": "The trigger, e.g. members:pledge:create.",
            "schema": {"type": "string", "maxLength": MAX_EVENT_LENGTH},
        },
    ],
    "requestBody": {
        "required": True,
        "description": "Patreon's JSON:API member document, read as raw bytes.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    },
}


@router.post(
    "/webhook",
    response={
        200: DeliveryAck,
        400: WebhookError,
        403: WebhookError,
        413: WebhookError,
        503: WebhookError,
    },
    summary="Receive a Patreon webhook delivery",
    description=(
        "Verified deliveries are stored raw and answered at once; members:* triggers update the "
        "supporter. A bad or missing signature, or no webhook secret configured, is refused "
        "with 403 and nothing is stored; a signed body whose JSON nests unreasonably deep is "
        "refused with 400."
    ),
    openapi_extra=WEBHOOK_OPENAPI,
)
def webhook(request):
    try:
        body = request.body
    except RequestDataTooBig:
        return Status(413, {"error": "body too large"})
    signature = request.headers.get("X-Patreon-Signature", "")
    if not signature_is_valid(body=body, signature=signature):
        if not settings.PATREON_WEBHOOK_SECRET:
            reason = "PATREON_WEBHOOK_SECRET is not set"
        else:
            reason = "bad signature" if signature else "no signature"
        logger.warning(
            "Patreon webhook refused (%s) from %s", reason, request.META.get("REMOTE_ADDR", "?")
        )
        return Status(403, {"error": "invalid signature"})
    event = request.headers.get("X-Patreon-Event", "").strip()
    if not event or len(event) > MAX_EVENT_LENGTH or not event.isprintable():
        return Status(400, {"error": "missing or invalid X-Patreon-Event"})
    if json_depth_exceeds(body):
        # Signed, so it comes from whoever holds the secret; no member document nests this deep.
        logger.warning("Patreon webhook refused: JSON nested deeper than %s levels", MAX_JSON_DEPTH)
        return Status(400, {"error": "body nested too deeply"})
    try:
        delivery, is_new = store_delivery(event=event, body=body, received_at=timezone.now())
    except DatabaseError:
        logger.exception("Could not store a Patreon delivery")
        # Patreon retries a failed delivery later: nothing is lost.
        return Status(503, {"error": "could not store the delivery, retry later"})
    return Status(200, {"status": "stored" if is_new else "duplicate", "delivery": delivery.pk})
