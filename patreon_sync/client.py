"""Patreon API v2 over `integrations.http.send`: the only code that talks to Patreon.

Facts this relies on (docs.patreon.com, "APIv2"): every attribute must be asked for with
`fields[type]=...` (v2 has no default attributes); related resources come with `include=`;
list endpoints page with `page[count]` and `page[cursor]` = `meta.pagination.cursors.next`;
errors are JSON:API `{"errors": [{"code_name", "detail", "status", ...}]}` and a 429 may carry
`retry_after_seconds`; tokens are refreshed with `POST /api/oauth2/token`,
`grant_type=refresh_token` (refresh tokens are single use); webhooks are read and updated at
`/api/oauth2/v2/webhooks`.

Sign in with Patreon uses the same host (PATREON_API_URL): the code is exchanged at
`POST /api/oauth2/token` (`grant_type=authorization_code`, the registered `redirect_uri`), and
`GET /api/oauth2/v2/identity` with `include=memberships` returns, for a token without the
`identity.memberships` scope, only the user's membership to our client's campaign.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import requests
from django.conf import settings

from integrations import http
from integrations.http import IntegrationError, PermanentError, TransientError
from patreon_sync import documents

SERVICE = "patreon"
PAGE_SIZE = 1000  # the largest page Patreon serves

# We ask for exactly the fields documents.py reads.
MEMBER_FIELDS = ",".join(documents.MemberAttributes.model_fields)
TIER_FIELDS = ",".join(documents.TierAttributes.model_fields)
MEMBER_QUERY = {
    "include": "currently_entitled_tiers,user",
    "fields[member]": MEMBER_FIELDS,
    "fields[tier]": TIER_FIELDS,
    "fields[user]": "full_name",
}
WEBHOOK_FIELDS = "uri,triggers,paused,last_attempted_at,num_consecutive_times_failed"


class PatreonError(IntegrationError):
    """An error Patreon answered, with its `code_name` (e.g. "invalid_grant") when it gave one."""

    def __init__(self, message: str, *, code_name: str = "", **fields):
        super().__init__(message, **fields)
        self.code_name = code_name


class PatreonTransientError(PatreonError, TransientError):
    """Rate limited, or Patreon's own trouble: worth retrying."""


class PatreonPermanentError(PatreonError, PermanentError):
    """An answer retrying cannot change."""


class CredentialsRejected(PatreonPermanentError):
    """Patreon answered 401: the access token is expired, revoked or lacks a scope."""


class NotFound(PatreonPermanentError):
    """Patreon answered 404: the resource does not exist (a deleted membership, a wrong id)."""


class TokenSource(Protocol):
    def current(self) -> str: ...

    def renew(self, *, rejected: str) -> str: ...


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int | None


@dataclass(frozen=True)
class MembersPage:
    number: int
    document: dict
    next_cursor: str


def _first_error(response: requests.Response) -> documents.ErrorObject:
    try:
        body = response.json()
    except ValueError:
        body = None
    return documents.parse_error(body)


def classify(response: requests.Response) -> IntegrationError | None:
    """Patreon's statuses and JSON:API errors as the transport's typed errors."""
    status = response.status_code
    if 200 <= status < 300:
        return None
    error = _first_error(response)
    name = error.code_name or error.title
    detail = error.detail
    summary = ": ".join(part for part in (name, detail) if part) or response.text[:300]
    message = f"Patreon HTTP {status}: {summary}"
    fields = {"status": status, "code_name": error.code_name}
    if status == 429 or status == 408 or status >= 500:
        retry_after = error.retry_after_seconds
        if retry_after is None:
            retry_after = http.parse_retry_after(response.headers.get("Retry-After"))
        return PatreonTransientError(message, retry_after=retry_after, **fields)
    if status == 401:
        return CredentialsRejected(message, **fields)
    if status == 404:
        return NotFound(message, **fields)
    return PatreonPermanentError(message, **fields)


def api_url(path: str) -> str:
    return f"{settings.PATREON_API_URL}/api/oauth2/v2/{path.lstrip('/')}"


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError as exc:
        raise PermanentError(f"Patreon answered {response.status_code} without JSON") from exc
    if not isinstance(body, dict):
        raise PermanentError("Patreon answered with JSON that is not an object")
    return body


def _token_grant(
    *, operation: str, grant: dict, secrets: tuple, refresh_required: bool, attempts=None
) -> TokenPair:
    """POST /api/oauth2/token with our client credentials and `grant`; the pair it answers."""
    response = http.send(
        service=SERVICE,
        operation=operation,
        method="POST",
        url=f"{settings.PATREON_API_URL}/api/oauth2/token",
        data={
            **grant,
            "client_id": settings.PATREON_CLIENT_ID,
            "client_secret": settings.PATREON_CLIENT_SECRET,
        },
        classify=classify,
        secrets=(*secrets, settings.PATREON_CLIENT_SECRET),
        attempts=attempts,
    )
    answer = documents.parse_token_answer(_json(response))
    if not answer.access_token:
        raise PermanentError("Patreon's token answer had no access_token")
    if refresh_required and not answer.refresh_token:
        raise PermanentError("Patreon's token answer had no access_token/refresh_token")
    return TokenPair(answer.access_token, answer.refresh_token, answer.expires_in)


def exchange_refresh_token(*, refresh_token: str) -> TokenPair:
    """Spend a (single-use) refresh token for a new pair. The caller holds the token lock."""
    return _token_grant(
        operation="oauth.refresh",
        grant={"grant_type": "refresh_token", "refresh_token": refresh_token},
        secrets=(refresh_token, settings.PATREON_CLIENT_ID),
        refresh_required=True,
    )


