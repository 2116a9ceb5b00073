"""What we last pushed to each Google Calendar, per event: the state staff see in the admin."""

from django.db import models

from events.models import Event


class CalendarEntry(models.Model):
    """One event on one of the venue's calendars (internal or public), as we last left it."""

    class Calendar(models.TextChoices):
        INTERNAL = "internal", "Staff calendar"
        PUBLIC = "public", "Public calendar"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"  # a push started and did not finish: may exist on Google
        SYNCED = "synced", "Synced"
        FAILED = "failed", "Failed"
        REMOVED = "removed", "Removed"  # deleted on Google (or never needed after a failure)

    # No database constraint and no cascade: the row must outlive its event, because the task
    # that removes a deleted event from Google reads the Google id from here.
    event = models.ForeignKey(
        Event,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="calendar_entries",
    )
    event_title = models.CharField(max_length=200, blank=True, help_text="As last synced")
    calendar = models.CharField(max_length=10, choices=Calendar.choices)
    calendar_id = models.CharField("Google calendar id", max_length=255, blank=True)
    google_event_id = models.CharField("Google event id", max_length=64)
    body_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the event body last pushed"
    )
    etag = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    last_error = models.TextField(blank=True)
    synced_at = models.DateTimeField("last pushed", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "calendar"], name="calendar_entry_once"),
        ]
        indexes = [models.Index(fields=["state", "calendar"], name="calendar_entry_state")]
        verbose_name = "Google Calendar entry"
        verbose_name_plural = "Google Calendar entries"

    def __str__(self) -> str:
        return f"{self.event_title or self.event_id} on {self.get_calendar_display()}"
