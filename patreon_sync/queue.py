"""Handing Patreon work to the task worker (django-q2): a stored webhook delivery to process."""

import logging

from django.conf import settings
from django_q.tasks import async_task

logger = logging.getLogger(__name__)


def broker_is_database() -> bool:
    return "orm" in settings.Q_CLUSTER


def queue_processing(*, delivery_id: int) -> None:
    async_task("patreon_sync.tasks.process_delivery", delivery_id)


def queue_after_commit(*, delivery_id: int) -> None:
    try:
        queue_processing(delivery_id=delivery_id)
    except Exception:  # the broker is down: the stored delivery waits for a reprocess
        logger.exception("Could not queue Patreon delivery %s; reprocess it", delivery_id)
