"""What hands the staff-notice check to the task worker: right after an event that may change
an integration's verdict (a failed call, a token check, a failed delivery...), besides the
schedule `migrate` creates.

Integrations name their own events with `watch(Model, when=...)` from their `AppConfig.ready()`.
"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django_q.tasks import async_task

logger = logging.getLogger("integrations")

CHECK_TASK = "integrations.notices.tasks.notify_staff"
# A burst of failures (a sync run, a retry loop) queues one check, not one each.
_DEBOUNCE_KEY = "integrations:staff-notices:queued"
DEBOUNCE_SECONDS = 15


def _enqueue() -> None:
    if not cache.add(_DEBOUNCE_KEY, True, timeout=DEBOUNCE_SECONDS):
        return
    try:
        async_task(CHECK_TASK, task_name="staff-notices-check", group="staff-notices")
    except Exception:
        # The broker is down: the scheduled check tells staff a few minutes later instead.
        cache.delete(_DEBOUNCE_KEY)
        logger.exception("Could not queue the staff-notice check")


def check_soon() -> None:
    """Queue the check once the current transaction commits (it reads what was committed);
    never fails the work that called it."""
    transaction.on_commit(_enqueue)


def watch(model, *, when: Callable[[object], bool] = lambda instance: True) -> None:
    """Check soon after a save of `model` for which `when(instance)` is true."""

    def receiver(sender, instance, **kwargs) -> None:
        try:
            wanted = when(instance)
        except Exception:
            logger.exception("staff notices: deciding whether a %s save matters failed", sender)
            return
        if wanted:
            check_soon()

    post_save.connect(
        receiver, sender=model, weak=False, dispatch_uid=f"staff-notices-{model._meta.label}"
    )
