"""POST /api/v1/patreon/webhook: verify the raw body, store it, answer at once."""

import json

import pytest

from patreon_sync.conftest import fixture_bytes, post_delivery, sign
from patreon_sync.models import WebhookDelivery

pytestmark = pytest.mark.django_db

EVENT = "members:pledge:create"


@pytest.fixture
def queued(monkeypatch):
    """Delivery ids handed to the task queue (the worker is not running in tests)."""
    ids = []
    monkeypatch.setattr(
        "patreon_sync.queue.queue_processing", lambda *, delivery_id: ids.append(delivery_id)
    )
    return ids


def test_a_validly_signed_delivery_is_stored_raw_and_queued(
    client, webhook_only, queued, django_capture_on_commit_callbacks
):
    body = fixture_bytes("webhook_members_pledge_create.json")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_delivery(client, body, event=EVENT)
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert response.json() == {"status": "stored", "delivery": delivery.pk}
    assert bytes(delivery.body) == body
    assert delivery.event == EVENT
    assert delivery.status == WebhookDelivery.Status.RECEIVED
    assert queued == [delivery.pk]


def test_a_bad_signature_is_refused_and_nothing_is_stored(client, webhook_only, queued, caplog):
    body = fixture_bytes("webhook_members_pledge_create.json")
    response = post_delivery(client, body, event=EVENT, signature=sign(body, "another-secret"))
    assert response.status_code == 403
    assert response.json() == {"error": "invalid signature"}
    assert not WebhookDelivery.objects.exists()
    assert queued == []
    assert "bad signature" in caplog.text


def test_a_signed_body_nested_unreasonably_deep_is_refused_and_not_stored(
    client, webhook_only, queued, caplog
):
    body = b"[" * 100_000 + b"]" * 100_000
    response = post_delivery(client, body, event=EVENT)
    assert response.status_code == 400
    assert response.json() == {"error": "body nested too deeply"}
    assert not WebhookDelivery.objects.exists()
    assert queued == []
    assert "nested deeper than" in caplog.text


def test_an_unsigned_deep_body_is_refused_for_its_signature_first(client, webhook_only):
    body = b'{"data": ' * 5_000 + b"{}" + b"}" * 5_000
    response = post_delivery(client, body, event=EVENT, signature="0" * 32)
    assert response.status_code == 403


def test_brackets_inside_strings_do_not_count_as_nesting(client, webhook_only, queued):
    document = json.loads(fixture_bytes("webhook_members_pledge_create.json"))
    document["data"]["attributes"]["full_name"] = '[{"[' * 200 + '\\"'
    body = json.dumps(document).encode()
    response = post_delivery(client, body, event=EVENT)
    assert response.status_code == 200
    assert WebhookDelivery.objects.count() == 1


def test_a_missing_signature_is_refused(client, webhook_only):
    body = fixture_bytes("webhook_members_pledge_create.json")
    response = post_delivery(client, body, event=EVENT, signature="")
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()


def test_without_a_secret_every_delivery_is_refused(client, webhook_only, caplog):
    webhook_only.PATREON_WEBHOOK_SECRET = ""
    body = fixture_bytes("webhook_members_pledge_create.json")
    # Signed with an empty key: exactly what an attacker could compute.
    response = post_delivery(client, body, event=EVENT, signature=sign(body, ""))
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()
    assert "PATREON_WEBHOOK_SECRET is not set" in caplog.text


def test_the_signature_covers_the_exact_bytes_not_the_json(client, webhook_only):
    body = fixture_bytes("webhook_members_pledge_create.json")
    reserialised = json.dumps(json.loads(body)).encode()
    assert json.loads(reserialised) == json.loads(body)
    response = post_delivery(client, reserialised, event=EVENT, signature=sign(body))
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()


def test_an_uppercase_hex_signature_is_accepted(client, webhook_only, queued):
    body = fixture_bytes("webhook_members_pledge_create.json")
    response = post_delivery(client, body, event=EVENT, signature=sign(body).upper())
    assert response.status_code == 200


def test_a_repeated_delivery_is_stored_once(
    client, webhook_only, queued, django_capture_on_commit_callbacks
):
    body = fixture_bytes("webhook_members_pledge_create.json")
    with django_capture_on_commit_callbacks(execute=True):
        first = post_delivery(client, body, event=EVENT)
        second = post_delivery(client, body, event=EVENT)
    assert first.status_code == second.status_code == 200
    assert second.json() == {"status": "duplicate", "delivery": first.json()["delivery"]}
    assert WebhookDelivery.objects.count() == 1
    assert len(queued) == 1


def test_the_same_body_under_another_trigger_is_a_different_delivery(client, webhook_only, queued):
    body = fixture_bytes("webhook_members_pledge_create.json")
    post_delivery(client, body, event="members:pledge:create")
    post_delivery(client, body, event="members:create")
    assert WebhookDelivery.objects.count() == 2


def test_a_signed_delivery_without_a_trigger_is_a_bad_request(client, webhook_only):
    body = fixture_bytes("webhook_members_pledge_create.json")
    response = client.post(
        "/api/v1/patreon/webhook",
        data=body,
        content_type="application/json",
        HTTP_X_PATREON_SIGNATURE=sign(body),
    )
    assert response.status_code == 400
    assert "X-Patreon-Event" in response.json()["error"]
    assert not WebhookDelivery.objects.exists()


def test_a_signed_body_that_is_not_json_is_still_stored_first(client, webhook_only, queued):
    response = post_delivery(client, b"\xff\xfe not json", event=EVENT)
    assert response.status_code == 200
    assert bytes(WebhookDelivery.objects.get().body) == b"\xff\xfe not json"


def test_get_is_not_allowed(client, webhook_only):
    assert client.get("/api/v1/patreon/webhook").status_code == 405


def test_the_openapi_schema_documents_the_headers_and_body(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/patreon/webhook"]["post"]
    headers = {p["name"] for p in operation["parameters"]}
    assert {"X-Patreon-Signature", "X-Patreon-Event"} <= headers
    assert "application/json" in operation["requestBody"]["content"]
    assert {"200", "403"} <= set(operation["responses"])


def test_with_redis_the_task_is_queued_after_the_commit(
    client, webhook_only, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("patreon_sync.queue.broker_is_database", lambda: False)
    body = fixture_bytes("webhook_members_pledge_create.json")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_delivery(client, body, event=EVENT)
    assert response.status_code == 200
    assert queued == []  # not before the commit
    callbacks[0]()
    assert queued == [WebhookDelivery.objects.get().pk]


def test_a_broker_failure_after_the_commit_keeps_the_delivery(
    client, webhook_only, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broker_down(*, delivery_id):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("patreon_sync.queue.broker_is_database", lambda: False)
    monkeypatch.setattr("patreon_sync.queue.queue_processing", broker_down)
    body = fixture_bytes("webhook_members_pledge_create.json")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_delivery(client, body, event=EVENT)
    assert response.status_code == 200
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.RECEIVED
    assert "Could not queue Patreon delivery" in caplog.text


@pytest.mark.parametrize("signature", ["é" * 32, "\u2603", "00" * 200, " "])
def test_odd_signature_headers_are_refused_not_crashed(client, webhook_only, signature):
    body = fixture_bytes("webhook_members_pledge_create.json")
    response = post_delivery(client, body, event=EVENT, signature=signature)
    assert response.status_code == 403


def test_an_oversized_body_is_refused(client, webhook_only, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = fixture_bytes("webhook_members_pledge_create.json")
    response = post_delivery(client, body, event=EVENT)
    assert response.status_code == 413
    assert not WebhookDelivery.objects.exists()
