"""What the integrations share: the log of every external call.

Each integration keeps its own state rows in its own app so that
integrations never import each other.
"""

from django.conf import settings
from django.db import models


class IntegrationLog(models.Model):
    class Outcome(models.TextChoices):
        OK = "ok", "OK"
        RETRIED = "retried", "Failed, retried"
        FAILED = "failed", "Failed"
        UNKNOWN = "unknown", "Outcome unknown"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    service = models.CharField(max_length=30)
    operation = models.CharField(max_length=60)
    method = models.CharField(max_length=10, blank=True)
    target = models.CharField(max_length=500, blank=True, help_text="URL, secrets redacted")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # Each serves a list filter (or the integrations page) in the list's newest-first order.
        indexes = [
            models.Index(fields=["service", "outcome", "created_at"], name="log_service"),
            models.Index(fields=["service", "created_at"], name="log_service_time"),
            models.Index(fields=["outcome", "created_at"], name="log_outcome_time"),
        ]
        verbose_name = "external call"
        verbose_name_plural = "external calls"

    def __str__(self) -> str:
        return f"{self.service} {self.operation} {self.outcome}"


class ActionOutcome(models.Model):
    """The last answer of each integrations-page button (test the connection, is our webhook
    paused, ...), so the page shows what was last found out instead of a message that is gone
    on the next page load. Some facts (a paused webhook) are only known by asking."""

    service = models.CharField(max_length=30)
    action = models.CharField(max_length=30)
    succeeded = models.BooleanField()
    message = models.TextField()
    done_at = models.DateTimeField()
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "action"], name="one_outcome_per_button")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.action}: {self.message[:60]}"
