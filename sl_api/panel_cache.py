"""Kept panels: rendered answers reused while the change marker says they still hold.

Per process, in memory: no serialisation and no network on the hot path. Correctness does not
depend on it being shared, since every request reads the marker from the database first.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from sl_api.change_marker import panels_change_marker
from sl_api.panels import Panel
from sl_api.params import PanelQuery

KEPT_PANELS_MAX = 512  # bodies are <= 16 KiB: at most a few MiB per process

BuildPanel = Callable[..., Panel]


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
    marker = panels_change_marker()
    key = (name, *query.cache_key)
    panel = kept_panels.get(key, marker=marker, now=now.timestamp())
    if panel is None:
        panel = build(query, now=now)
        kept_panels.put(key, marker=marker, panel=panel)
    return panel
