"""Patreon in the admin: supporters, tiers, webhook deliveries, sync runs, token health.

Patreon is the truth for supporters and tiers, so their Patreon fields are read-only here;
staff may only link a supporter to a site account. Exclusive content is ours: staff write it.
"""

import json

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin import ValidChoicesAutocompleteSelect
from integrations.admin_search import SearchReadsTheTableOnce
from patreon_sync.documents import PayloadError, load_document
from patreon_sync.models import (
    CreatorToken,
    ExclusiveContent,
    Supporter,
    SyncRun,
    Tier,
    WebhookDelivery,
    cents_text,
)
from patreon_sync.supporters.selectors import (
    active_condition,
    supporter_is_active,
    tiers_with_counts,
)
from patreon_sync.supporters.services import MEMBER_FIELDS
from patreon_sync.supporters.webhooks import MEMBER_TRIGGERS, reprocess


class ActiveFilter(admin.SimpleListFilter):
    title = _("supports now")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Active (paid, or declined within the grace period)")),
            ("no", _("Not active")),
        ]

    def queryset(self, request, queryset):
        condition = active_condition(now=timezone.now())
        if self.value() == "yes":
            return queryset.filter(condition)
        if self.value() == "no":
            return queryset.exclude(condition)
        return queryset


class TierFilter(admin.SimpleListFilter):
    """Supporters of one tier, checked per supporter with EXISTS: a join lets MariaDB start
    from the tier's side and read every link of it before the page's 100 rows."""

    title = _("tier")
    parameter_name = "tiers__id__exact"  # as Django's own filter named it

    def lookups(self, request, model_admin):
        return [(str(tier.pk), str(tier)) for tier in Tier.objects.order_by("amount_cents", "pk")]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        links = Supporter.tiers.through.objects.filter(
            supporter=OuterRef("pk"), tier_id=int(self.value())
        )
        return queryset.filter(Exists(links))


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "email",
        "patron_status",
        "active",
        "entitled",
        "tier_titles",
        "last_charge_status",
        "last_charge_date",
        "next_charge_date",
        "last_synced_at",
    ]
    list_filter = [
        ActiveFilter,
        "patron_status",
        TierFilter,
        "last_charge_status",  # its choices, not a DISTINCT over every supporter
        "is_free_trial",
    ]
    # Names and emails by any part; Patreon's ids whole, as they are pasted.
    search_fields = [
        "full_name__caseless",
        "email__caseless",
        "=patreon_member_id",
        "=patreon_user_id",
    ]
    list_per_page = 100
    show_full_result_count = False
    autocomplete_fields = ["user"]
    readonly_fields = [
        "patreon_member_id",
        *MEMBER_FIELDS,
        "tier_titles",
        "first_seen_at",
        "last_synced_at",
        "state_at",
    ]
    fields = ["user", *readonly_fields]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tiers")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Whoever holds the Patreon account signs in as the linked account, so only a superuser
        # may link one that opens the admin (else any staff could become a superuser).
        if db_field.name == "user" and not request.user.is_superuser:
            users = get_user_model().objects.filter(is_staff=False, is_superuser=False)
            kwargs["queryset"] = users
        if db_field.name == "user":  # a malformed posted id is a form error, not a failed page
            widget = ValidChoicesAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            kwargs.setdefault("widget", widget)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        linked = obj.user if obj is not None else None
        if linked and (linked.is_staff or linked.is_superuser) and not request.user.is_superuser:
            return ["user", *fields]  # shown as it is, not emptied by a form that cannot offer it
        return fields

    def has_add_permission(self, request):
        return False  # supporters come from Patreon

    def has_delete_permission(self, request, obj=None):
        return False  # lapsed is a state; history stays

    @admin.display(boolean=True, description=_("active"))
    def active(self, supporter: Supporter) -> bool:
        return supporter_is_active(supporter=supporter, now=timezone.now())

    @admin.display(description=_("entitled"), ordering="currently_entitled_amount_cents")
    def entitled(self, supporter: Supporter) -> str:
        return cents_text(supporter.currently_entitled_amount_cents)

    @admin.display(description=_("tiers"))
    def tier_titles(self, supporter: Supporter) -> str:
        return ", ".join(tier.title or tier.patreon_id for tier in supporter.tiers.all()) or "—"


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["title", "price", "published", "supporter_count", "active_count", "patreon_id"]
    list_filter = ["published"]
    search_fields = ["title", "patreon_id"]
    readonly_fields = [
        "patreon_id",
        "title",
        "amount_cents",
        "published",
        "url",
        "first_seen_at",
        "last_synced_at",
    ]

    def get_queryset(self, request):
        return tiers_with_counts(now=timezone.now())

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("price"), ordering="amount_cents")
    def price(self, tier: Tier) -> str:
        return cents_text(tier.amount_cents)

    @admin.display(description=_("entitled supporters"), ordering="supporter_count")
    def supporter_count(self, tier: Tier) -> int:
        return tier.supporter_count

    @admin.display(description=_("active supporters"), ordering="active_count")
    def active_count(self, tier: Tier) -> int:
        return tier.active_count


