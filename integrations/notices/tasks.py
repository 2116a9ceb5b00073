"""The staff-notice check as a django-q2 task: thin, it calls the service."""

import logging

from integrations.notices.services import staff_notices_check

logger = logging.getLogger("integrations")

SCHEDULE_NAME = "Tell staff about integration problems"


def notify_staff() -> int:
    sent = staff_notices_check()
    return len(sent)
