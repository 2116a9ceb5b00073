"""Who may open what: tier gates over the one "who is active" rule.

Access is computed on every request from the stored supporter (no cache), so a supporter whose
support lapses (webhook or sync) loses access on their next request, and a declined payment
keeps it for PATREON_DECLINE_GRACE_DAYS, as `selectors.supporter_is_active` says. Higher tiers
unlock lower ones by amount: a gate compares the supporter's entitled cents with the tier's
price. Staff open everything.

Other views require a tier with `@require_tier(patreon_tier_id="…")` (or `amount_cents=…`),
or with `TierRequiredMixin` on a class-based view; the visitor who may not gets the friendly
403 page that says what would unlock it.
"""

import enum
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from patreon_sync.models import Supporter, Tier
from patreon_sync.supporters.selectors import supporter_entitled_cents, supporter_for_user


class Verdict(enum.Enum):
    STAFF = "staff"
    ENTITLED = "entitled"
    ANONYMOUS = "anonymous"  # sign in with Patreon
    NOT_LINKED = "not_linked"  # signed in, no Patreon account linked
    NOT_ACTIVE = "not_active"  # linked, but not paying support now (former, free, lapsed)
    LOWER_TIER = "lower_tier"  # active, at a tier that costs less


@dataclass(frozen=True)
class Viewer:
    """What a gate needs to know about the visitor, read once per request."""

    is_authenticated: bool
    is_staff: bool
    supporter: Supporter | None
    entitled_cents: int

    def verdict(self, required_cents: int) -> Verdict:
        if self.is_staff:
            return Verdict.STAFF
        if not self.is_authenticated:
            return Verdict.ANONYMOUS
        if self.supporter is None:
            return Verdict.NOT_LINKED
        if self.entitled_cents <= 0:
            return Verdict.NOT_ACTIVE
        if self.entitled_cents < required_cents:
            return Verdict.LOWER_TIER
        return Verdict.ENTITLED

    def may_open(self, required_cents: int) -> bool:
        return self.verdict(required_cents) in (Verdict.STAFF, Verdict.ENTITLED)


def viewer_for(user, *, now: datetime | None = None) -> Viewer:
    now = now or timezone.now()
    authenticated = bool(getattr(user, "is_authenticated", False))
    supporter = supporter_for_user(user=user) if authenticated else None
    cents = supporter_entitled_cents(supporter=supporter, now=now) if supporter else 0
    return Viewer(
        is_authenticated=authenticated,
        is_staff=authenticated and bool(user.is_active and user.is_staff),
        supporter=supporter,
        entitled_cents=cents,
    )


def pledge_url(tier: Tier) -> str:
    """Patreon's checkout for this tier: the tier's own `url` as the sync read it, else the
    `/bePatron?c=…&rid=…` form (which needs PATREON_CAMPAIGN_ID), else "" (the page then names
    the tier without a link)."""
    if tier.url:
        return urljoin(f"{settings.PATREON_API_URL}/", tier.url)
    if not settings.PATREON_CAMPAIGN_ID or not tier.patreon_id:
        return ""
    query = urlencode({"c": settings.PATREON_CAMPAIGN_ID, "rid": tier.patreon_id})
    return f"{settings.PATREON_API_URL}/bePatron?{query}"


def locked_response(request, *, viewer: Viewer, tier: Tier, what: str):
    """The friendly 403: what would unlock `what`, and how to get it."""
    verdict = viewer.verdict(tier.amount_cents)
    context = {
        "what": what,
        "tier": tier,
        "verdict": verdict.value,
        "viewer": viewer,
        "pledge_url": pledge_url(tier),
        "signin_query": urlencode({"next": request.get_full_path()}),
    }
    return render(request, "patreon_sync/locked.html", context, status=403)


def _tier_for(*, patreon_tier_id: str | None, amount_cents: int | None) -> Tier:
    if patreon_tier_id:
        tier = Tier.objects.filter(patreon_id=patreon_tier_id).first()
        if tier is None:
            # Not synced yet: gate at an unreachable price rather than open the page.
            return Tier(patreon_id=patreon_tier_id, title="a tier", amount_cents=2**31 - 1)
        return tier
    # A price gate: the cheapest tier at that price or above names it for the visitor.
    tier = Tier.objects.filter(amount_cents__gte=amount_cents).order_by("amount_cents").first()
    return tier or Tier(patreon_id="", title="", amount_cents=amount_cents)


def require_tier(*, patreon_tier_id: str | None = None, amount_cents: int | None = None):
    """View decorator: only supporters entitled to this tier (or price), and staff, get in."""
    if bool(patreon_tier_id) == (amount_cents is not None):
        raise ImproperlyConfigured("require_tier needs patreon_tier_id or amount_cents, not both")
    if amount_cents is not None and amount_cents <= 0:
        raise ImproperlyConfigured("require_tier(amount_cents=…) must be a positive price")

    def decorator(view):
        @wraps(view)
        def gated(request, *args, **kwargs):
            tier = _tier_for(patreon_tier_id=patreon_tier_id, amount_cents=amount_cents)
            viewer = viewer_for(request.user)
            if not viewer.may_open(tier.amount_cents):
                return locked_response(request, viewer=viewer, tier=tier, what="This page")
            request.patreon_viewer = viewer
            return view(request, *args, **kwargs)

        return gated

    return decorator


class TierRequiredMixin:
    """Class-based views: set `required_patreon_tier_id` or `required_amount_cents`."""

    required_patreon_tier_id: str | None = None
    required_amount_cents: int | None = None

    def dispatch(self, request, *args, **kwargs):
        gate = require_tier(
            patreon_tier_id=self.required_patreon_tier_id,
            amount_cents=self.required_amount_cents,
        )
        return gate(super().dispatch)(request, *args, **kwargs)
