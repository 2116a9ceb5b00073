"""The panels' change marker: one row, moved by every write to what a panel shows."""

from django.db import models

PANELS_VERSION_ID = 1


class PanelsVersion(models.Model):
    """Bumped (on commit) when an event, a line-up, an artist or a location is written.

    Kept panels are reused only while this number (read with one primary-key lookup per
    request) is the one they were built under; see sl_api/change_marker.py.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "panels version"

    def __str__(self) -> str:
        return f"panels version {self.number}"
