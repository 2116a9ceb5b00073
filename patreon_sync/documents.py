"""Reading Patreon's JSON:API documents (API responses and webhook bodies) into plain data.

One reader for both sources, so the webhook and the full sync feed the upsert the same shape.
Anything malformed raises `PayloadError` with a short reason; nothing here touches the database.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime


class PayloadError(ValueError):
    """The document is not the JSON:API shape Patreon documents."""


class NotJSON(PayloadError):
    """The bytes are not JSON at all."""


# A member document nests about six levels; Python's json recurses once per level and dies
# with RecursionError near a thousand, so anything deeper than this is refused before parsing.
MAX_JSON_DEPTH = 64
# A complete JSON string (escapes included): brackets inside one do not nest anything.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth_exceeds(raw: bytes, *, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the arrays and objects in `raw` nest deeper than `limit` (no recursion, no parse).

    Malformed bodies are scanned as they are: json.loads refuses them afterwards anyway.
    """
    brackets = _JSON_STRING.sub(b"", raw).translate(None, delete=_NOT_A_BRACKET)
    depth = 0
    for byte in brackets:
        if byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def load_document(raw: bytes):
    """Raw bytes as JSON, refusing a body nested too deeply before any recursive parsing."""
    if json_depth_exceeds(raw):
        raise PayloadError("nested too deeply")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotJSON("not JSON") from exc


@dataclass(frozen=True)
class TierData:
    patreon_id: str
    title: str = ""
    amount_cents: int = 0
    published: bool = False
    url: str = ""
    # Whether attributes came with the resource (a bare reference carries only the id).
    has_attributes: bool = False


@dataclass(frozen=True)
class MemberData:
    patreon_member_id: str
    patreon_user_id: str = ""
    full_name: str = ""
    email: str = ""
    patron_status: str = ""
    last_charge_status: str = ""
    last_charge_date: datetime | None = None
    next_charge_date: datetime | None = None
    currently_entitled_amount_cents: int = 0
    tier_ids: tuple[str, ...] = ()
    pledge_relationship_start: datetime | None = None
    pledge_cadence: int | None = None
    is_free_trial: bool = False
    tiers: tuple[TierData, ...] = field(default=(), compare=False)


KNOWN_PATRON_STATUSES = frozenset({"active_patron", "declined_patron", "former_patron"})


def _text(value, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _cents(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return 0
    return int(value)


def _when(value) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _relationship_ids(resource: dict, name: str) -> list[str]:
    relationships = resource.get("relationships")
    if not isinstance(relationships, dict):
        return []
    related = relationships.get(name)
    data = related.get("data") if isinstance(related, dict) else None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return []
    return [str(item["id"]) for item in data if isinstance(item, dict) and item.get("id")]


def index_included(included) -> dict[tuple[str, str], dict]:
    """The `included` array keyed by (type, id)."""
    if not isinstance(included, list):
        return {}
    return {
        (item.get("type"), str(item.get("id"))): item
        for item in included
        if isinstance(item, dict) and item.get("id") is not None
    }


def _checkout_url(value) -> str:
    # Documented as fully qualified, seen relative to patreon.com: keep only those two forms,
    # never a scheme (javascript:) that a link on our pages would follow.
    if not isinstance(value, str) or len(value) > 500:
        return ""
    if value.startswith(("https://", "http://")) or (value.startswith("/") and value[1:2] != "/"):
        return value
    return ""


def parse_tier(resource: dict) -> TierData:
    if not isinstance(resource, dict) or not resource.get("id"):
        raise PayloadError("a tier without an id")
    attributes = resource.get("attributes")
    if not isinstance(attributes, dict):
        return TierData(patreon_id=str(resource["id"]))
    return TierData(
        patreon_id=str(resource["id"]),
        title=_text(attributes.get("title"), 200),
        amount_cents=_cents(attributes.get("amount_cents")),
        published=attributes.get("published") is True,
        url=_checkout_url(attributes.get("url")),
        has_attributes=True,
    )


def parse_member(resource: dict, included: dict[tuple[str, str], dict]) -> MemberData:
    """A `member` resource (with its `included` index) as MemberData."""
    if not isinstance(resource, dict) or resource.get("type") != "member":
        raise PayloadError("not a member resource")
    member_id = resource.get("id")
    if not isinstance(member_id, str) or not member_id or len(member_id) > 64:
        raise PayloadError("a member without a usable id")
    attributes = resource.get("attributes")
    if not isinstance(attributes, dict):
        attributes = {}
    status = attributes.get("patron_status")
    user_ids = _relationship_ids(resource, "user")
    # v2 names the relationship currently_entitled_tiers; old v1-era webhooks said _rewards.
    tier_ids = _relationship_ids(resource, "currently_entitled_tiers") or _relationship_ids(
        resource, "currently_entitled_rewards"
    )
    tiers = tuple(
        parse_tier(included.get(("tier", tier_id)) or {"id": tier_id}) for tier_id in tier_ids
    )
    cadence = attributes.get("pledge_cadence")
    return MemberData(
        patreon_member_id=member_id,
        patreon_user_id=user_ids[0][:32] if user_ids else "",
        full_name=_text(attributes.get("full_name"), 200),
        email=_text(attributes.get("email"), 254),
        patron_status=status if status in KNOWN_PATRON_STATUSES else "",
        last_charge_status=_text(attributes.get("last_charge_status"), 30),
        last_charge_date=_when(attributes.get("last_charge_date")),
        next_charge_date=_when(attributes.get("next_charge_date")),
        currently_entitled_amount_cents=_cents(attributes.get("currently_entitled_amount_cents")),
        tier_ids=tuple(sorted(set(tier_ids))),
        pledge_relationship_start=_when(attributes.get("pledge_relationship_start")),
        pledge_cadence=cadence if isinstance(cadence, int) and 0 < cadence < 1000 else None,
        is_free_trial=attributes.get("is_free_trial") is True,
        tiers=tiers,
    )


def parse_member_document(document) -> MemberData:
    """A single-member document (`GET /members/{id}` or a webhook body)."""
    if not isinstance(document, dict):
        raise PayloadError("the body is not a JSON object")
    return parse_member(document.get("data"), index_included(document.get("included")))


def webhook_member_id(document) -> str:
    """The member id a webhook body is about, or "" (Patreon's portal test sends none)."""
    data = document.get("data") if isinstance(document, dict) else None
    member_id = data.get("id") if isinstance(data, dict) else None
    return member_id if isinstance(member_id, str) and 0 < len(member_id) <= 64 else ""
