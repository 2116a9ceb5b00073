"""What the integrations share: the log of every external call.

Each integration keeps its own state rows in its own app so that
integrations never import each other.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IntegrationLog(models.Model):
    class Outcome(models.TextChoices):
        OK = "ok", _("OK")
        RETRIED = "retried", _("Failed, retried")
        FAILED = "failed", pgettext_lazy("call outcome", "Failed")
        UNKNOWN = "unknown", _("Outcome unknown")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    service = models.CharField(_("service"), max_length=30)
    operation = models.CharField(_("operation"), max_length=60)
    method = models.CharField(_("method"), max_length=10, blank=True)
    target = models.CharField(
        _("target"), max_length=500, blank=True, help_text=_("URL, secrets redacted")
    )
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration ms"), default=0)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # Each serves a list filter (or the integrations page) in the list's newest-first order.
        indexes = [
            models.Index(fields=["service", "outcome", "created_at"], name="log_service"),
            models.Index(fields=["service", "created_at"], name="log_service_time"),
            models.Index(fields=["outcome", "created_at"], name="log_outcome_time"),
        ]
        verbose_name = _("external call")
        verbose_name_plural = _("external calls")

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


class NoticeState(models.Model):
    """What staff were last told about one integration, and what it is doing now.

    One row per integration (its call-log `service`): a notice goes out when the observed state
    differs from the notified one, at most once per STAFF_NOTICE_INTERVAL_MINUTES.
    """

    service = models.CharField(max_length=30, unique=True)
    observed = models.CharField(max_length=64, help_text="fingerprint of the state now")
    observed_since = models.DateTimeField()
    observed_bad = models.BooleanField(default=False)
    notified = models.CharField(max_length=64, blank=True, help_text="state staff were told of")
    notified_bad = models.BooleanField(default=False)
    notified_at = models.DateTimeField(null=True, blank=True)
    # Changes seen since the last notice: more than one is a flapping service, summarised.
    changes_since_notice = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("staff notice state")

    def __str__(self) -> str:
        return f"{self.service}: {'needs attention' if self.observed_bad else 'fine'}"


class NoticeDigest(models.Model):
    """One row per venue day whose daily digest was considered (sent or not needed)."""

    day = models.DateField(unique=True)
    sent = models.BooleanField(default=False)
    done_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.day}: {'sent' if self.sent else 'nothing to tell'}"


class StaffNoticePreference(models.Model):
    """A staff account's wish to hear about integration problems, and in which language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    integration_problems = models.BooleanField(
        _("Tell me about integration problems"),
        default=False,
        help_text=_(
            "An e-mail when an integration starts failing or needs attention, and when it "
            "works again."
        ),
    )
    daily_digest = models.BooleanField(
        _("Send me a daily digest"),
        default=False,
        help_text=_("One e-mail a day listing what needs attention, only when something does."),
    )
    language = models.CharField(
        _("Language of the notices"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the language you use the admin in when you save this form."),
    )

    class Meta:
        verbose_name = _("integration notices")
        verbose_name_plural = _("integration notices")

    def __str__(self) -> str:
        return str(self.user)
