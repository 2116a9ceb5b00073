import hashlib
import hmac
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from integrations.facebook import client
from integrations.http import OutcomeUnknown, PermanentError, TransientError
from integrations.models import IntegrationLog

from .conftest import APP_SECRET, GRAPH, PAGE_ID, PAGE_TOKEN, graph_error

FEED = f"{GRAPH}/{PAGE_ID}/feed"
PHOTOS = f"{GRAPH}/{PAGE_ID}/photos"


def form(call) -> dict:
    return {name: values[0] for name, values in parse_qs(call.request.body).items()}


@responses.activate
def test_a_link_post_is_the_exact_documented_request(db, facebook):
    responses.post(FEED, json={"id": f"{PAGE_ID}_987"})
    published = client.publish_link_post(message="Hello 👋 è", link="https://tdc.example.org/e/1/")
    assert published.post_id == f"{PAGE_ID}_987"
    call = responses.calls[0]
    assert call.request.url == FEED  # version in the path, nothing secret in the URL
    assert form(call) == {
        "message": "Hello 👋 è",
        "link": "https://tdc.example.org/e/1/",
        "access_token": PAGE_TOKEN,
        "appsecret_proof": hmac.new(
            APP_SECRET.encode(), PAGE_TOKEN.encode(), hashlib.sha256
        ).hexdigest(),
    }


@responses.activate
def test_without_an_app_secret_no_proof_is_sent(db, facebook):
    facebook.FACEBOOK_APP_SECRET = ""
    responses.post(FEED, json={"id": "1_2"})
    client.publish_link_post(message="Hi", link="")
    assert "appsecret_proof" not in form(responses.calls[0])
    assert "link" not in form(responses.calls[0])


@responses.activate
def test_graph_url_and_version_come_from_settings(db, facebook):
    facebook.FACEBOOK_GRAPH_URL = "http://127.0.0.1:9999"
    facebook.FACEBOOK_GRAPH_VERSION = "v25.0"
    responses.post(f"http://127.0.0.1:9999/v25.0/{PAGE_ID}/feed", json={"id": "1_2"})
    client.publish_link_post(message="Hi", link="")
    assert len(responses.calls) == 1


@responses.activate
def test_a_photo_post_uploads_the_poster_with_the_caption(db, facebook):
    responses.post(PHOTOS, json={"id": "555", "post_id": f"{PAGE_ID}_777"})
    published = client.publish_photo_post(
        caption="Tonight!", image=b"\x89PNG-bytes", filename="poster.png", content_type="image/png"
    )
    assert published.post_id == f"{PAGE_ID}_777"  # the Page post, not the photo's id
    request = responses.calls[0].request
    assert request.url == PHOTOS
    assert request.headers["Content-Type"].startswith("multipart/form-data")
    body = request.body
    assert b'name="source"; filename="poster.png"' in body
    assert b"\x89PNG-bytes" in body
    assert b'name="caption"\r\n\r\nTonight!' in body
    assert f'name="access_token"\r\n\r\n{PAGE_TOKEN}'.encode() in body
    assert b'name="appsecret_proof"' in body


@responses.activate
def test_the_permalink_is_read_from_the_post(db, facebook):
    responses.get(
        f"{GRAPH}/{PAGE_ID}_987",
        json={"permalink_url": "https://www.facebook.com/tdc/posts/987", "id": f"{PAGE_ID}_987"},
    )
    assert client.fetch_permalink(f"{PAGE_ID}_987") == "https://www.facebook.com/tdc/posts/987"
    query = parse_qs(urlsplit(responses.calls[0].request.url).query)
    assert query["fields"] == ["permalink_url"]


@pytest.mark.parametrize(
    ("code", "subcode", "advice"),
    [
        (190, 463, "renew the Page token"),
        (190, None, "renew the Page token"),
        (10, None, "pages_manage_posts"),
        (200, None, "pages_manage_posts"),
        (299, None, "pages_manage_posts"),
        (368, None, "policy"),
    ],
)
@responses.activate
def test_token_permission_and_policy_errors_fail_at_once_with_what_to_do(
    db, facebook, code, subcode, advice
):
    responses.post(FEED, **graph_error(code, "Nope", subcode=subcode))
    with pytest.raises(PermanentError) as caught:
        client.publish_link_post(message="Hi", link="")
    assert len(responses.calls) == 1
    error = caught.value
    assert not error.transient
    assert (error.code, error.subcode, error.trace_id) == (code, subcode, "AbCdEfTrace")
    assert "Nope" in error.message
    assert advice in client.advice_for(error.code, error.subcode)


@pytest.mark.parametrize(
    ("code", "status"),
    [(4, 400), (17, 400), (32, 400), (613, 400), (80001, 400), (1, 500), (2, 503)],
)
@responses.activate
def test_rate_limits_and_outages_are_retried_a_bounded_number_of_times(
    db, facebook, settings, code, status
):
    settings.INTEGRATION_HTTP_ATTEMPTS = 3
    responses.post(FEED, **graph_error(code, "Slow down", status=status))
    with pytest.raises(TransientError) as caught:
        client.publish_link_post(message="Hi", link="")
    assert caught.value.code == code
    assert len(responses.calls) == 3


