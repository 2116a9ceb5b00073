"""The staff-notice check as a django-q2 task: thin, it calls the service."""

from integrations.notices.services import staff_notices_check

SCHEDULE_NAME = "Tell staff about integration problems"  # created by migration 0006


def notify_staff() -> int:
    """Returns how many notices went out (shown as the task's result in the admin)."""
    return len(staff_notices_check())
