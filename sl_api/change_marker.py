"""Whether what panels show may have changed: read per request, written on every change.

Production runs several gunicorn processes and, without Redis, each has its own cache: a
version kept in memory by a signal in one process would go unseen by the others. The version
lives in the database instead, and every panel request reads it with one cheap query (primary
key and index lookups only, whatever the number of events).

The signals in sl_api/signals.py bump it after every ORM save or delete of an event, a line-up
entry, an artist or a location. Writes that send no signal are caught too where they can be:
`bulk_create` through the highest ids. `QuerySet.update()` and raw SQL send nothing; kept
panels are rebuilt at least every minute (panels.KEEP_AT_MOST), which bounds that case.
"""

import functools
import logging

from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from events.models import Event, EventArtist
from sl_api.models import PANELS_VERSION_ID, PanelsVersion

logger = logging.getLogger(__name__)


def panels_change_marker() -> tuple:
    """A value that moves whenever something a panel shows is written (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_marker_sql(connection.vendor), [PANELS_VERSION_ID])
        return tuple(cursor.fetchone())


@functools.cache
def _marker_sql(vendor: str) -> str:
    # Built once per backend: this runs on every panel request.
    quote = connection.ops.quote_name
    version = quote(PanelsVersion._meta.db_table)
    events, links = quote(Event._meta.db_table), quote(EventArtist._meta.db_table)
    pk = quote("id")
    # Scalar subqueries, no FROM: a missing version row reads as NULL instead of no row.
    return (
        f"SELECT (SELECT {quote('number')} FROM {version} WHERE {pk} = %s),"  # noqa: S608
        f" (SELECT MAX({pk}) FROM {events}), (SELECT MAX({pk}) FROM {links})"
    )


def _bump_panels_version() -> None:
    try:
        bumped = PanelsVersion.objects.filter(pk=PANELS_VERSION_ID).update(
            number=F("number") + 1, changed_at=timezone.now()
        )
        if not bumped:
            PanelsVersion.objects.get_or_create(pk=PANELS_VERSION_ID, defaults={"number": 1})
    except DatabaseError:
        # The write it follows is committed; panels catch up within a minute.
        logger.exception("Could not bump the Second Life panels version")


def note_panels_changed() -> None:
    """Move the marker once the current transaction commits (never on rollback).

    After the commit, not inside it: the version row is then never locked across staff's
    transactions, so two concurrent multi-event saves cannot deadlock on it. A transaction
    that writes several rows bumps it several times, one tiny UPDATE each: harmless.
    """
    transaction.on_commit(_bump_panels_version, robust=True)
