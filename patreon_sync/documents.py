"""Patreon's documents (API answers, webhook bodies, the sign-in identity), read in one place.

Each document we read is declared below as a pydantic model, tolerant as Patreon's API requires:
unknown fields are ignored, missing or mistyped ones read as empty, and only what we cannot do
without (a member's id, the identity's user) refuses the document with `PayloadError` and a
short reason. The models become plain data (`MemberData`, `TierData`, ...), one shape for the
webhook, the full sync and sign-in. Nothing here touches the database or the network.
"""

import dataclasses
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.utils.dateparse import parse_datetime
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError


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


@dataclass(frozen=True)
class PatreonIdentity:
    """The `/identity` answer of a signing-in supporter's own token."""

    user_id: str
    full_name: str = ""
    email: str = ""
    is_email_verified: bool = False
    membership: MemberData | None = None  # None: not a member of our campaign

    @property
    def verified_email(self) -> str:
        """The e-mail only when Patreon says its owner confirmed it; else ""."""
        return self.email if self.is_email_verified else ""


@dataclass(frozen=True)
class WebhookState:
    id: str
    uri: str
    triggers: tuple[str, ...]
    paused: bool
    failures: int  # num_consecutive_times_failed: > 0 means Patreon holds undelivered events
    last_attempted_at: datetime | None


@dataclass(frozen=True)
class TokenAnswer:
    access_token: str
    refresh_token: str  # "" when Patreon gave none
    expires_in: int | None  # seconds; None when Patreon gave no usable value


KNOWN_PATRON_STATUSES = frozenset({"active_patron", "declined_patron", "former_patron"})


# --- How a field that may be missing or mistyped reads ------------------------------------------


def _text(limit: int, *, strip: bool = False):
    def read(value) -> str:
        if not isinstance(value, str):
            return ""
        return (value.strip() if strip else value)[:limit]

    return BeforeValidator(read)


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


def _checkout_url(value) -> str:
    # Documented as fully qualified, seen relative to patreon.com: keep only those two forms,
    # never a scheme (javascript:) that a link on our pages would follow.
    if not isinstance(value, str) or len(value) > 500:
        return ""
    if value.startswith(("https://", "http://")) or (value.startswith("/") and value[1:2] != "/"):
        return value
    return ""


def _object(value) -> dict:
    return value if isinstance(value, dict) else {}


def _objects(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _related_ids(value) -> list[str]:
    """A relationship's `data` (one reference or a list of them) as the ids it names."""
    if isinstance(value, dict):
        value = [value]
    return [str(item["id"]) for item in _objects(value) if item.get("id")]


def _patron_status(value) -> str:
    return value if isinstance(value, str) and value in KNOWN_PATRON_STATUSES else ""


def _cadence(value) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1000
    return value if ok else None


def _member_id(value) -> str:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise ValueError("a member without a usable id")
    return value


def _tier_id(value) -> str:
    if not value:
        raise ValueError("a tier without an id")
    return str(value)


def _user_id(value) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value):
        raise ValueError("the identity answer's user has no id")
    if len(str(value)) > 32:
        raise ValueError("the identity answer's user id is too long")
    return str(value)


Text = Annotated[str, BeforeValidator(lambda value: value if isinstance(value, str) else "")]
Flag = Annotated[bool, BeforeValidator(lambda value: value is True)]
Cents = Annotated[int, BeforeValidator(_cents)]
When = Annotated[datetime | None, BeforeValidator(_when)]
Objects = Annotated[list[dict], BeforeValidator(_objects)]


# --- The documents --------------------------------------------------------------------------------


class Document(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, arbitrary_types_allowed=True)


class Related(Document):
    ids: Annotated[tuple[str, ...], BeforeValidator(_related_ids)] = ()


def _related(value) -> dict:
    return {"ids": _object(value).get("data")}


Relation = Annotated[Related, BeforeValidator(_related)]


class Relationships(Document):
    user: Relation = Related()
    campaign: Relation = Related()
    currently_entitled_tiers: Relation = Related()
    # What old v1-era webhooks called currently_entitled_tiers.
    currently_entitled_rewards: Relation = Related()


class TierAttributes(Document):
    title: Annotated[str, _text(200)] = ""
    amount_cents: Cents = 0
    published: Flag = False
    url: Annotated[str, BeforeValidator(_checkout_url)] = ""


class TierResource(Document):
    id: Annotated[str, BeforeValidator(_tier_id)]
    # None: a bare reference, which carries only the id.
    attributes: Annotated[
        TierAttributes | None, BeforeValidator(lambda v: v if isinstance(v, dict) else None)
    ] = None


