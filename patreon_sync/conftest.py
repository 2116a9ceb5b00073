"""Patreon test helpers: fixture payloads, signed deliveries, API v2 documents, settings."""

import copy
import hashlib
import hmac
import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "tests" / "fixtures"
API = "https://patreon.test"
SECRET = "whsec-test-7f3a9c"
ACCESS = "creator-access-AAAA1111"
REFRESH = "creator-refresh-RRRR1111"
CAMPAIGN = "9441253"
LUNA = "6e8d5b84-dfc9-457b-bb88-89df59777251"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> dict:
    return json.loads(fixture_bytes(name))


def sign(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.md5).hexdigest()


def post_delivery(client, body: bytes, *, event: str, signature: str | None = None):
    headers = {"HTTP_X_PATREON_EVENT": event}
    signature = sign(body) if signature is None else signature
    if signature:
        headers["HTTP_X_PATREON_SIGNATURE"] = signature
    return client.post(
        "/api/v1/patreon/webhook", data=body, content_type="application/json", **headers
    )


def member_resource(
    member_id: str,
    *,
    status: str | None = "active_patron",
    cents: int = 300,
    tiers: tuple[str, ...] = ("9512023",),
    user_id: str = "",
    name: str = "",
    last_charge_date: str | None = "2026-11-01T08:00:00.000+00:00",
    last_charge_status: str | None = "Paid",
) -> dict:
    """A `member` resource as the members list returns it with our fields/include."""
    user_id = user_id or str(int(hashlib.sha256(member_id.encode()).hexdigest()[:7], 16))
    return {
        "attributes": {
            "currently_entitled_amount_cents": cents,
            "email": f"{member_id[:8]}@example.org",
            "full_name": name or f"Patron {member_id[:8]}",
            "is_free_trial": False,
            "last_charge_date": last_charge_date,
            "last_charge_status": last_charge_status,
            "next_charge_date": "2026-12-01T08:00:00.000+00:00",
            "patron_status": status,
            "pledge_cadence": 1,
            "pledge_relationship_start": "2025-06-01T10:00:00.000+00:00",
        },
        "id": member_id,
        "relationships": {
            "currently_entitled_tiers": {"data": [{"id": t, "type": "tier"} for t in tiers]},
            "user": {"data": {"id": user_id, "type": "user"}},
        },
        "type": "member",
    }


def members_page(members: list[dict], *, next_cursor: str | None = None) -> dict:
    tiers = fixture_json("api_campaign_with_tiers.json")["included"]
    users = [
        {
            "attributes": {"full_name": m["attributes"]["full_name"]},
            "id": m["relationships"]["user"]["data"]["id"],
            "type": "user",
        }
        for m in members
    ]
    pagination: dict = {"total": len(members)}
    if next_cursor:
        pagination["cursors"] = {"next": next_cursor}
    return {
        "data": members,
        "included": [*copy.deepcopy(tiers), *users],
        "meta": {"pagination": pagination},
    }


@pytest.fixture
def patreon(settings):
    """Patreon fully configured against a fake host."""
    settings.PATREON_API_URL = API
    settings.PATREON_WEBHOOK_SECRET = SECRET
    settings.PATREON_CREATOR_ACCESS_TOKEN = ACCESS
    settings.PATREON_CREATOR_REFRESH_TOKEN = REFRESH
    settings.PATREON_CLIENT_ID = "client-id-1234"
    settings.PATREON_CLIENT_SECRET = "client-secret-5678"
    settings.PATREON_CAMPAIGN_ID = CAMPAIGN
    settings.PATREON_DECLINE_GRACE_DAYS = 7
    return settings


@pytest.fixture
def webhook_only(patreon):
    """Only the webhook secret: no creator token, so payloads are applied as they come."""
    patreon.PATREON_CREATOR_ACCESS_TOKEN = ""
    patreon.PATREON_CREATOR_REFRESH_TOKEN = ""
    return patreon