class TriggerFilter(admin.SimpleListFilter):
    """The triggers we handle, plus the rest: known from the code, not read from every row."""

    title = _("trigger")
    parameter_name = "event"
    OTHER = "other"

    def lookups(self, request, model_admin):
        others = (self.OTHER, _("other triggers"))
        return [*((trigger, trigger) for trigger in sorted(MEMBER_TRIGGERS)), others]

    def queryset(self, request, queryset):
        if self.value() == self.OTHER:
            return queryset.exclude(event__in=MEMBER_TRIGGERS)
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(SearchReadsTheTableOnce, admin.ModelAdmin):
    list_display = ["received_at", "event", "status", "member_id", "attempts", "short_error"]
    # Days, weeks and months through the date filter's ranges (indexed): a date drill-down
    # would compute its months over every delivery kept.
    list_filter = ["status", TriggerFilter, "received_at"]
    # A member's id whole, as it is pasted from their supporter page; errors by any words.
    search_fields = ["=member_id", "error__caseless"]
    list_per_page = 100
    show_full_result_count = False
    actions = ["reprocess_deliveries"]
    fields = [
        "received_at",
        "event",
        "status",
        "member_id",
        "attempts",
        "processed_at",
        "error",
        "pretty_body",
        "fingerprint",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("error"))
    def short_error(self, delivery: WebhookDelivery) -> str:
        return Truncator(delivery.error).chars(80)

    @admin.display(description=_("body"))
    def pretty_body(self, delivery: WebhookDelivery) -> str:
        raw = bytes(delivery.body)
        try:
            document = json.dumps(load_document(raw), indent=2, ensure_ascii=False)
            # A JSON escape may name a lone surrogate, which no page can be encoded with.
            text = document.encode("utf-8", errors="replace").decode("utf-8")
        except PayloadError:  # not JSON, or nested too deeply to re-indent: shown as received
            text = raw.decode("utf-8", errors="replace")
        return format_html('<pre class="raw-document">{}</pre>', text)

    def has_reprocess_permission(self, request) -> bool:
        # Deliveries are never edited by hand, but reprocessing writes: it needs "change".
        return request.user.has_perm("patreon_sync.change_webhookdelivery")

    @admin.action(
        description=_("Reprocess selected deliveries (failed or waiting)"),
        permissions=["reprocess"],
    )
    def reprocess_deliveries(self, request, queryset):
        count = reprocess(deliveries=queryset.order_by("received_at", "pk"))
        failed = queryset.filter(status=WebhookDelivery.Status.FAILED).count()
        level = messages.WARNING if failed else messages.SUCCESS
        skipped = queryset.count() - count
        reprocessed = ngettext(
            "Reprocessed %(count)s delivery; %(failed)s still failed.",
            "Reprocessed %(count)s deliveries; %(failed)s still failed.",
            count,
        ) % {"count": count, "failed": failed}
        sentences = [reprocessed]
        if skipped:
            sentences.append(
                ngettext(
                    "%(count)s delivery was already done and left alone.",
                    "%(count)s deliveries were already done and left alone.",
                    skipped,
                )
                % {"count": skipped}
            )
        self.message_user(request, " ".join(sentences), level)


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "complete",
        "pages",
        "members",
        "created",
        "changed",
        "unchanged",
        "lapsed",
        "short_error",
    ]
    list_filter = ["complete"]
    readonly_fields = [f.name for f in SyncRun._meta.fields if f.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("error"))
    def short_error(self, run: SyncRun) -> str:
        return Truncator(run.error).chars(80)


@admin.register(CreatorToken)
class CreatorTokenAdmin(admin.ModelAdmin):
    """Token health only: the token values themselves are never shown."""

    list_display = ["__str__", "expires_at", "refreshed_at", "last_refresh_ok", "broken"]
    fields = ["expires_at", "refreshed_at", "last_refresh_ok", "last_refresh_error", "broken"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExclusiveContent)
class ExclusiveContentAdmin(admin.ModelAdmin):
    list_display = ["title", "required_tier", "price", "published", "has_file", "updated_at"]
    list_filter = ["published", "required_tier"]
    list_editable = ["published"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["required_tier"]
    fields = [
        "title",
        "slug",
        "required_tier",
        "published",
        "summary",
        "body",
        "link",
        "file",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("price"), ordering="required_tier__amount_cents")
    def price(self, content: ExclusiveContent) -> str:
        return cents_text(content.required_tier.amount_cents)

    @admin.display(boolean=True, description=_("file"))
    def has_file(self, content: ExclusiveContent) -> bool:
        return bool(content.file)
