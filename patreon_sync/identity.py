"""Reading the `/identity` document a signing-in supporter's token returns.

It carries the Patreon user (id, name, e-mail and whether Patreon verified it) and, in
`included`, their membership to our campaign with its entitled tiers. The membership is parsed
by the same reader as the webhook and the full sync, so the upsert sees the same shape.
"""

import dataclasses
from dataclasses import dataclass

from django.conf import settings

from patreon_sync.documents import MemberData, PayloadError, index_included, parse_member


@dataclass(frozen=True)
class PatreonIdentity:
    user_id: str
    full_name: str = ""
    email: str = ""
    is_email_verified: bool = False
    membership: MemberData | None = None  # None: not a member of our campaign

    @property
    def verified_email(self) -> str:
        """The e-mail only when Patreon says its owner confirmed it; else ""."""
        return self.email if self.is_email_verified else ""


def _campaign_id(member: dict) -> str:
    relationships = member.get("relationships")
    campaign = relationships.get("campaign") if isinstance(relationships, dict) else None
    data = campaign.get("data") if isinstance(campaign, dict) else None
    return str(data.get("id") or "") if isinstance(data, dict) else ""


def _our_membership(members: list[dict]) -> dict | None:
    """The membership to our campaign among those Patreon returned (usually zero or one)."""
    campaign = settings.PATREON_CAMPAIGN_ID
    if campaign:
        ours = [m for m in members if _campaign_id(m) == campaign]
    else:
        # Without PATREON_CAMPAIGN_ID we rely on Patreon returning only the membership to our
        # client's campaign (we do not ask for identity.memberships); several is ambiguous.
        ours = members
    return ours[0] if len(ours) == 1 else None


def parse_identity(document) -> PatreonIdentity:
    """The identity document as PatreonIdentity; raises PayloadError when it is malformed."""
    if not isinstance(document, dict):
        raise PayloadError("the identity answer is not a JSON object")
    user = document.get("data")
    if not isinstance(user, dict) or user.get("type") != "user":
        raise PayloadError("the identity answer has no user")
    user_id = user.get("id")
    if not isinstance(user_id, str | int) or isinstance(user_id, bool) or not str(user_id):
        raise PayloadError("the identity answer's user has no id")
    user_id = str(user_id)
    if len(user_id) > 32:
        raise PayloadError("the identity answer's user id is too long")
    attributes = user.get("attributes") if isinstance(user.get("attributes"), dict) else {}
    email = attributes.get("email")
    email = email.strip()[:254] if isinstance(email, str) else ""
    full_name = attributes.get("full_name")
    full_name = full_name.strip()[:200] if isinstance(full_name, str) else ""

    included = document.get("included")
    members = [
        item
        for item in (included if isinstance(included, list) else [])
        if isinstance(item, dict) and item.get("type") == "member"
    ]
    resource = _our_membership(members)
    membership = None
    if resource is not None:
        member = parse_member(resource, index_included(included))
        # The member's user is the identity's user; its e-mail (a creator-scope field) comes
        # from the user's own address, as the full sync would read it.
        membership = dataclasses.replace(
            member,
            patreon_user_id=user_id,
            email=member.email or email,
            full_name=member.full_name or full_name,
        )
    return PatreonIdentity(
        user_id=user_id,
        full_name=full_name,
        email=email,
        is_email_verified=attributes.get("is_email_verified") is True,
        membership=membership,
    )
