"""Schemathesis against /api/openapi.json: the SL panels, the Patreon webhook and health.

Every generated request (valid and deliberately invalid) must get no 5xx, a status code,
content type and body the schema documents, and, for the SL panels, a body within the
byte budget `llHTTPRequest` reads (`max_bytes`, default 2048 UTF-8 bytes). Webhook bodies that
are JSON objects are signed with the test secret, so the fuzzing reaches past the signature
check into the event header's validation and the storing of the delivery.
"""

import hashlib
import hmac
import json
from datetime import UTC, timedelta

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sl_api.params import MAX_BYTES_DEFAULT, MAX_BYTES_MAX, MAX_BYTES_MIN

FUZZED_PATHS = r"^/api/v1/(sl/|patreon/webhook|health)"
# Enough to find the edge cases in every parameter, few enough to keep the suite fast.
EXAMPLES_PER_OPERATION = 60


@pytest.fixture
def panel_events(make_event):
    """Events that make the byte budget bite: long, multi-byte titles, tonight and later."""
    now = timezone.now().astimezone(UTC).replace(second=0, microsecond=0)
    for day in range(12):
        make_event(
            title=f"Serata d'autunno n°{day} — musica dal vivo 🎶🎸 " * 4,
            title_it="Città più bella, perché sì 🎷 " * 6,
            start_time=now + timedelta(days=day, hours=1),
            artists=[f"Artista Ñandú {day} 🎤", "Zoë Ærøskøbing"],
        )
    make_event(title="Running now", start_time=now - timedelta(minutes=30))


def load_api_schema():
    from tdc.wsgi import application

    # Loaded at collection, before pytest-django's test environment; the WSGI client's host.
    with override_settings(ALLOWED_HOSTS=["localhost"]):
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    return schema.include(path_regex=FUZZED_PATHS)


# (schemathesis.pytest.from_fixture needs a pytest private attribute that pytest 9 removed.)
schema = load_api_schema()


WEBHOOK_PATH = "/api/v1/patreon/webhook"
WEBHOOK_SECRET = "fuzz-webhook-secret"


@pytest.fixture(autouse=True)
def wsgi_host_allowed(settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.PATREON_WEBHOOK_SECRET = WEBHOOK_SECRET


def signed_delivery(case) -> dict:
    """The raw body and a valid signature for a webhook case whose body is a JSON object, as
    Patreon sends it; other cases go as generated (and are refused, unsigned)."""
    if case.path != WEBHOOK_PATH or not isinstance(case.body, dict):
        return {}
    raw = json.dumps(case.body).encode()
    signature = hmac.new(WEBHOOK_SECRET.encode(), raw, hashlib.md5).hexdigest()
    return {"data": raw, "headers": {"X-Patreon-Signature": signature}}


@pytest.fixture(autouse=True)
def connection_kept_across_requests():
    """As Django's test client does: a request's end must not close the connection that holds
    the test's transaction (MariaDB would lose it; in-memory SQLite ignores the close)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _max_bytes(case) -> int:
    value = (case.query or {}).get("max_bytes")
    try:
        number = int(value)
    except (TypeError, ValueError):
        return MAX_BYTES_DEFAULT
    return number if MAX_BYTES_MIN <= number <= MAX_BYTES_MAX else MAX_BYTES_DEFAULT


@schemathesis.check
def sl_body_within_byte_budget(ctx, response, case):
    """An SL panel body longer than the script reads arrives cut, and cut JSON is unreadable."""
    if not case.path.startswith("/api/v1/sl/"):
        return None
    budget = _max_bytes(case)
    size = len(response.content)
    if size > budget:
        raise AssertionError(f"{size}-byte body over the {budget}-byte budget for {case.path}")
    return True


# What the API promises: no 5xx; status, content type, headers and body as documented; the SL
# byte budget. Not schemathesis's two strictest checks: "every schema-valid request is
# accepted" (`tz` is any string to the schema, yet only an IANA name is a time zone: a 400 is
# right) and "every schema-violating request is refused" (panels read an empty `lang=` or
# `max_bytes=` as the default, on purpose: LSL scripts build query strings from blank settings).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    sl_body_within_byte_budget,
]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,  # the same cases on every run: CI failures reproduce locally
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_api_answers_every_request_as_documented(case, panel_events):
    case.call_and_validate(checks=CHECKS, **signed_delivery(case))


def test_the_fuzzed_operations_include_the_panels_and_the_webhook():
    operations = {
        f"{result.ok().method.upper()} {result.ok().path}" for result in schema.get_all_operations()
    }
    assert {
        "GET /api/v1/sl/events",
        "GET /api/v1/sl/events/next",
        "GET /api/v1/sl/events/today",
        "POST /api/v1/patreon/webhook",
        "GET /api/v1/health",
    } <= operations


def test_the_budget_check_catches_an_oversized_panel():
    class Case:
        path = "/api/v1/sl/events"
        query = {"max_bytes": "300"}

    class Response:
        content = b"x" * 301

    with pytest.raises(AssertionError, match="301-byte body over the 300-byte budget"):
        sl_body_within_byte_budget(None, Response(), Case())
    Response.content = b"x" * 300
    assert sl_body_within_byte_budget(None, Response(), Case()) is True


@pytest.mark.django_db
def test_signed_webhook_cases_reach_the_stored_delivery():
    from patreon_sync.models import WebhookDelivery

    operation = schema["/api/v1/patreon/webhook"]["POST"]
    case = operation.Case(body={"data": {"type": "member"}}, headers={"X-Patreon-Event": "x:y"})
    response = case.call_and_validate(checks=CHECKS, **signed_delivery(case))
    assert response.status_code == 200
    assert WebhookDelivery.objects.filter(event="x:y").count() == 1
    unsigned = operation.Case(body=[1, 2], headers={"X-Patreon-Event": "x:y"})
    assert signed_delivery(unsigned) == {}
