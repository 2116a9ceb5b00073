"""Patreon supporters, tiers, the creator token, the webhook deliveries we received, and the
exclusive content that supporters' tiers unlock.

Field names mirror Patreon's API v2 where it has one, so staff, scripts and Patreon's docs
speak the same words. No supporter is ever deleted: a lapsed supporter is a `former_patron`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def cents_text(amount_cents: int) -> str:
    """3000 -> "30.00": Patreon's amounts are in cents of the campaign's currency.

    No currency is named: API v2 gives none for a tier or the campaign (only a pledge event's
    currency_code, which is the patron's), so guessing one could show the wrong price.
    """
    return f"{amount_cents / 100:.2f}"


class Tier(models.Model):
    patreon_id = models.CharField(_("Patreon tier id"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    amount_cents = models.PositiveIntegerField(
        _("amount cents"), default=0, help_text=_("Monthly price in cents")
    )
    published = models.BooleanField(_("published"), default=False)
    url = models.CharField(
        _("checkout URL"),
        max_length=500,
        blank=True,
        help_text=_("Patreon's page to join this tier (the tier's `url`, possibly relative)"),
    )
    first_seen_at = models.DateTimeField(_("first seen at"), auto_now_add=True)
    last_synced_at = models.DateTimeField(_("last synced at"), null=True, blank=True)

    class Meta:
        ordering = ["amount_cents", "title"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")

    def __str__(self) -> str:
        return f"{self.title or self.patreon_id} ({cents_text(self.amount_cents)})"

    @property
    def is_paid(self) -> bool:
        # The 0-cent free tier is membership, not paid support.
        return self.amount_cents > 0


class Supporter(models.Model):
    class PatronStatus(models.TextChoices):
        ACTIVE = "active_patron", _("Active patron")
        DECLINED = "declined_patron", _("Declined payment")
        FORMER = "former_patron", _("Former patron")
        NONE = "", _("Never pledged (free member)")

    patreon_member_id = models.CharField(_("Patreon member id"), max_length=64, unique=True)
    patreon_user_id = models.CharField(
        _("Patreon user id"), max_length=32, blank=True, db_index=True
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    patron_status = models.CharField(
        _("patron status"), max_length=20, choices=PatronStatus.choices, blank=True, db_index=True
    )
    class ChargeStatus(models.TextChoices):
        # What Patreon documents for `last_charge_status`; a value it adds later is still stored
        # and shown as sent.
        PAID = "Paid", pgettext_lazy("Patreon charge status", "Paid")
        DECLINED = "Declined", pgettext_lazy("Patreon charge status", "Declined")
        PENDING = "Pending", pgettext_lazy("Patreon charge status", "Pending")
        REFUNDED = "Refunded", pgettext_lazy("Patreon charge status", "Refunded")
        PARTIALLY_REFUNDED = (
            "Partially Refunded",
            pgettext_lazy("Patreon charge status", "Partially Refunded"),
        )
        REFUNDED_BY_PATREON = (
            "Refunded by Patreon",
            pgettext_lazy("Patreon charge status", "Refunded by Patreon"),
        )
        FRAUD = "Fraud", pgettext_lazy("Patreon charge status", "Fraud")
        DELETED = "Deleted", pgettext_lazy("Patreon charge status", "Deleted")
        FREE_TRIAL = "Free Trial", pgettext_lazy("Patreon charge status", "Free Trial")
        OTHER = "Other", pgettext_lazy("Patreon charge status", "Other")

    last_charge_status = models.CharField(
        _("last charge status"), max_length=30, blank=True, choices=ChargeStatus.choices
    )
    last_charge_date = models.DateTimeField(_("last charge date"), null=True, blank=True)
    next_charge_date = models.DateTimeField(_("next charge date"), null=True, blank=True)
    currently_entitled_amount_cents = models.PositiveIntegerField(
        _("entitled amount (cents)"), default=0
    )
    tiers = models.ManyToManyField(
        Tier,
        blank=True,
        related_name="supporters",
        verbose_name=_("tiers"),
        help_text=_("Currently entitled tiers"),
    )
    pledge_relationship_start = models.DateTimeField(
        _("pledge relationship start"), null=True, blank=True
    )
    pledge_cadence = models.PositiveSmallIntegerField(
        _("pledge cadence"),
        null=True,
        blank=True,
        help_text=_("Months between charges (1 monthly, 12 annual)"),
    )
    is_free_trial = models.BooleanField(_("is free trial"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patreon_supporter",
        verbose_name=_("user"),
        help_text=_("The site account linked to this supporter, if any"),
    )
    first_seen_at = models.DateTimeField(_("first seen at"), auto_now_add=True)
    last_synced_at = models.DateTimeField(
        _("last synced at"),
        null=True,
        blank=True,
        help_text=_("When Patreon's data last changed this row"),
    )
    # When the state stored here was true at Patreon: the time of the API read, or the time a
    # webhook payload was received. An older payload never overwrites a newer state.
    state_at = models.DateTimeField(_("state at"), null=True, blank=True)

    class Meta:
        ordering = ["full_name", "pk"]
        # The list filtered by status reads its page in name order straight from the index.
        indexes = [
            models.Index(fields=["patron_status", "full_name", "id"], name="supporter_status_name")
        ]
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")

    def __str__(self) -> str:
        return self.full_name or self.email or self.patreon_member_id


class CreatorToken(models.Model):
    """The creator's OAuth pair, rotated by refresh; one row. Values never leave this table."""

    access_token = models.TextField(_("access token"), blank=True)
    refresh_token = models.TextField(_("refresh token"), blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # Which settings pair this row started from: new values in the environment replace it.
    seeded_from = models.CharField(max_length=64, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    last_refresh_ok = models.BooleanField(_("last refresh ok"), null=True)
    last_refresh_error = models.TextField(_("last refresh error"), blank=True)
    broken = models.BooleanField(
        _("broken"),
        default=False,
        help_text=_("Patreon refused the credentials; staff must issue new ones"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("creator token")
        verbose_name_plural = _("creator tokens")

    def __str__(self) -> str:
        return gettext("Patreon creator token")


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, not processed yet")
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Stored, trigger not used")
        TEST = "test", _("Test delivery")
        FAILED = "failed", pgettext_lazy("webhook delivery", "Failed")

    received_at = models.DateTimeField(_("received at"), db_index=True)
    event = models.CharField("X-Patreon-Event", max_length=60)
    body = models.BinaryField(
        _("body"), help_text=_("The raw body, byte for byte, as signed by Patreon")
    )
    # sha256 of event + body: a repeated identical delivery is stored and processed once.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    member_id = models.CharField(_("Patreon member id"), max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        # The list's filters in its newest-first order; the first also finds deliveries
        # waiting too long (status "received", received before some time) without a scan.
        indexes = [
            models.Index(fields=["status", "received_at"], name="delivery_status_time"),
            models.Index(fields=["event", "received_at"], name="delivery_event_time"),
        ]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} {self.received_at:%Y-%m-%d %H:%M:%S}"


class SyncRun(models.Model):
    """One `sync_patrons` run: what it changed and whether it finished."""

    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    complete = models.BooleanField(_("complete"), default=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    members = models.PositiveIntegerField(_("members"), default=0)
    created = models.PositiveIntegerField(pgettext_lazy("supporters", "created"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    lapsed = models.PositiveIntegerField(_("lapsed"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")

    def __str__(self) -> str:
        return gettext("sync run %(when)s") % {"when": f"{self.started_at:%Y-%m-%d %H:%M}"}


def exclusive_files_storage() -> FileSystemStorage:
    # Outside MEDIA_ROOT on purpose: the web server serves MEDIA_ROOT to anyone, while these
    # files are handed out only by the gated download view.
    return FileSystemStorage(location=str(settings.EXCLUSIVE_FILES_ROOT), base_url=None)


class ExclusiveContent(models.Model):
    """Something supporters unlock: a recording, backstage notes, an early line-up."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The page's address: /supporters/<slug>/"),
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("Shown to everyone, also while locked"),
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("Shown only to those who may open it")
    )
    file = models.FileField(
        _("file"),
        upload_to="%Y/%m/",
        storage=exclusive_files_storage,
        blank=True,
        help_text=_("Optional download, served only to those who may open it"),
    )
    link = models.URLField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("Optional link (an unlisted video, a folder)"),
    )
    required_tier = models.ForeignKey(
        Tier,
        on_delete=models.PROTECT,
        related_name="exclusive_content",
        limit_choices_to={"amount_cents__gt": 0},
        verbose_name=_("required tier"),
        help_text=_("Supporters of this tier or of any tier costing at least as much may open it"),
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Listed on /supporters/")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("exclusive content")
        verbose_name_plural = pgettext_lazy("plural", "exclusive content")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("patreon_sync:content", kwargs={"slug": self.slug})

    def clean(self) -> None:
        # The free tier is membership, not support (selectors' rule): it cannot gate anything.
        if self.required_tier_id and not self.required_tier.is_paid:
            raise ValidationError(
                {"required_tier": _("Choose a paid tier: the free tier is not paid support.")}
            )