class MemberAttributes(Document):
    full_name: Annotated[str, _text(200)] = ""
    email: Annotated[str, _text(254)] = ""
    patron_status: Annotated[str, BeforeValidator(_patron_status)] = ""
    last_charge_status: Annotated[str, _text(30)] = ""
    last_charge_date: When = None
    next_charge_date: When = None
    currently_entitled_amount_cents: Cents = 0
    pledge_relationship_start: When = None
    pledge_cadence: Annotated[int | None, BeforeValidator(_cadence)] = None
    is_free_trial: Flag = False


class MemberResource(Document):
    type: Literal["member"]
    id: Annotated[str, BeforeValidator(_member_id)]
    attributes: Annotated[MemberAttributes, BeforeValidator(_object)] = MemberAttributes()
    relationships: Annotated[Relationships, BeforeValidator(_object)] = Relationships()


class Linked(Document):
    """Any resource, for its relationships alone."""

    relationships: Annotated[Relationships, BeforeValidator(_object)] = Relationships()


class CompoundDocument(Document):
    """A JSON:API answer: `data` (read by the caller) and the resources `included` with it."""

    data: Any = None
    included: Objects = []
    meta: Annotated[dict, BeforeValidator(_object)] = {}


class Cursors(Document):
    next: Text = ""


class UserAttributes(Document):
    full_name: Annotated[str, _text(200, strip=True)] = ""
    email: Annotated[str, _text(254, strip=True)] = ""
    is_email_verified: Flag = False


class UserResource(Document):
    type: Literal["user"]
    id: Annotated[str, BeforeValidator(_user_id)]
    attributes: Annotated[UserAttributes, BeforeValidator(_object)] = UserAttributes()


class IdentityDocument(Document):
    data: UserResource
    included: Objects = []


class WebhookAttributes(Document):
    uri: Text = ""
    triggers: Annotated[
        tuple[str, ...],
        BeforeValidator(
            lambda v: [t for t in v if isinstance(t, str)] if isinstance(v, list) else []
        ),
    ] = ()
    paused: Flag = False
    num_consecutive_times_failed: Annotated[
        int, BeforeValidator(lambda v: v if isinstance(v, int) else 0)
    ] = 0
    last_attempted_at: When = None


class WebhookResource(Document):
    id: Annotated[str, BeforeValidator(lambda v: str(v or ""))] = ""
    attributes: Annotated[WebhookAttributes, BeforeValidator(_object)] = WebhookAttributes()


class TokenDocument(Document):
    access_token: Text = ""
    refresh_token: Text = ""
    expires_in: Annotated[
        int | None,
        BeforeValidator(
            lambda v: v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else None
        ),
    ] = None


Said = Annotated[str, BeforeValidator(lambda v: str(v) if v else "")]


class ErrorObject(Document):
    """A JSON:API error object, or an OAuth token endpoint's error (the same few facts)."""

    code_name: Said = ""
    title: Said = ""
    detail: Said = ""
    retry_after_seconds: Annotated[
        float | None,
        BeforeValidator(
            lambda v: v if isinstance(v, int | float) and not isinstance(v, bool) else None
        ),
    ] = None


