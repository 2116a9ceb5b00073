"""Writing Patreon's state into ours: the one upsert behind both the webhook and sync_patrons.

`supporters_upsert` takes parsed members (a page of the full listing, or the one member a
webhook is about) and costs a fixed number of queries whatever their number: one read of the
tiers, the supporters and their tier links, then bulk writes of only what changed. A member
whose data did not change is not written at all.

Writers run at once (the worker's deliveries, sync_patrons, a sign-in), each on its own
connection, so a member may be inserted by another writer between our read and our insert.
The insert then conflicts, the write rolls back whole, and the members are read and compared
again: the other writer's row is then an update like any other (and a webhook payload still
never overwrites a newer state). This holds on SQLite and MariaDB alike.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from patreon_sync.documents import MemberAttributes, MemberData, TierAttributes, TierData
from patreon_sync.models import Supporter, Tier

logger = logging.getLogger(__name__)

SupporterTier = Supporter.tiers.through

# Reads and writes per call when another writer keeps inserting the same rows first; each
# conflict means that writer committed, so a second try normally succeeds.
CONFLICT_ATTEMPTS = 3

# The Tier fields Patreon owns.
TIER_FIELDS = tuple(TierAttributes.model_fields)

# The Supporter fields Patreon owns, compared and written by the upsert.
MEMBER_FIELDS = ("patreon_user_id", *MemberAttributes.model_fields)


@dataclass
class UpsertResult:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # older payloads that were not applied


def _retrying_conflicts(write, *, what: str):
    """`write()`, read-compare-write in one go, again if a concurrent insert made it conflict."""
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        try:
            return write()
        except IntegrityError:
            if attempt == CONFLICT_ATTEMPTS:
                raise
            logger.info("Patreon upsert: another writer stored some %s first; reading again", what)


def tiers_upsert(*, tiers: Iterable[TierData], now: datetime, dry_run: bool = False) -> Counter:
    """Create or update tiers from resources that carry attributes; returns created/changed."""
    incoming = {tier.patreon_id: tier for tier in tiers if tier.has_attributes}
    return _retrying_conflicts(
        lambda: _tiers_upsert_once(incoming, now=now, dry_run=dry_run), what="tiers"
    )


def _tiers_upsert_once(incoming: dict[str, TierData], *, now: datetime, dry_run: bool) -> Counter:
    counts: Counter = Counter()
    existing = {t.patreon_id: t for t in Tier.objects.filter(patreon_id__in=list(incoming))}
    new, changed = [], []
    for patreon_id, data in incoming.items():
        values = {"title": data.title, "amount_cents": data.amount_cents}
        values["published"], values["url"] = data.published, data.url
        tier = existing.get(patreon_id)
        if tier is None:
            new.append(Tier(patreon_id=patreon_id, last_synced_at=now, **values))
        elif any(getattr(tier, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(tier, name, value)
            tier.last_synced_at = now
            changed.append(tier)
    counts["created"], counts["changed"] = len(new), len(changed)
    if not dry_run:
        with transaction.atomic():
            Tier.objects.bulk_create(new)
            Tier.objects.bulk_update(changed, [*TIER_FIELDS, "last_synced_at"])
    return counts


def _tier_pks(members: list[MemberData], *, now: datetime, dry_run: bool) -> dict[str, int]:
    """Tier pk per Patreon id for every tier the members reference (creating unknown ones)."""
    wanted = {tier_id for member in members for tier_id in member.tier_ids}
    if not wanted:
        return {}
    known = dict(Tier.objects.filter(patreon_id__in=wanted).values_list("patreon_id", "pk"))
    missing = wanted - known.keys()
    if missing and not dry_run:
        # A tier we have not seen yet (a webhook before the first sync): keep what we know.
        details = {t.patreon_id: t for m in members for t in m.tiers if t.patreon_id in missing}
        Tier.objects.bulk_create(
            [
                Tier(
                    patreon_id=tier_id,
                    title=details[tier_id].title if tier_id in details else "",
                    amount_cents=details[tier_id].amount_cents if tier_id in details else 0,
                    published=details[tier_id].published if tier_id in details else False,
                    url=details[tier_id].url if tier_id in details else "",
                    last_synced_at=now,
                )
                for tier_id in sorted(missing)
            ],
            ignore_conflicts=True,
        )
        known.update(Tier.objects.filter(patreon_id__in=missing).values_list("patreon_id", "pk"))
    return known


def _is_older(*, stored: Supporter, member: MemberData, received_at: datetime) -> bool:
    """Whether a webhook payload describes an older state than the one stored.

    Patreon sends no event time. Charges and pledge starts only move forward, so a payload
    whose dates are behind ours is older; otherwise the later-received state wins.
    """
    for name in ("last_charge_date", "pledge_relationship_start"):
        ours, theirs = getattr(stored, name), getattr(member, name)
        if ours is not None and theirs is not None and theirs != ours:
            return theirs < ours
    return stored.state_at is not None and received_at < stored.state_at


def supporters_upsert(
    *,
    members: list[MemberData],
    source_at: datetime,
    from_api: bool,
    now: datetime | None = None,
    dry_run: bool = False,
) -> UpsertResult:
    """Make our supporters match these members. Never deletes.

    `from_api`: the members were read from the API (the truth). Otherwise they come from a
    webhook payload received at `source_at`, which is only a hint: it never overwrites a newer
    state, and an empty tier list with a paid, active status keeps the tiers we know.
    """
    now = now or timezone.now()
    members = list({m.patreon_member_id: m for m in members}.values())
    if not members:
        return UpsertResult()
    return _retrying_conflicts(
        lambda: _supporters_upsert_once(
            members, source_at=source_at, from_api=from_api, now=now, dry_run=dry_run
        ),
        what="supporters",
    )


def _supporters_upsert_once(
    members: list[MemberData], *, source_at: datetime, from_api: bool, now: datetime, dry_run: bool
) -> UpsertResult:
    result = UpsertResult()
    tier_pk = _tier_pks(members, now=now, dry_run=dry_run)
    stored = {
        s.patreon_member_id: s
        for s in Supporter.objects.filter(
            patreon_member_id__in=[m.patreon_member_id for m in members]
        )
    }
    links: dict[int, set[int]] = {}
    for supporter_id, tier_id in SupporterTier.objects.filter(
        supporter_id__in=[s.pk for s in stored.values()]
    ).values_list("supporter_id", "tier_id"):
        links.setdefault(supporter_id, set()).add(tier_id)

    new: list[Supporter] = []
    new_links: dict[str, set[int]] = {}
    changed: list[Supporter] = []
    relinked: dict[int, set[int]] = {}
    for member in members:
        wanted_tiers = {tier_pk[t] for t in member.tier_ids if t in tier_pk}
        supporter = stored.get(member.patreon_member_id)
        values = {name: getattr(member, name) for name in MEMBER_FIELDS}
        if supporter is None:
            new.append(
                Supporter(
                    patreon_member_id=member.patreon_member_id,
                    last_synced_at=now,
                    state_at=source_at,
                    **values,
                )
            )
            new_links[member.patreon_member_id] = wanted_tiers
            result.created.append(member.patreon_member_id)
            continue
        if not from_api:
            if _is_older(stored=supporter, member=member, received_at=source_at):
                result.stale.append(member.patreon_member_id)
                continue
            paid_and_active = (
                member.patron_status != Supporter.PatronStatus.FORMER
                and member.currently_entitled_amount_cents > 0
            )
            if not member.tier_ids and paid_and_active:
                # Patreon's webhooks often omit currently_entitled_tiers.
                wanted_tiers = links.get(supporter.pk, set())
        fields_differ = any(getattr(supporter, k) != v for k, v in values.items())
        tiers_differ = wanted_tiers != links.get(supporter.pk, set())
        if not fields_differ and not tiers_differ:
            result.unchanged.append(member.patreon_member_id)
            continue
        for name, value in values.items():
            setattr(supporter, name, value)
        supporter.last_synced_at, supporter.state_at = now, source_at
        changed.append(supporter)
        if tiers_differ:
            relinked[supporter.pk] = wanted_tiers
        result.changed.append(member.patreon_member_id)

    if dry_run or not (new or changed):
        return result
    linked: dict[int, set[int]] = {}
    with transaction.atomic():
        if new:
            Supporter.objects.bulk_create(new)
            if any(supporter.pk is None for supporter in new):
                # A backend that returns no ids from a bulk insert: read them back at once.
                pk_of = dict(
                    Supporter.objects.filter(
                        patreon_member_id__in=[s.patreon_member_id for s in new]
                    ).values_list("patreon_member_id", "pk")
                )
                for supporter in new:
                    supporter.pk = pk_of[supporter.patreon_member_id]
            linked = {s.pk: new_links[s.patreon_member_id] for s in new}
        if changed:
            Supporter.objects.bulk_update(changed, [*MEMBER_FIELDS, "last_synced_at", "state_at"])
        if relinked:
            SupporterTier.objects.filter(supporter_id__in=list(relinked)).delete()
        links_to_add = [
            SupporterTier(supporter_id=supporter_pk, tier_id=tier)
            for supporter_pk, tier_pks in (*linked.items(), *relinked.items())
            for tier in tier_pks
        ]
        if links_to_add:
            SupporterTier.objects.bulk_create(links_to_add)
    return result


def supporters_lapse(
    *, member_ids: Iterable[str], now: datetime, dry_run: bool = False
) -> list[str]:
    """Mark these members former patrons with no entitlement (Patreon no longer lists them)."""
    member_ids = list(member_ids)
    if not member_ids or dry_run:
        return member_ids
    with transaction.atomic():
        for start in range(0, len(member_ids), 500):
            chunk = member_ids[start : start + 500]
            SupporterTier.objects.filter(supporter__patreon_member_id__in=chunk).delete()
            Supporter.objects.filter(patreon_member_id__in=chunk).update(
                patron_status=Supporter.PatronStatus.FORMER,
                currently_entitled_amount_cents=0,
                next_charge_date=None,
                last_synced_at=now,
                state_at=now,
            )
    return member_ids
