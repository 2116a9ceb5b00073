"""What we last pushed to each Google Calendar, per event: the state staff see in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.models import Event


class CalendarEntry(models.Model):
    """One event on one of the venue's calendars (internal or public), as we last left it."""

    class Calendar(models.TextChoices):
        INTERNAL = "internal", _("Staff calendar")
        PUBLIC = "public", _("Public calendar")

    class State(models.TextChoices):
        # PENDING: a push started and did not finish, so the event may exist on Google.
        # REMOVED: deleted on Google (or never needed after a failure).
        PENDING = "pending", pgettext_lazy("a calendar entry", "Pending")
        SYNCED = "synced", pgettext_lazy("a calendar entry", "Synced")
        FAILED = "failed", pgettext_lazy("a calendar entry", "Failed")
        REMOVED = "removed", pgettext_lazy("a calendar entry", "Removed")

    # No database constraint and no cascade: the row must outlive its event, because the task
    # that removes a deleted event from Google reads the Google id from here.
    event = models.ForeignKey(
        Event,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="calendar_entries",
        verbose_name=_("event"),
    )
    event_title = models.CharField(
        _("event title"), max_length=200, blank=True, help_text=_("As last synced")
    )
    calendar = models.CharField(_("calendar"), max_length=10, choices=Calendar.choices)
    calendar_id = models.CharField(_("Google calendar id"), max_length=255, blank=True)
    google_event_id = models.CharField(_("Google event id"), max_length=64)
    body_hash = models.CharField(
        _("body hash"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of the event body last pushed"),
    )
    etag = models.CharField(_("ETag"), max_length=100, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    last_error = models.TextField(_("last error"), blank=True)
    synced_at = models.DateTimeField(_("last pushed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "calendar"], name="calendar_entry_once"),
        ]
        indexes = [models.Index(fields=["state", "calendar"], name="calendar_entry_state")]
        verbose_name = _("Google Calendar entry")
        verbose_name_plural = _("Google Calendar entries")

    def __str__(self) -> str:
        return f"{self.event_title or self.event_id} ({self.get_calendar_display()})"
