"""Helpers for the sign-in and exclusive content tests: Patreon's OAuth answers, faked at HTTP."""

import copy
from urllib.parse import parse_qs, urlsplit

import responses

from patreon_sync.conftest import API, CAMPAIGN, fixture_json, member_resource

TOKEN_URL = f"{API}/api/oauth2/token"
IDENTITY_URL = f"{API}/api/oauth2/v2/identity"
USER_TOKEN = "user-access-UUUU9999"
USER_REFRESH = "user-refresh-QQQQ9999"
CODE = "auth-code-CCCC1234"
PATREON_USER = "70001"
MEMBER = "a1b2c3d4-0000-4000-8000-00000000c0de"


def identity_document(
    *,
    user_id: str = PATREON_USER,
    email: str = "luna@example.org",
    verified: bool = True,
    member_id: str | None = MEMBER,
    status: str | None = "active_patron",
    cents: int = 300,
    tiers: tuple[str, ...] = ("9512023",),
    campaign: str = CAMPAIGN,
    last_charge_date: str | None = "2026-11-01T08:00:00.000+00:00",
) -> dict:
    """GET /identity as Patreon answers our query: the user, their membership to `campaign`."""
    included = []
    memberships = []
    if member_id:
        member = member_resource(
            member_id,
            status=status,
            cents=cents,
            tiers=tiers,
            user_id=user_id,
            name="Luna Sparrow",
            last_charge_date=last_charge_date,
        )
        member["attributes"].pop("email")  # a creator-scope field: not asked for, not sent
        del member["relationships"]["user"]  # `user` is not included from /identity
        member["relationships"]["campaign"] = {"data": {"id": campaign, "type": "campaign"}}
        included.append(member)
        included.extend(copy.deepcopy(fixture_json("api_campaign_with_tiers.json")["included"]))
        included.append({"id": campaign, "type": "campaign", "attributes": {}})
        memberships.append({"id": member_id, "type": "member"})
    return {
        "data": {
            "attributes": {
                "email": email,
                "full_name": "Luna Sparrow",
                "is_email_verified": verified,
            },
            "id": user_id,
            "relationships": {"memberships": {"data": memberships}},
            "type": "user",
        },
        "included": included,
        "links": {"self": f"https://www.patreon.com/api/oauth2/v2/user/{user_id}"},
    }


def token_answer() -> dict:
    return {
        "access_token": USER_TOKEN,
        "refresh_token": USER_REFRESH,
        "expires_in": 2678400,
        "scope": "identity identity[email]",
        "token_type": "Bearer",
    }


def patreon_answers(rsps: responses.RequestsMock, *, identity: dict | None = None) -> None:
    rsps.add(responses.POST, TOKEN_URL, json=token_answer())
    rsps.add(responses.GET, IDENTITY_URL, json=identity or identity_document())


def start_signin(client, *, next_url: str = "/supporters/") -> tuple[str, dict]:
    """Press "Continue to Patreon": returns the state and the authorize URL's query."""
    response = client.post("/accounts/patreon/login/", {"next": next_url})
    assert response.status_code == 302, response.content
    location = urlsplit(response["Location"])
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    return query["state"], {"url": location, **query}


def come_back(client, *, state: str, code: str = CODE, **extra):
    """Patreon redirects the browser to our callback."""
    return client.get("/accounts/patreon/callback/", {"state": state, "code": code, **extra})
