import pytest
import requests
import responses

from integrations import http
from integrations.models import IntegrationLog

URL = "https://api.example.test/v1/things"


def send(**kwargs):
    defaults = {"service": "example", "operation": "things.list", "method": "GET", "url": URL}
    return http.send(**{**defaults, **kwargs})


@responses.activate
def test_a_transient_failure_is_retried_then_succeeds(db):
    responses.get(URL, status=500)
    responses.get(URL, status=429, headers={"Retry-After": "0"})
    responses.get(URL, json={"ok": True})
    assert send().json() == {"ok": True}
    assert len(responses.calls) == 3
    outcomes = list(IntegrationLog.objects.order_by("pk").values_list("outcome", "status_code"))
    assert outcomes == [("retried", 500), ("retried", 429), ("ok", 200)]


@responses.activate
def test_retries_are_bounded(db, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 3
    responses.get(URL, status=503)
    with pytest.raises(http.TransientError) as error:
        send()
    assert error.value.status == 503
    assert len(responses.calls) == 3
    assert IntegrationLog.objects.filter(outcome="failed").count() == 1


@responses.activate
def test_retry_after_is_honoured(db, settings, monkeypatch):
    settings.INTEGRATION_HTTP_MAX_WAIT = 30
    waits = []
    monkeypatch.setattr(http, "sleep", waits.append)
    responses.get(URL, status=429, headers={"Retry-After": "7"})
    responses.get(URL, json={})
    send()
    assert waits == [7]


@responses.activate
def test_a_retry_after_longer_than_we_wait_gives_up_at_once(db, settings, monkeypatch):
    settings.INTEGRATION_HTTP_MAX_WAIT = 30
    monkeypatch.setattr(http, "sleep", lambda s: None)
    responses.get(URL, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(http.TransientError) as error:
        send()
    assert error.value.retry_after == 3600
    assert len(responses.calls) == 1


@responses.activate
def test_a_permanent_error_is_not_retried(db):
    responses.get(URL, status=403, body="forbidden")
    with pytest.raises(http.PermanentError):
        send()
    assert len(responses.calls) == 1


@responses.activate
def test_a_lost_response_to_a_post_is_never_repeated(db):
    responses.post(URL, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(http.OutcomeUnknown):
        send(method="POST", data={"message": "hi"})
    assert len(responses.calls) == 1
    assert IntegrationLog.objects.get().outcome == "unknown"


@responses.activate
def test_a_post_that_never_connected_is_retried(db):
    responses.post(URL, body=requests.ConnectTimeout("connect timed out"))
    responses.post(URL, json={"id": "1"})
    assert send(method="POST").json() == {"id": "1"}


@responses.activate
def test_secrets_never_reach_the_log(db):
    token = "EAAB-super-secret-token"
    responses.get(URL, status=400, body=f"bad token {token}")
    with pytest.raises(http.PermanentError) as error:
        send(params={"access_token": token, "fields": "id"}, secrets=[token])
    entry = IntegrationLog.objects.get()
    assert token not in entry.target and token not in entry.error
    assert "access_token=%2A%2A%2A" in entry.target or "access_token=***" in entry.target
    assert "fields=id" in entry.target
    assert token not in str(error.value)


def test_retry_after_accepts_an_http_date():
    assert http.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert http.parse_retry_after("120") == 120.0
    assert http.parse_retry_after("soon") is None


def _refused(url: str) -> requests.ConnectionError:
    """What requests raises when nothing listens at the host (urllib3's nested errors)."""
    from urllib3.connection import HTTPSConnection
    from urllib3.exceptions import MaxRetryError, NewConnectionError

    cause = NewConnectionError(
        HTTPSConnection("api.example.test"),
        "Failed to establish a new connection: [Errno 111] Connection refused",
    )
    return requests.ConnectionError(MaxRetryError(None, url, reason=cause))


@responses.activate
def test_a_network_failure_names_the_host_and_the_reason_in_plain_words(db):
    proof = "9f8e7d6c5b4a"  # a derived credential: never a "secret" the caller listed
    responses.get(URL, body=_refused(f"{URL}?appsecret_proof={proof}&fields=id"))
    with pytest.raises(http.TransientError) as error:
        send(params={"appsecret_proof": proof, "fields": "id"})
    refused = "Network error: could not reach api.example.test (Connection refused)"
    assert str(error.value) == refused
    assert len(responses.calls) == 3  # never connected: retried, bounded
    entry = IntegrationLog.objects.get(outcome="failed")
    assert proof not in entry.error and proof not in entry.target


@responses.activate
def test_a_timeout_says_no_answer_came_in_time(db):
    responses.get(URL, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(http.TransientError) as error:
        send()
    assert str(error.value) == "Network error: could not reach api.example.test (no answer in time)"


@responses.activate
def test_a_call_log_that_cannot_be_written_does_not_turn_a_sent_post_into_an_error(
    db, monkeypatch, caplog
):
    from django.db import DatabaseError

    from integrations import call_log

    def log_table_unwritable(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(call_log.IntegrationLog, "save", log_table_unwritable)
    responses.post(URL, json={"id": "1122_901"})
    assert send(method="POST").json() == {"id": "1122_901"}  # went out once, reported as such
    assert len(responses.calls) == 1
    assert "Could not record the example things.list call" in caplog.text
