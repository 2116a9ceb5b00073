"""Handing work to the task worker when the current transaction commits, once per transaction.

A save can reach the same receiver several times in one transaction (the event, its line-up,
a rename): the callback is recognised by its key, so the work is queued once, and never on a
rollback. A broker that is down never fails the change that asked: the error is logged and
each integration's own repair (a reconcile, a scheduled run) catches up.
"""

import logging
from collections.abc import Callable, Hashable

from django.db import transaction

logger = logging.getLogger(__name__)


class OnCommit:
    """The on-commit callback for one piece of work, recognisable by its key."""

    def __init__(self, key: Hashable, enqueue: Callable[[], object], what: str):
        self.key = key
        self.enqueue = enqueue
        self.what = what

    def __call__(self) -> None:
        try:
            self.enqueue()
        except Exception:
            logger.exception("Could not queue %s", self.what)


def enqueue_once_on_commit(*, key: Hashable, enqueue: Callable[[], object], what: str) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(item[1], OnCommit) and item[1].key == key for item in connection.run_on_commit
    ):
        return  # already queued by this transaction
    transaction.on_commit(OnCommit(key, enqueue, what))
