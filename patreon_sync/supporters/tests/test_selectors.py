"""Who is active: paid support, the free tier, the decline grace period and its edges."""

from datetime import UTC, datetime, timedelta
from itertools import count, product

import pytest

from patreon_sync.models import Supporter, Tier
from patreon_sync.supporters.selectors import (
    supporter_entitled_cents,
    supporter_for_user,
    supporter_is_active,
    supporters_active,
    tiers_with_counts,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
_ids = count()


@pytest.fixture
def tiers(db):
    return {
        "free": Tier.objects.create(patreon_id="10000001", title="Free", amount_cents=0),
        "dreamer": Tier.objects.create(patreon_id="9512023", title="Dreamer", amount_cents=300),
        "backstage": Tier.objects.create(
            patreon_id="9512103", title="Backstage", amount_cents=1000
        ),
    }


def supporter(*, status="active_patron", cents=0, tiers=(), charged=None) -> Supporter:
    row = Supporter.objects.create(
        patreon_member_id=f"m-{next(_ids)}",
        patron_status=status,
        currently_entitled_amount_cents=cents,
        last_charge_date=charged,
    )
    row.tiers.set(tiers)
    return Supporter.objects.prefetch_related("tiers").get(pk=row.pk)


def test_an_active_patron_on_a_paid_tier_is_active(tiers):
    assert supporter_is_active(supporter=supporter(tiers=[tiers["dreamer"]]), now=NOW)


def test_an_active_patron_with_a_positive_amount_and_no_tier_is_active(tiers):
    assert supporter_is_active(supporter=supporter(cents=500), now=NOW)


def test_the_free_tier_is_not_paid_support(tiers):
    assert not supporter_is_active(supporter=supporter(tiers=[tiers["free"]]), now=NOW)


def test_a_former_patron_is_not_active_whatever_the_tiers_say(tiers):
    row = supporter(status="former_patron", cents=300, tiers=[tiers["dreamer"]])
    assert not supporter_is_active(supporter=row, now=NOW)


@pytest.mark.parametrize(
    ("age", "active"),
    [
        (timedelta(days=0), True),
        (timedelta(days=7) - timedelta(seconds=1), True),
        (timedelta(days=7), False),  # the grace period has ended exactly now
        (timedelta(days=7, seconds=1), False),
    ],
)
def test_a_declined_patron_keeps_access_for_the_grace_period(tiers, age, active):
    row = supporter(status="declined_patron", cents=300, charged=NOW - age)
    assert supporter_is_active(supporter=row, now=NOW) is active
    assert supporters_active(now=NOW).filter(pk=row.pk).exists() is active


def test_the_grace_period_follows_the_setting(tiers, settings):
    settings.PATREON_DECLINE_GRACE_DAYS = 3
    row = supporter(status="declined_patron", cents=300, charged=NOW - timedelta(days=4))
    assert not supporter_is_active(supporter=row, now=NOW)


def test_a_declined_patron_without_a_charge_date_has_no_grace(tiers):
    row = supporter(status="declined_patron", cents=300, charged=None)
    assert not supporter_is_active(supporter=row, now=NOW)


def test_the_query_and_the_function_agree_on_every_combination(tiers):
    statuses = ["active_patron", "declined_patron", "former_patron", ""]
    amounts = [0, 300]
    tier_sets = [[], [tiers["free"]], [tiers["dreamer"]], [tiers["free"], tiers["backstage"]]]
    charges = [None, NOW - timedelta(days=2), NOW - timedelta(days=30)]
    rows = [
        supporter(status=s, cents=c, tiers=t, charged=d)
        for s, c, t, d in product(statuses, amounts, tier_sets, charges)
    ]
    by_function = {r.pk for r in rows if supporter_is_active(supporter=r, now=NOW)}
    by_query = set(supporters_active(now=NOW).values_list("pk", flat=True))
    assert by_function == by_query
    assert by_function  # the matrix has active supporters too


def test_entitled_cents_is_the_best_of_amount_and_tiers_and_zero_when_inactive(tiers):
    row = supporter(cents=300, tiers=[tiers["backstage"]])
    assert supporter_entitled_cents(supporter=row, now=NOW) == 1000
    lapsed = supporter(status="former_patron", cents=300, tiers=[tiers["backstage"]])
    assert supporter_entitled_cents(supporter=lapsed, now=NOW) == 0


def test_an_annual_pledge_is_compared_per_month_not_by_the_years_payment(tiers):
    # Patreon reports an annual member's entitled amount as the year's payment (36.00 for a
    # 3.00 tier): it must not unlock the 10.00 tier.
    row = supporter(cents=3600, tiers=[tiers["dreamer"]])
    Supporter.objects.filter(pk=row.pk).update(pledge_cadence=12)
    row.refresh_from_db()
    assert supporter_entitled_cents(supporter=row, now=NOW) == 300
    # A custom annual amount above every tier counts per month too.
    Supporter.objects.filter(pk=row.pk).update(currently_entitled_amount_cents=18000)
    row.refresh_from_db()
    assert supporter_entitled_cents(supporter=row, now=NOW) == 1500


def test_tier_counts_separate_entitled_from_active(tiers):
    supporter(tiers=[tiers["dreamer"]])
    supporter(status="former_patron", tiers=[tiers["dreamer"]])
    counts = {t.title: (t.supporter_count, t.active_count) for t in tiers_with_counts(now=NOW)}
    assert counts == {"Free": (0, 0), "Dreamer": (2, 1), "Backstage": (0, 0)}


def test_a_linked_user_finds_their_supporter(tiers, django_user_model):
    user = django_user_model.objects.create_user(username="luna", password="x")
    row = supporter(tiers=[tiers["dreamer"]])
    Supporter.objects.filter(pk=row.pk).update(user=user)
    assert supporter_for_user(user=user).pk == row.pk
    assert supporter_for_user(user=None) is None
