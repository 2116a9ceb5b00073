"""Fixtures for the panel endpoints: a settable clock and a clean panel cache per test."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sl_api import clock
from sl_api.panel_cache import kept_panels

UTC = ZoneInfo("UTC")
SLT = ZoneInfo("America/Los_Angeles")
ROME = ZoneInfo("Europe/Rome")


class PanelClock:
    """What `sl_api.clock.now()` answers; tests move it like a wall clock."""

    def __init__(self, at: datetime):
        self.at = at

    def now(self) -> datetime:
        return self.at


@pytest.fixture(autouse=True)
def _fresh_panel_cache():
    kept_panels.clear()
    yield
    kept_panels.clear()


@pytest.fixture
def panel_clock(monkeypatch):
    fixed = PanelClock(datetime(2026, 12, 5, 12, 0, tzinfo=UTC))
    monkeypatch.setattr(clock, "now", fixed.now)
    return fixed
