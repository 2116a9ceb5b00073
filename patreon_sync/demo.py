"""Demo rows for the Patreon screens: tiers, supporters in every state, exclusive content, a
few webhook deliveries and one sync run. Nothing is asked of Patreon: the supporters go
through the same upsert as a real sync, fed with members as the API would describe them.
"""

import json
from datetime import date, timedelta

from django.utils import timezone

from events.demo import DEMO_MARK
from events.models import Event
from patreon_sync.documents import MemberData, TierData
from patreon_sync.models import ExclusiveContent, SyncRun, Tier, WebhookDelivery
from patreon_sync.supporters.selectors import grace_period
from patreon_sync.supporters.services import supporters_upsert, tiers_upsert
from patreon_sync.supporters.webhooks import fingerprint

FREE, FRIEND, BACKSTAGE = "demo-tier-free", "demo-tier-friend", "demo-tier-backstage"
TIERS = [
    TierData(FREE, f"Free member {DEMO_MARK}", 0, True, has_attributes=True),
    TierData(FRIEND, f"Friend of the Cave {DEMO_MARK}", 300, True, has_attributes=True),
    TierData(BACKSTAGE, f"Backstage {DEMO_MARK}", 800, True, has_attributes=True),
]


def _members(now) -> list[MemberData]:
    inside_grace = now - grace_period() / 2
    beyond_grace = now - grace_period() - timedelta(days=3)

    def member(number, name, status, charge_status, charged_at, tier, cents):
        return MemberData(
            patreon_member_id=f"demo-member-{number}",
            patreon_user_id=f"demo-user-{number}",
            full_name=f"{name} {DEMO_MARK}",
            email=f"{name.split()[0].lower()}@example.org",
            patron_status=status,
            last_charge_status=charge_status,
            last_charge_date=charged_at,
            next_charge_date=charged_at + timedelta(days=30) if charged_at else None,
            currently_entitled_amount_cents=cents,
            tier_ids=(tier,) if tier else (),
            pledge_relationship_start=now - timedelta(days=90 + number),
            pledge_cadence=1 if cents else None,
        )

    recent = now - timedelta(days=5)
    return [
        member(1, "Anna Rossi", "active_patron", "Paid", recent, FRIEND, 300),
        member(2, "Marco Bianchi", "active_patron", "Paid", recent, BACKSTAGE, 800),
        member(3, "Chiara Verdi", "declined_patron", "Declined", inside_grace, FRIEND, 300),
        member(4, "Paolo Neri", "declined_patron", "Declined", beyond_grace, BACKSTAGE, 800),
        member(5, "Giulia Russo", "former_patron", "Paid", now - timedelta(days=60), None, 0),
        member(6, "Luca Ferri", "", "", None, FREE, 0),
    ]


def _delivery(*, event: str, member_id: str, received_at, status: str, error: str = ""):
    body = json.dumps({"data": {"id": member_id, "type": "member"}, "demo": True}).encode()
    return WebhookDelivery(
        received_at=received_at,
        event=event,
        body=body,
        fingerprint=fingerprint(event=event, body=body),
        member_id=member_id,
        status=status,
        error=error,
        attempts=1,
        processed_at=received_at + timedelta(seconds=2),
    )


def add_demo_rows(*, events: list[Event], today: date) -> None:
    now = timezone.now()
    tiers_upsert(tiers=TIERS, now=now)
    members = _members(now)
    supporters_upsert(members=members, source_at=now - timedelta(hours=1), from_api=True, now=now)
    SyncRun.objects.create(
        started_at=now - timedelta(hours=1),
        finished_at=now - timedelta(hours=1) + timedelta(seconds=4),
        complete=True,
        pages=1,
        members=len(members),
        created=len(members),
    )
    WebhookDelivery.objects.bulk_create(
        [
            _delivery(
                event="members:pledge:create",
                member_id="demo-member-2",
                received_at=now - timedelta(minutes=50),
                status=WebhookDelivery.Status.PROCESSED,
            ),
            _delivery(
                event="members:update",
                member_id="demo-member-3",
                received_at=now - timedelta(minutes=40),
                status=WebhookDelivery.Status.PROCESSED,
            ),
            _delivery(
                event="members:update",
                member_id="demo-member-4",
                received_at=now - timedelta(minutes=20),
                status=WebhookDelivery.Status.FAILED,
                error=f"{DEMO_MARK} could not reach www.patreon.com (Name or service not known)",
            ),
        ]
    )
    by_id = {t.patreon_id: t for t in Tier.objects.filter(patreon_id__in=[FRIEND, BACKSTAGE])}
    ExclusiveContent.objects.create(
        title=f"Anniversary Night recording {DEMO_MARK}",
        slug="demo-anniversary-recording",
        summary="The whole Anniversary Night set, for Friends of the Cave.",
        body="A made-up recording for the demo: imagine a link to an unlisted video here.",
        required_tier=by_id[FRIEND],
        published=True,
    )
    ExclusiveContent.objects.create(
        title=f"Backstage notes: next month's line-up {DEMO_MARK}",
        slug="demo-backstage-line-up",
        summary="Who plays next month, before anyone else knows.",
        body="A made-up early line-up for the demo.",
        required_tier=by_id[BACKSTAGE],
        published=True,
    )
