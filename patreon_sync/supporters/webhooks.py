"""Patreon webhook deliveries: verify, store raw, process through the shared upsert.

Patreon's deliveries carry no event id or time, may repeat or arrive out of order, and often
have an empty `currently_entitled_tiers`. So a delivery is only a hint: with a creator token we
re-read the member from the API and store that; without one we use the payload, guarded so an
older payload never overwrites a newer state.

Processing runs in the task worker (see `store_delivery`): re-reading the member is a network
call that must not hold Patreon's request open, and a worker that is down loses nothing (the
delivery stays stored as "received" and can be reprocessed).
"""

import hashlib
import hmac
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.http import IntegrationError
from patreon_sync import queue
from patreon_sync.client import NotFound
from patreon_sync.documents import (
    NotJSON,
    PayloadError,
    load_document,
    parse_member_document,
    webhook_member_id,
)
from patreon_sync.models import WebhookDelivery
from patreon_sync.supporters.services import supporters_lapse, supporters_upsert
from patreon_sync.tokens import creator_client

logger = logging.getLogger(__name__)

MEMBER_TRIGGERS = frozenset(
    {
        "members:create",
        "members:update",
        "members:delete",
        "members:pledge:create",
        "members:pledge:update",
        "members:pledge:delete",
    }
)
MAX_EVENT_LENGTH = 60
# Done deliveries are kept this long: well past Patreon's days of retrying one (so a late
# identical repeat is still recognised), then deleted. Failed or waiting ones stay for staff.
DELIVERY_RETENTION = timedelta(days=90)
PRUNE_BATCH = 5000


def signature_is_valid(*, body: bytes, signature: str) -> bool:
    """X-Patreon-Signature: hex HMAC-MD5 of the raw body keyed with the webhook secret.

    No secret configured: nothing is valid (fail closed).
    """
    secret = settings.PATREON_WEBHOOK_SECRET
    if not secret or not signature:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.md5).hexdigest().encode()
    # As bytes: compare_digest refuses non-ASCII str, and a header can hold anything.
    given = signature.strip().lower().encode("utf-8", errors="replace")
    return hmac.compare_digest(expected, given)


def fingerprint(*, event: str, body: bytes) -> str:
    return hashlib.sha256(event.encode() + b"\n" + body).hexdigest()


def store_delivery(
    *, event: str, body: bytes, received_at: datetime
) -> tuple[WebhookDelivery, bool]:
    """Store a verified delivery as received (before any parsing). Returns (row, is_new).

    A new delivery is queued for processing; a repeat is not. With the database as the task
    broker the task row is written in the delivery's own transaction: one commit per delivery
    (the webhook's answer time is mostly commits) and never a delivery without its task. With
    Redis the task is queued once the row is committed, so a worker can always read it.
    """
    key = fingerprint(event=event, body=body)
    in_transaction = queue.broker_is_database()
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                received_at=received_at, event=event, body=body, fingerprint=key
            )
            if in_transaction:
                queue.queue_processing(delivery_id=delivery.pk)
    except IntegrityError:
        return WebhookDelivery.objects.get(fingerprint=key), False
    if not in_transaction:
        transaction.on_commit(lambda: queue.queue_after_commit(delivery_id=delivery.pk))
    return delivery, True


def process_delivery(*, delivery_id: int) -> WebhookDelivery:
    """Apply one stored delivery. Idempotent: a delivery already applied is left alone."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status in (
            WebhookDelivery.Status.PROCESSED,
            WebhookDelivery.Status.IGNORED,
            WebhookDelivery.Status.TEST,
        ):
            return delivery
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
    # Outside the transaction: the API re-read may renew the creator token (see tokens.py).
    status, error, member_id = _apply(delivery)
    delivery.status, delivery.error = status, error
    delivery.member_id = member_id or delivery.member_id
    delivery.processed_at = timezone.now()
    delivery.save(update_fields=["status", "error", "member_id", "processed_at"])
    if status == WebhookDelivery.Status.FAILED:
        logger.warning("Patreon delivery %s failed: %s", delivery.pk, error)
    return delivery


def _apply(delivery: WebhookDelivery) -> tuple[str, str, str]:
    Status = WebhookDelivery.Status
    if delivery.event not in MEMBER_TRIGGERS:
        return Status.IGNORED, "", ""
    try:
        document = load_document(bytes(delivery.body))
    except NotJSON:
        return Status.FAILED, "The body is not JSON.", ""
    except PayloadError as exc:
        return Status.FAILED, f"The body is not a Patreon member document: {exc}.", ""
    member_id = webhook_member_id(document)
    if not member_id:
        return Status.TEST, "", ""  # Patreon's "send test" carries no member
    try:
        if settings.PATREON_CREATOR_ACCESS_TOKEN:
            _apply_from_api(member_id=member_id)
        else:
            _apply_payload(delivery=delivery, document=document)
    except (IntegrationError, PayloadError) as exc:
        message = exc.message if isinstance(exc, IntegrationError) else f"Bad payload: {exc}"
        return Status.FAILED, message[:4000], member_id
    except Exception as exc:  # a bug or the database: recorded for staff, details in the log
        logger.exception("Processing Patreon delivery %s crashed", delivery.pk)
        return (
            Status.FAILED,
            f"Unexpected error ({type(exc).__name__}); see the server log.",
            member_id,
        )
    return Status.PROCESSED, "", member_id


def _apply_from_api(*, member_id: str) -> None:
    api = creator_client()
    try:
        document = api.member(member_id)
    except NotFound:
        # The membership no longer exists at Patreon: a lapse, never a deletion here.
        supporters_lapse(member_ids=[member_id], now=timezone.now())
        return
    now = timezone.now()
    supporters_upsert(members=[parse_member_document(document)], source_at=now, from_api=True)


def _apply_payload(*, delivery: WebhookDelivery, document: dict) -> None:
    member = parse_member_document(document)
    if delivery.event == "members:delete":
        # The membership is gone (Patreon deletes only members that never paid).
        supporters_upsert(members=[member], source_at=delivery.received_at, from_api=False)
        supporters_lapse(member_ids=[member.patreon_member_id], now=delivery.received_at)
        return
    supporters_upsert(members=[member], source_at=delivery.received_at, from_api=False)


def reprocess(*, deliveries) -> int:
    """Staff's "reprocess": failed or never-processed deliveries are applied again now.

    Each on its own: one that cannot be processed is logged and the others still are.
    """
    Status = WebhookDelivery.Status
    waiting = deliveries.filter(status__in=[Status.FAILED, Status.RECEIVED])
    count = 0
    # Ids only: the bodies are read one at a time by process_delivery.
    for delivery_id in list(waiting.values_list("pk", flat=True)):
        count += 1
        try:
            process_delivery(delivery_id=delivery_id)
        except Exception:
            logger.exception("Reprocessing Patreon delivery %s crashed", delivery_id)
    return count


def deliveries_prune(*, now: datetime) -> int:
    """Delete done deliveries (processed, ignored, test) older than DELIVERY_RETENTION."""
    Status = WebhookDelivery.Status
    done = WebhookDelivery.objects.filter(
        status__in=[Status.PROCESSED, Status.IGNORED, Status.TEST],
        received_at__lt=now - DELIVERY_RETENTION,
    )
    deleted = 0
    while True:  # in slices: short statements, no long lock on the table the webhook writes
        ids = list(done.order_by("pk").values_list("pk", flat=True)[:PRUNE_BATCH])
        if not ids:
            return deleted
        deleted += WebhookDelivery.objects.filter(pk__in=ids).delete()[0]