def _read(model: type[Document], value, *, refused: str, reasons: dict[str, str] | None = None):
    """`value` as `model`; a document it cannot be raises PayloadError with a short reason."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        error = exc.errors()[0]
        if error["type"] == "value_error":  # one of our readers' own words
            raise PayloadError(str(error["ctx"]["error"])) from None
        where = str(error["loc"][0]) if error["loc"] else ""
        raise PayloadError((reasons or {}).get(where, refused)) from None


# --- Reading them into plain data ---------------------------------------------------------------


def index_included(included) -> dict[tuple[str, str], dict]:
    """The `included` array keyed by (type, id)."""
    return {
        (item.get("type"), str(item.get("id"))): item
        for item in _objects(included)
        if item.get("id") is not None
    }


def parse_tier(resource) -> TierData:
    tier = _read(TierResource, resource, refused="a tier without an id")
    if tier.attributes is None:
        return TierData(patreon_id=tier.id)
    return TierData(patreon_id=tier.id, **tier.attributes.model_dump(), has_attributes=True)


def parse_member(resource, included: dict[tuple[str, str], dict]) -> MemberData:
    """A `member` resource (with its `included` index) as MemberData."""
    member = _read(
        MemberResource,
        resource,
        refused="not a member resource",
        reasons={"id": "a member without a usable id"},
    )
    links = member.relationships
    tier_ids = links.currently_entitled_tiers.ids or links.currently_entitled_rewards.ids
    tiers = tuple(
        parse_tier(included.get(("tier", tier_id)) or {"id": tier_id}) for tier_id in tier_ids
    )
    return MemberData(
        patreon_member_id=member.id,
        patreon_user_id=links.user.ids[0][:32] if links.user.ids else "",
        **member.attributes.model_dump(),
        tier_ids=tuple(sorted(set(tier_ids))),
        tiers=tiers,
    )


def parse_member_document(document) -> MemberData:
    """A single-member document (`GET /members/{id}` or a webhook body)."""
    compound = _read(CompoundDocument, document, refused="the body is not a JSON object")
    return parse_member(compound.data, index_included(compound.included))


def webhook_member_id(document) -> str:
    """The member id a webhook body is about, or "" (Patreon's portal test sends none)."""
    member_id = _object(_object(document).get("data")).get("id")
    return member_id if isinstance(member_id, str) and 0 < len(member_id) <= 64 else ""


def parse_members_page(document, *, number: int) -> list[MemberData]:
    """One page of `GET /campaigns/{id}/members`."""
    compound = _read(CompoundDocument, document, refused=f"page {number} is not a JSON object")
    if not isinstance(compound.data, list):
        raise PayloadError(f"page {number} has no data array")
    index = index_included(compound.included)
    return [parse_member(item, index) for item in compound.data]


def next_cursor(document) -> str:
    """The cursor of the page after this one ("" on the last page)."""
    meta = _read(CompoundDocument, _object(document), refused="").meta
    cursors = _object(_object(meta.get("pagination")).get("cursors"))
    return Cursors.model_validate(cursors).next


def parse_campaign_tiers(document) -> list[TierData]:
    """The tiers included with `GET /campaigns/{id}?include=tiers`."""
    compound = _read(CompoundDocument, _object(document), refused="")
    return [parse_tier(item) for item in compound.included if item.get("type") == "tier"]


def parse_campaign_ids(document) -> list[str] | None:
    """The ids of `GET /campaigns`; None when the answer has no data array."""
    data = _object(document).get("data")
    if not isinstance(data, list):
        return None
    return [str(item["id"]) for item in _objects(data) if item.get("id")]


def parse_webhooks(document) -> list[WebhookState]:
    """`GET /webhooks`: the webhooks our client created, with `paused` and failures."""
    states = []
    for item in _objects(_object(document).get("data")):
        webhook = WebhookResource.model_validate(item)
        attributes = webhook.attributes
        states.append(
            WebhookState(
                id=webhook.id,
                uri=attributes.uri,
                triggers=attributes.triggers,
                paused=attributes.paused,
                failures=attributes.num_consecutive_times_failed,
                last_attempted_at=attributes.last_attempted_at,
            )
        )
    return states


def parse_error(body) -> ErrorObject:
    """The first error of an error answer; an empty one when the body says nothing we can read."""
    body = _object(body)
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return ErrorObject.model_validate(errors[0])
    if isinstance(body.get("error"), str):
        # OAuth token endpoint errors: {"error": "invalid_grant", "error_description": ...}
        return ErrorObject(code_name=body["error"], detail=body.get("error_description") or "")
    return ErrorObject()


def parse_token_answer(document) -> TokenAnswer:
    """The token endpoint's answer (the caller says which parts it cannot do without)."""
    answer = TokenDocument.model_validate(_object(document))
    return TokenAnswer(answer.access_token, answer.refresh_token, answer.expires_in)


def identity_name(document) -> str:
    """The user's full name in an `/identity` answer ("" when it has none)."""
    user = _object(_object(document).get("data"))
    return UserAttributes.model_validate(_object(user.get("attributes"))).full_name


def _our_membership(members: list[dict]) -> dict | None:
    """The membership to our campaign among those Patreon returned (usually zero or one)."""
    campaign = settings.PATREON_CAMPAIGN_ID
    if campaign:
        ours = [
            member
            for member in members
            if (Linked.model_validate(member).relationships.campaign.ids or ("",))[0] == campaign
        ]
    else:
        # Without PATREON_CAMPAIGN_ID we rely on Patreon returning only the membership to our
        # client's campaign (we do not ask for identity.memberships); several is ambiguous.
        ours = members
    return ours[0] if len(ours) == 1 else None


def parse_identity(document) -> PatreonIdentity:
    """The `/identity` answer of a signing-in supporter: the Patreon user (id, name, e-mail and
    whether Patreon verified it) and, in `included`, their membership to our campaign, read by
    the same reader as the webhook and the full sync. Raises PayloadError when it is malformed.
    """
    identity = _read(
        IdentityDocument,
        document,
        refused="the identity answer is not a JSON object",
        reasons={"data": "the identity answer has no user"},
    )
    user = identity.data
    members = [item for item in identity.included if item.get("type") == "member"]
    resource = _our_membership(members)
    membership = None
    if resource is not None:
        member = parse_member(resource, index_included(identity.included))
        # The member's user is the identity's user; its e-mail (a creator-scope field) comes
        # from the user's own address, as the full sync would read it.
        membership = dataclasses.replace(
            member,
            patreon_user_id=user.id,
            email=member.email or user.attributes.email,
            full_name=member.full_name or user.attributes.full_name,
        )
    return PatreonIdentity(
        user_id=user.id,
        full_name=user.attributes.full_name,
        email=user.attributes.email,
        is_email_verified=user.attributes.is_email_verified,
        membership=membership,
    )