@responses.activate
def test_a_rate_limit_then_success_posts_once(db, facebook):
    responses.post(FEED, **graph_error(32, "Page request limit reached"))
    responses.post(FEED, json={"id": "1_2"})
    assert client.publish_link_post(message="Hi", link="").post_id == "1_2"
    outcomes = list(IntegrationLog.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["retried", "ok"]


@responses.activate
def test_a_plain_5xx_without_graph_error_is_transient(db, facebook, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 2
    responses.post(FEED, body="<html>Bad gateway</html>", status=502)
    with pytest.raises(TransientError):
        client.publish_link_post(message="Hi", link="")
    assert len(responses.calls) == 2


@responses.activate
def test_the_page_usage_header_says_how_long_to_wait(db, facebook, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 1
    usage = {PAGE_ID: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 7}]}
    responses.post(
        FEED,
        **graph_error(80001, "Too many calls"),
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    with pytest.raises(TransientError) as caught:
        client.publish_link_post(message="Hi", link="")
    assert caught.value.retry_after == 7 * 60


@responses.activate
def test_a_duplicate_post_is_its_own_error(db, facebook):
    responses.post(FEED, **graph_error(506, "Duplicate status message"))
    with pytest.raises(client.DuplicatePost):
        client.publish_link_post(message="Hi", link="")
    assert len(responses.calls) == 1


@responses.activate
def test_a_post_whose_answer_is_lost_is_not_repeated(db, facebook):
    responses.post(FEED, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(OutcomeUnknown):
        client.publish_link_post(message="Hi", link="")
    assert len(responses.calls) == 1


@responses.activate
def test_a_post_whose_gateway_timed_out_is_not_repeated(db, facebook):
    responses.post(FEED, body="<html>504 Gateway Time-out</html>", status=504)
    with pytest.raises(OutcomeUnknown):
        client.publish_link_post(message="Hi", link="")
    assert len(responses.calls) == 1
    assert IntegrationLog.objects.get().outcome == "unknown"


@responses.activate
def test_a_read_whose_gateway_timed_out_is_retried(db, facebook, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 2
    responses.get(f"{GRAPH}/{PAGE_ID}_1", body="<html>504</html>", status=504)
    with pytest.raises(TransientError):
        client.fetch_permalink(f"{PAGE_ID}_1")
    assert len(responses.calls) == 2


@responses.activate
def test_secrets_never_reach_the_call_log(db, facebook):
    responses.post(FEED, **graph_error(190, f"Bad token {PAGE_TOKEN}"))
    responses.get(f"{GRAPH}/debug_token", json={"data": {"is_valid": True}})
    with pytest.raises(PermanentError) as caught:
        client.publish_link_post(message="Hi", link="")
    client.inspect_page_token()
    assert PAGE_TOKEN not in caught.value.message
    for row in IntegrationLog.objects.all():
        for secret in (PAGE_TOKEN, APP_SECRET):
            assert secret not in row.target
            assert secret not in row.error


@responses.activate
def test_not_configured_makes_no_call(db, facebook):
    facebook.FACEBOOK_PAGE_ACCESS_TOKEN = ""
    with pytest.raises(client.NotConfigured, match="FACEBOOK_PAGE_ACCESS_TOKEN"):
        client.publish_link_post(message="Hi", link="")
    assert len(responses.calls) == 0


@responses.activate
def test_a_link_facebook_cannot_read_says_to_check_the_public_address(db, facebook):
    responses.post(FEED, **graph_error(100, "Error posting link", subcode=1609005))
    with pytest.raises(PermanentError) as caught:
        client.publish_link_post(message="Hi", link="http://127.0.0.1:8000/events/1/")
    assert "SITE_URL is public" in client.advice_for(caught.value.code, caught.value.subcode)


@responses.activate
def test_the_explanation_meta_writes_for_people_is_kept(db, facebook):
    body = graph_error(368, "The action attempted has been deemed abusive")
    body["json"]["error"]["error_user_msg"] = "You can't post for 3 days: see the Page's alerts."
    responses.post(FEED, **body)
    with pytest.raises(PermanentError) as caught:
        client.publish_link_post(message="Hi", link="")
    assert caught.value.message == (
        "Graph API error 368: The action attempted has been deemed abusive "
        "(You can't post for 3 days: see the Page's alerts.)"
    )


@responses.activate
def test_a_wrong_app_secret_is_named_in_the_advice(db, facebook):
    responses.post(FEED, **graph_error(100, "Invalid appsecret_proof provided in the API argument"))
    with pytest.raises(PermanentError) as caught:
        client.publish_link_post(message="Hi", link="")
    assert len(responses.calls) == 1
    assert "FACEBOOK_APP_SECRET" in client.advice_for(caught.value.code, caught.value.subcode)
