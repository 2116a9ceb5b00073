"""Facebook: the post templates staff edit, the log of every post, the last Page token checks."""

from django.conf import settings
from django.db import models

from events.models import Event

DEFAULT_TEMPLATE_KEY = "default"


class PostTemplate(models.Model):
    """The text of an announcement for one event type (or the default for the others)."""

    TEMPLATE_CHOICES = [
        (DEFAULT_TEMPLATE_KEY, "Default (types without their own template)"),
        *Event.EventType.choices,
    ]

    event_type = models.CharField(max_length=20, choices=TEMPLATE_CHOICES, unique=True)
    text = models.TextField(
        help_text="Placeholders in braces, e.g. {title}; see the list below the field."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["event_type"]
        verbose_name = "Facebook post template"

    def __str__(self) -> str:
        return f"Template: {self.get_event_type_display()}"


class FacebookPost(models.Model):
    """One announcement of one event to one target, from the staff's confirmation onwards."""

    class Target(models.TextChoices):
        PAGE = "page", "Facebook Page"
        GROUP = "group", "Facebook Group (by hand)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        POSTED = "posted", "Posted"
        FAILED = "failed", "Failed"
        NEEDS_CHECKING = "needs_checking", "Needs checking"
        PREPARED = "prepared", "Prepared (to paste)"
        POSTED_BY_HAND = "posted_by_hand", "Posted by hand"

    # Statuses meaning "this event is (or may be) on that target already": a new post needs a tick.
    ON_TARGET = (
        Status.QUEUED,
        Status.SENDING,
        Status.POSTED,
        Status.NEEDS_CHECKING,
        Status.PREPARED,
        Status.POSTED_BY_HAND,
    )

    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="facebook_posts"
    )
    event_title = models.CharField(max_length=200, help_text="The title when it was announced")
    target = models.CharField(max_length=10, choices=Target.choices)
    message = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    with_photo = models.BooleanField(default=False, help_text="Posted with the event's poster")
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    remote_id = models.CharField("Facebook post id", max_length=100, blank=True)
    permalink = models.URLField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Publishing runs so far")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_subcode = models.IntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    fbtrace_id = models.CharField(max_length=100, blank=True)
    # One per confirmation form: a resubmitted form (double click, back + resend) is refused.
    request_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["event", "target", "status"], name="fbpost_event_target")]
        permissions = [("announce_on_facebook", "Can announce on Facebook")]
        verbose_name = "Facebook post"

    def __str__(self) -> str:
        return f"{self.get_target_display()}: {self.event_title} ({self.get_status_display()})"

    @property
    def error_summary(self) -> str:
        # Graph errors are stored as "Graph API error <code>/<subcode>: <message> — <advice>".
        if self.error_message:
            return self.error_message
        return f"Graph API error {self.error_code}" if self.error_code is not None else ""


class TokenCheck(models.Model):
    """The result of one on-demand check of the Page token (kept so status pages stay cheap)."""

    checked_at = models.DateTimeField(auto_now_add=True, db_index=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ok = models.BooleanField(help_text="The token works for posting to the configured Page")
    method = models.CharField(max_length=20, help_text="debug_token, or page lookup without app")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires")
    data_access_expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.TextField(blank=True)
    summary = models.TextField(help_text="What was found, in plain words, and what to do")

    class Meta:
        ordering = ["-checked_at", "-pk"]
        get_latest_by = "checked_at"
        verbose_name = "Facebook token check"

    def __str__(self) -> str:
        return f"Token check {self.checked_at:%Y-%m-%d %H:%M}: {'OK' if self.ok else 'problem'}"
