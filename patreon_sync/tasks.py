"""Task-worker entry points (django-q2): thin, each calls one service."""

from patreon_sync.webhooks import process_delivery as process_stored_delivery


def process_delivery(delivery_id: int) -> str:
    return process_stored_delivery(delivery_id=delivery_id).status
