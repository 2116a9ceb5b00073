"""The API v2 client: requests it sends, pagination, rate limits and Patreon's errors."""

import json

import pytest
import responses

from integrations import http
from integrations.http import PermanentError, TransientError
from integrations.models import IntegrationLog
from patreon_sync.client import PAGE_SIZE, CredentialsRejected, NotFound
from patreon_sync.conftest import ACCESS, API, CAMPAIGN, member_resource, members_page
from patreon_sync.tokens import creator_client

pytestmark = pytest.mark.django_db

MEMBERS_URL = f"{API}/api/oauth2/v2/campaigns/{CAMPAIGN}/members"


@responses.activate
def test_member_pages_follow_cursors_with_explicit_fields_and_page_size(patreon):
    # Several registrations for one URL are answered in order.
    responses.get(MEMBERS_URL, json=members_page([member_resource("m-0")], next_cursor="c1"))
    responses.get(MEMBERS_URL, json=members_page([member_resource("m-1")], next_cursor="c2"))
    responses.get(MEMBERS_URL, json=members_page([member_resource("m-2")]))
    pages = list(creator_client().member_pages(CAMPAIGN))
    assert [p.document["data"][0]["id"] for p in pages] == ["m-0", "m-1", "m-2"]
    sent = [call.request for call in responses.calls]
    assert "page[cursor]" not in sent[0].params
    assert [r.params.get("page[cursor]") for r in sent[1:]] == ["c1", "c2"]
    first = sent[0]
    assert first.params["page[count]"] == str(PAGE_SIZE)
    assert first.params["include"] == "currently_entitled_tiers,user"
    assert "currently_entitled_amount_cents" in first.params["fields[member]"]
    assert first.headers["Authorization"] == f"Bearer {ACCESS}"
    assert first.headers["User-Agent"].startswith("TDC-Integrations/")


@responses.activate
def test_a_repeated_cursor_stops_the_listing_with_an_error(patreon):
    responses.get(MEMBERS_URL, json=members_page([member_resource("m-0")], next_cursor="same"))
    responses.get(MEMBERS_URL, json=members_page([member_resource("m-1")], next_cursor="same"))
    responses.get(MEMBERS_URL, json=members_page([member_resource("m-2")], next_cursor="same"))
    pages = []
    with pytest.raises(PermanentError, match="repeated the page cursor"):
        for page in creator_client().member_pages(CAMPAIGN):
            pages.append(page)
    assert len(pages) == 2
    assert len(responses.calls) == 2


@responses.activate
def test_a_429_waits_retry_after_seconds_then_succeeds(patreon, monkeypatch):
    patreon.INTEGRATION_HTTP_MAX_WAIT = 30
    waits = []
    monkeypatch.setattr(http, "sleep", waits.append)
    throttled = {
        "errors": [
            {
                "code": None,
                "code_name": "RequestThrottled",
                "detail": "You have made too many attempts. Please try again later.",
                "id": "eb96e70d-909f-40cc-a3dc-e922cc90ea0a",
                "retry_after_seconds": 9,
                "status": "429",
                "title": "You have made too many attempts. Please try again later.",
            }
        ]
    }
    responses.get(f"{API}/api/oauth2/v2/identity", status=429, json=throttled)
    responses.get(f"{API}/api/oauth2/v2/identity", json={"data": {"id": "1", "type": "user"}})
    assert creator_client().identity()["data"]["id"] == "1"
    assert waits == [9]
    outcomes = list(IntegrationLog.objects.order_by("pk").values_list("outcome", "status_code"))
    assert outcomes == [("retried", 429), ("ok", 200)]


@responses.activate
def test_server_errors_are_retried_a_bounded_number_of_times(patreon):
    patreon.INTEGRATION_HTTP_ATTEMPTS = 3
    responses.get(f"{API}/api/oauth2/v2/identity", status=502, body="Bad gateway")
    with pytest.raises(TransientError):
        creator_client().identity()
    assert len(responses.calls) == 3


@responses.activate
def test_json_api_errors_become_readable_typed_errors(patreon):
    responses.get(
        f"{API}/api/oauth2/v2/members/nobody",
        status=404,
        json={"errors": [{"code_name": "ResourceMissing", "detail": "No member", "status": "404"}]},
    )
    responses.get(
        f"{API}/api/oauth2/v2/campaigns",
        status=403,
        json={"errors": [{"code_name": "Forbidden", "detail": "Missing scope", "status": "403"}]},
    )
    with pytest.raises(NotFound, match="ResourceMissing: No member"):
        creator_client().member("nobody")
    with pytest.raises(PermanentError, match="Forbidden: Missing scope") as error:
        creator_client().campaign_ids()
    assert error.value.status == 403
    assert len(responses.calls) == 2  # permanent: not retried


@responses.activate
def test_the_token_never_reaches_the_call_log(patreon):
    responses.get(
        f"{API}/api/oauth2/v2/identity",
        status=400,
        json={"errors": [{"code_name": "BadRequest", "detail": f"token {ACCESS} is odd"}]},
    )
    with pytest.raises(PermanentError) as error:
        creator_client().identity()
    assert ACCESS not in str(error.value)
    assert not IntegrationLog.objects.filter(error__contains=ACCESS).exists()


@responses.activate
def test_a_401_renews_the_token_once_and_repeats_the_call(patreon):
    responses.get(
        f"{API}/api/oauth2/v2/identity",
        status=401,
        json={"errors": [{"code_name": "Unauthorized", "status": "401"}]},
    )
    responses.post(
        f"{API}/api/oauth2/token",
        json={
            "access_token": "renewed-access-BBBB2222",
            "refresh_token": "renewed-refresh-SSSS2222",
            "expires_in": 2678400,
            "scope": "identity campaigns campaigns.members",
            "token_type": "Bearer",
        },
    )
    responses.get(f"{API}/api/oauth2/v2/identity", json={"data": {"id": "1", "type": "user"}})
    creator_client().identity()
    retried = responses.calls[2].request
    assert retried.headers["Authorization"] == "Bearer renewed-access-BBBB2222"


@responses.activate
def test_a_second_401_after_renewal_is_raised(patreon):
    unauthorized = {"errors": [{"code_name": "Unauthorized", "status": "401"}]}
    responses.get(f"{API}/api/oauth2/v2/identity", status=401, json=unauthorized)
    responses.post(
        f"{API}/api/oauth2/token",
        json={"access_token": "a2-xxxx", "refresh_token": "r2-xxxx", "expires_in": 100000},
    )
    with pytest.raises(CredentialsRejected):
        creator_client().identity()
    assert len(responses.calls) == 3  # call, renewal, call again: then stop


@responses.activate
def test_resuming_a_webhook_patches_paused_false(patreon):
    responses.patch(f"{API}/api/oauth2/v2/webhooks/2793", json={"data": {"id": "2793"}})
    creator_client().resume_webhook("2793")
    sent = json.loads(responses.calls[0].request.body)
    assert sent == {"data": {"id": "2793", "type": "webhook", "attributes": {"paused": False}}}
