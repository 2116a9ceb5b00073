"""Kept panels, and the one cheap query that says whether they still hold.

Production runs several gunicorn processes and the default cache is per process, so a version
bumped by a signal in one process would go unseen by the others. Instead every request asks the
database for a change marker (counts and latest changes of events and line-ups, one query); a
kept panel is used only while the marker is the one it was built under. An admin edit always
moves the marker (`updated_at`), so it shows on the next poll in every process.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from django.db import connection

from events.models import Event, EventArtist
from sl_api.panels import Panel
from sl_api.params import PanelQuery

KEPT_PANELS_MAX = 512  # bodies are <= 16 KiB: at most a few MiB per process

BuildPanel = Callable[..., Panel]


def events_change_marker() -> tuple:
    """A value that changes whenever an event or a line-up is added, edited or deleted."""
    quote = connection.ops.quote_name
    events, links = quote(Event._meta.db_table), quote(EventArtist._meta.db_table)
    # Counts catch deletions; MAX(updated_at) catches edits; link ids catch line-up rewrites
    # made outside the admin (which also saves the event).
    sql = (
        f"SELECT COUNT(*), MAX({quote('updated_at')}),"  # noqa: S608 (no user input)
        f" (SELECT COUNT(*) FROM {links}), (SELECT MAX({quote('id')}) FROM {links})"
        f" FROM {events}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


class KeptPanels:
    """A small per-process LRU of panels, keyed by endpoint and parameters."""

    def __init__(self, max_entries: int = KEPT_PANELS_MAX):
        self._entries: OrderedDict[tuple, tuple[tuple, Panel]] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers serve requests on several threads
        self._max_entries = max_entries

    def get(self, key: tuple, *, marker: tuple, now: float) -> Panel | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            kept_marker, panel = entry
            if kept_marker != marker or now >= panel.valid_until:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return panel

    def put(self, key: tuple, *, marker: tuple, panel: Panel) -> None:
        with self._lock:
            self._entries[key] = (marker, panel)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


kept_panels = KeptPanels()


def panel_for(name: str, build: BuildPanel, query: PanelQuery, *, now: datetime) -> Panel:
    """The panel `build` would make now: kept if still true, else built and kept."""
    marker = events_change_marker()
    key = (name, *query.cache_key)
    panel = kept_panels.get(key, marker=marker, now=now.timestamp())
    if panel is None:
        panel = build(query, now=now)
        kept_panels.put(key, marker=marker, panel=panel)
    return panel
