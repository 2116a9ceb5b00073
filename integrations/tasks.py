"""Tasks of the integrations app, run by the django-q2 worker. Thin: they call services."""

import logging

from integrations.log_retention import prune_call_log

logger = logging.getLogger("integrations")

PRUNE_SCHEDULE_NAME = "Prune the external-call log"


def prune_integration_log() -> int:
    deleted = prune_call_log()
    logger.info("integration log: pruned %s rows past the retention window", deleted)
    return deleted
