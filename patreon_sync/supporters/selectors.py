"""Who supports the venue: the one rule, for one supporter or as a query over all of them.

A supporter is active when:
- `patron_status` is `active_patron` and they are entitled to paid support: a tier that costs
  money or a positive `currently_entitled_amount_cents` (the 0-cent free tier is membership,
  not support); or
- `patron_status` is `declined_patron`, entitled as above, and their declined charge
  (`last_charge_date`) is less than PATREON_DECLINE_GRACE_DAYS old: Patreon retries the card
  for a while, and a supporter should not lose access the minute a payment bounces.

`supporter_is_active` and `supporters_active` are the same rule (a test holds them together);
issue 7's access checks use `supporter_entitled_cents`.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from patreon_sync.models import Supporter, Tier

ACTIVE = Supporter.PatronStatus.ACTIVE
DECLINED = Supporter.PatronStatus.DECLINED


def grace_period() -> timedelta:
    return timedelta(days=max(0, settings.PATREON_DECLINE_GRACE_DAYS))


def _paid_tier_cents(supporter: Supporter) -> int:
    # Uses prefetched tiers when the caller prefetched them.
    return max((tier.amount_cents for tier in supporter.tiers.all()), default=0)


def supporter_is_active(*, supporter: Supporter, now: datetime) -> bool:
    """Whether this supporter counts as paying support right now."""
    paid = supporter.currently_entitled_amount_cents > 0 or _paid_tier_cents(supporter) > 0
    if not paid:
        return False
    if supporter.patron_status == ACTIVE:
        return True
    if supporter.patron_status == DECLINED and supporter.last_charge_date is not None:
        return now < supporter.last_charge_date + grace_period()
    return False


def monthly_entitled_cents(supporter: Supporter) -> int:
    """Patreon's entitled amount per month.

    For an annual pledge (`pledge_cadence` 12) `currently_entitled_amount_cents` is the whole
    year's payment, which would otherwise unlock tiers twelve times dearer.
    """
    cadence = supporter.pledge_cadence if (supporter.pledge_cadence or 0) > 1 else 1
    return -(-supporter.currently_entitled_amount_cents // cadence)  # rounded up: paid stays > 0


def supporter_entitled_cents(*, supporter: Supporter, now: datetime) -> int:
    """What the supporter is entitled to per month, in cents (0 when not active): the tier
    gate, compared with tiers' monthly prices."""
    if not supporter_is_active(supporter=supporter, now=now):
        return 0
    return max(monthly_entitled_cents(supporter), _paid_tier_cents(supporter))


def active_condition(*, now: datetime) -> Q:
    """The rule as a filter on Supporter."""
    paid_tier = Tier.objects.filter(supporters=OuterRef("pk"), amount_cents__gt=0)
    paid = Q(currently_entitled_amount_cents__gt=0) | Q(Exists(paid_tier))
    in_grace = Q(
        patron_status=DECLINED,
        last_charge_date__isnull=False,
        last_charge_date__gt=now - grace_period(),
    )
    return paid & (Q(patron_status=ACTIVE) | in_grace)


def supporters_active(*, now: datetime) -> QuerySet[Supporter]:
    return Supporter.objects.filter(active_condition(now=now))


def supporter_for_user(*, user) -> Supporter | None:
    """The supporter linked to a site account, tiers prefetched (for issue 7's checks)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Supporter.objects.prefetch_related("tiers").filter(user=user).first()


def tiers_with_counts(*, now: datetime) -> QuerySet[Tier]:
    """Tiers with `supporter_count` (entitled rows) and `active_count` (active supporters)."""
    return Tier.objects.annotate(
        supporter_count=Count("supporters", distinct=True),
        active_count=Count(
            "supporters",
            filter=Q(supporters__in=supporters_active(now=now).values("pk")),
            distinct=True,
        ),
    )