class PatreonClient:
    """Creator-token calls to API v2. A 401 renews the token once and repeats the call."""

    def __init__(self, tokens: TokenSource):
        self.tokens = tokens

    def _call(
        self,
        *,
        operation: str,
        method: str,
        path: str,
        params=None,
        json=None,
        idempotent: bool | None = None,
    ) -> requests.Response:
        token = self.tokens.current()
        for attempt in (1, 2):
            try:
                return http.send(
                    service=SERVICE,
                    operation=operation,
                    method=method,
                    url=api_url(path),
                    params=params,
                    json=json,
                    headers={"Authorization": f"Bearer {token}"},
                    classify=classify,
                    secrets=(token,),
                    idempotent=idempotent,
                )
            except CredentialsRejected:
                if attempt == 2:
                    raise
                token = self.tokens.renew(rejected=token)
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, path: str, *, operation: str, params=None) -> dict:
        return _json(self._call(operation=operation, method="GET", path=path, params=params))

    # --- reads -----------------------------------------------------------------------------

    def identity(self) -> dict:
        """The creator's own user: the cheapest call that proves the token works."""
        return self.get("identity", operation="identity", params={"fields[user]": "full_name"})

    def campaign_ids(self) -> list[str]:
        document = self.get(
            "campaigns", operation="campaigns.list", params={"fields[campaign]": "creation_name"}
        )
        ids = documents.parse_campaign_ids(document)
        if ids is None:
            raise PermanentError("Patreon's campaign list had no data array")
        return ids

    def campaign_with_tiers(self, campaign_id: str) -> dict:
        return self.get(
            f"campaigns/{campaign_id}",
            operation="campaigns.get",
            params={
                "include": "tiers",
                "fields[campaign]": "creation_name,patron_count",
                "fields[tier]": TIER_FIELDS,
            },
        )

    def member(self, member_id: str) -> dict:
        return self.get(f"members/{member_id}", operation="members.get", params=MEMBER_QUERY)

    def member_pages(self, campaign_id: str) -> Iterator[MembersPage]:
        """Every page of the campaign's members, following cursors until there is none.

        A cursor Patreon already gave us would loop forever: that ends the listing with an
        error, so the run counts as incomplete.
        """
        seen: set[str] = set()
        cursor = ""
        number = 0
        while True:
            params = {**MEMBER_QUERY, "page[count]": PAGE_SIZE}
            if cursor:
                params["page[cursor]"] = cursor
            document = self.get(
                f"campaigns/{campaign_id}/members", operation="members.list", params=params
            )
            number += 1
            cursor = documents.next_cursor(document)
            yield MembersPage(number=number, document=document, next_cursor=cursor)
            if not cursor:
                return
            if cursor in seen:
                raise PermanentError(
                    f"Patreon repeated the page cursor after page {number}; "
                    "the member list was not read to the end"
                )
            seen.add(cursor)

    # --- our webhook -----------------------------------------------------------------------

    def webhooks(self) -> list[documents.WebhookState]:
        """Webhooks our client created (Patreon shows no others), with `paused` and failures."""
        document = self.get(
            "webhooks", operation="webhooks.list", params={"fields[webhook]": WEBHOOK_FIELDS}
        )
        return documents.parse_webhooks(document)

    def resume_webhook(self, webhook_id: str) -> dict:
        """Unpause a webhook; Patreon then sends the deliveries it queued while paused.

        The webhook resource's attribute is `paused` ("set to false to re-enable").
        """
        body = {"data": {"id": str(webhook_id), "type": "webhook", "attributes": {"paused": False}}}
        response = self._call(
            operation="webhooks.resume",
            method="PATCH",
            path=f"webhooks/{webhook_id}",
            json=body,
            idempotent=True,  # setting paused=false twice changes nothing
        )
        return _json(response)


# --- Sign in with Patreon (a supporter's own token; see patreon_sync/oauth.py) ----------------

# The member fields a supporter's own token may read about their membership to our campaign.
# Not `email`: on a member it needs campaigns.members[email], a creator scope; the user's own
# address comes from fields[user] with the identity[email] scope instead.
IDENTITY_MEMBER_FIELDS = ",".join(name for name in MEMBER_FIELDS.split(",") if name != "email")
IDENTITY_QUERY = {
    # Without the identity.memberships scope Patreon returns only the membership to our
    # client's campaign; its campaign is included so we can check that it is ours.
    "include": "memberships.currently_entitled_tiers,memberships.campaign",
    "fields[user]": "full_name,email,is_email_verified",
    "fields[member]": IDENTITY_MEMBER_FIELDS,
    "fields[tier]": TIER_FIELDS,
}
# A visitor is waiting in the browser: one retry at most, not the task queue's patience.
SIGNIN_ATTEMPTS = 2


def exchange_authorization_code(*, code: str, redirect_uri: str) -> TokenPair:
    """Spend a (single-use) authorization code for the user's tokens: POST /api/oauth2/token."""
    return _token_grant(
        operation="oauth.code",
        grant={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
        secrets=(code,),
        refresh_required=False,
        attempts=SIGNIN_ATTEMPTS,
    )


def user_identity(*, access_token: str) -> dict:
    """The signed-in user and their membership to our campaign: GET /api/oauth2/v2/identity."""
    response = http.send(
        service=SERVICE,
        operation="oauth.identity",
        method="GET",
        url=api_url("identity"),
        params=IDENTITY_QUERY,
        headers={"Authorization": f"Bearer {access_token}"},
        classify=classify,
        secrets=(access_token,),
        attempts=SIGNIN_ATTEMPTS,
    )
    return _json(response)
