"""Facebook: the post templates staff edit, the log of every post, the last Page token checks."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from events.models import Event, default_time_zone, time_zone_or_none, validate_time_zone
from events.when import in_current_zone
from integrations.in_words import in_words

DEFAULT_TEMPLATE_KEY = "default"


class PostTemplate(models.Model):
    """The text of an announcement for one event type (or the default for the others)."""

    TEMPLATE_CHOICES = [
        (DEFAULT_TEMPLATE_KEY, _("Default (types without their own template)")),
        *Event.EventType.choices,
    ]

    event_type = models.CharField(
        _("event type"), max_length=20, choices=TEMPLATE_CHOICES, unique=True
    )
    text = models.TextField(
        _("text"),
        help_text=_("Placeholders in braces, e.g. {title}; see the list below the field."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["event_type"]
        verbose_name = _("Facebook post template")
        verbose_name_plural = _("Facebook post templates")

    def __str__(self) -> str:
        return gettext("Template: %(type)s") % {"type": self.get_event_type_display()}


class FacebookPost(models.Model):
    """One announcement of one event to one target, from the staff's confirmation onwards."""

    class Target(models.TextChoices):
        PAGE = "page", _("Facebook Page")
        GROUP = "group", _("Facebook Group (by hand)")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("a Facebook post", "Queued")
        SENDING = "sending", pgettext_lazy("a Facebook post", "Sending")
        POSTED = "posted", pgettext_lazy("a Facebook post", "Posted")
        FAILED = "failed", pgettext_lazy("a Facebook post", "Failed")
        NEEDS_CHECKING = "needs_checking", pgettext_lazy("a Facebook post", "Needs checking")
        PREPARED = "prepared", pgettext_lazy("a Facebook post", "Prepared (to paste)")
        POSTED_BY_HAND = "posted_by_hand", pgettext_lazy("a Facebook post", "Posted by hand")
        # A post on a schedule waits as SCHEDULED until `scheduled_for`, then goes QUEUED (and on
        # as any Page post), or ends CANCELLED, HELD (needs approving again) or MISSED.
        SCHEDULED = "scheduled", pgettext_lazy("a Facebook post", "Scheduled")
        CANCELLED = "cancelled", pgettext_lazy("a Facebook post", "Cancelled")
        HELD = "held", pgettext_lazy("a Facebook post", "Needs approving again")
        MISSED = "missed", pgettext_lazy("a Facebook post", "Missed")

    # Statuses meaning "this event is (or may be) on that target already": a new post needs a tick.
    ON_TARGET = (
        Status.QUEUED,
        Status.SENDING,
        Status.POSTED,
        Status.NEEDS_CHECKING,
        Status.PREPARED,
        Status.POSTED_BY_HAND,
    )
    # A scheduled moment that is taken: approving the same moment again creates nothing.
    MOMENT_TAKEN = (
        Status.SCHEDULED,
        Status.HELD,
        Status.QUEUED,
        Status.SENDING,
        Status.POSTED,
        Status.NEEDS_CHECKING,
    )

    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facebook_posts",
        verbose_name=_("event"),
    )
    event_title = models.CharField(
        _("event title"), max_length=200, help_text=_("The title when it was announced")
    )
    target = models.CharField(_("target"), max_length=10, choices=Target.choices)
    message = models.TextField(_("message"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    with_photo = models.BooleanField(
        _("with photo"), default=False, help_text=_("Posted with the event's poster")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    remote_id = models.CharField(_("Facebook post id"), max_length=100, blank=True)
    permalink = models.URLField(_("permalink"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("Publishing runs so far")
    )
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    error_code = models.IntegerField(_("error code"), null=True, blank=True)
    error_subcode = models.IntegerField(_("error subcode"), null=True, blank=True)
    error_message = models.TextField(_("error message"), blank=True)
    fbtrace_id = models.CharField(_("Facebook trace id"), max_length=100, blank=True)
    # One per confirmation form: a resubmitted form (double click, back + resend) is refused.
    request_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    scheduled_for = models.DateTimeField(
        _("scheduled for"), null=True, blank=True, help_text=_("Empty: posted when confirmed")
    )
    moment = models.CharField(
        _("moment"), max_length=200, blank=True, help_text=_("The plan's moment, in words")
    )
    # Which template the text was composed from ("" = the event type's own), to re-compose it.
    template_key = models.CharField(max_length=20, blank=True)
    plan_moment = models.ForeignKey(
        "AnnouncementMoment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["event", "target", "status"], name="fbpost_event_target"),
            models.Index(fields=["status", "scheduled_for"], name="fbpost_status_scheduled"),
        ]
        permissions = [("announce_on_facebook", _("Can announce on Facebook"))]
        verbose_name = _("Facebook post")
        verbose_name_plural = _("Facebook posts")

    def __str__(self) -> str:
        return f"{self.get_target_display()}: {self.event_title} ({self.get_status_display()})"

    @property
    def moment_in_words(self) -> str:
        """The plan's moment in the reader's language. It is recorded in English when the plan
        is approved; while its plan still says the same, the plan says it again (it has the
        plural forms a recorded text cannot be read back with). Load `plan_moment` with it."""
        plan = self.plan_moment
        if plan is not None:
            with translation.override("en"):
                same = plan.describe() == self.moment
            if same:
                return plan.describe()
        return self.moment

    @property
    def error_summary(self) -> str:
        """The recorded error (English) in the reader's language."""
        # Graph errors are stored as "Graph API error <code>/<subcode>: <message> — <advice>".
        if self.error_message:
            return in_words(self.error_message)
        if self.error_code is None:
            return ""
        return gettext("Graph API error %(code)s") % {"code": self.error_code}


class TokenCheck(models.Model):
    """The result of one on-demand check of the Page token (kept so status pages stay cheap)."""

    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True, db_index=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    ok = models.BooleanField(
        _("ok"), help_text=_("The token works for posting to the configured Page")
    )
    method = models.CharField(
        _("method"), max_length=20, help_text=_("debug_token, or page lookup without app")
    )
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: never expires")
    )
    data_access_expires_at = models.DateTimeField(
        _("data access expires at"), null=True, blank=True
    )
    scopes = models.TextField(_("scopes"), blank=True)
    summary = models.TextField(
        _("summary"), help_text=_("What was found, in plain words, and what to do")
    )

    class Meta:
        ordering = ["-checked_at", "-pk"]
        get_latest_by = "checked_at"
        verbose_name = _("Facebook token check")
        verbose_name_plural = _("Facebook token checks")

    def __str__(self) -> str:
        if self.ok:
            verdict = pgettext("a token check", "OK")
        else:
            verdict = pgettext("a token check", "problem")
        checked = self.checked_at
        when = in_current_zone(checked) if checked else "—"
        return gettext("Token check %(when)s: %(verdict)s") % {"when": when, "verdict": verdict}


class AnnouncementMoment(models.Model):
    """One moment of an event type's announcement plan, relative to the event's start.

    Either "N days before, at HH:MM in a zone" (0 days: on the day) or "N minutes before the
    start"; each with the post template to use (empty: the event type's own).
    """

    class Kind(models.TextChoices):
        DAYS_BEFORE = "days_before", _("days before, at a time of day")
        MINUTES_BEFORE = "minutes_before", _("minutes before the start")

    event_type = models.CharField(_("event type"), max_length=20, choices=Event.EventType.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    days_before = models.PositiveSmallIntegerField(
        _("days before"),
        default=0,
        validators=[MaxValueValidator(60)],
        help_text=_("0: on the day of the event"),
    )
    at_time = models.TimeField(_("at"), null=True, blank=True, help_text=_("e.g. 19:00"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("IANA name of the zone of the time of day, e.g. Europe/Rome"),
    )
    minutes_before = models.PositiveSmallIntegerField(
        _("minutes before"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    template_key = models.CharField(
        _("post template"),
        max_length=20,
        blank=True,
        choices=PostTemplate.TEMPLATE_CHOICES,
        help_text=_("Empty: the event type's own template"),
    )

    class Meta:
        ordering = ["event_type", "order", "pk"]
        verbose_name = _("announcement plan moment")
        verbose_name_plural = _("announcement plans")

    def __str__(self) -> str:
        return f"{self.get_event_type_display()}: {self.describe()}"

    def clean(self) -> None:
        if self.kind == self.Kind.DAYS_BEFORE and self.at_time is None:
            raise ValidationError({"at_time": gettext("Say at what time of day.")})
        if self.kind == self.Kind.MINUTES_BEFORE and not self.minutes_before:
            raise ValidationError({"minutes_before": gettext("Say how many minutes before.")})

    def describe(self) -> str:
        if self.kind == self.Kind.MINUTES_BEFORE:
            return gettext("%(minutes)s minutes before the start") % {
                "minutes": self.minutes_before
            }
        at = f"{self.at_time:%H:%M}" if self.at_time else "?"
        if self.days_before == 0:
            return gettext("on the day at %(time)s %(zone)s") % {
                "time": at,
                "zone": self.time_zone,
            }
        text = ngettext(
            "%(days)d day before at %(time)s %(zone)s",
            "%(days)d days before at %(time)s %(zone)s",
            self.days_before,
        )
        return text % {
            "days": self.days_before,
            "time": at,
            "zone": self.time_zone,
        }

    def time_for(self, event: Event) -> datetime:
        """The moment for `event`, as an aware datetime (UTC)."""
        if self.kind == self.Kind.MINUTES_BEFORE:
            return event.start_time - timedelta(minutes=self.minutes_before or 0)
        zone = time_zone_or_none(self.time_zone) or ZoneInfo(settings.TIME_ZONE)
        day = event.start_time.astimezone(zone).date() - timedelta(days=self.days_before)
        local = datetime.combine(day, self.at_time or time(12, 0)).replace(tzinfo=zone)
        return local.astimezone(ZoneInfo("UTC"))
