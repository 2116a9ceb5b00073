"""What the Patreon app says at run time is in the reader's language: the integrations page's
advice and token health, the buttons' answers, the system checks, the sign-in's refusals.
Recorded errors and Patreon's own words stay as they came."""

import pytest
import responses
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from integrations.action_outcomes import action_outcome_record
from patreon_sync import actions
from patreon_sync.checks import check_patreon_webhook_secret
from patreon_sync.conftest import API
from patreon_sync.models import Supporter, SyncRun, WebhookDelivery
from patreon_sync.signin.tests.support import (
    MEMBER,
    PATREON_USER,
    come_back,
    patreon_answers,
    start_signin,
)
from patreon_sync.status import integration_status
from patreon_sync.supporters.webhooks import process_delivery, store_delivery

pytestmark = pytest.mark.django_db


def _failed_delivery() -> WebhookDelivery:
    delivery, _ = store_delivery(
        event="members:update", body=b"not json", received_at=timezone.now()
    )
    return process_delivery(delivery_id=delivery.pk)


def test_the_integrations_page_advises_in_italian_and_quotes_the_recorded_error(patreon):
    patreon.PATREON_CREATOR_REFRESH_TOKEN = ""
    SyncRun.objects.create(started_at=timezone.now(), finished_at=timezone.now(), complete=True)
    _failed_delivery()

    with translation.override("it"):
        status = integration_status()

    assert status.problems == [
        "1 consegna del webhook non è riuscita: aprila, correggi la causa indicata e usa "
        "“Rielabora” (anche un'esecuzione di sync_patrons sistema i sostenitori).",
        "Il token del creator non può rinnovarsi da solo: imposta "
        "PATREON_CREATOR_REFRESH_TOKEN, altrimenti smetterà di funzionare alla scadenza.",
    ]
    assert status.token == "Scadenza sconosciuta fino al primo rinnovo; non si rinnova da solo"
    assert status.last_error == "Webhook: The body is not JSON."
    assert dict(status.links)["Consegne del webhook non riuscite"].endswith("?status__exact=failed")


def test_the_same_advice_reads_in_english_with_its_number_agreeing(patreon):
    SyncRun.objects.create(started_at=timezone.now(), finished_at=timezone.now(), complete=True)
    _failed_delivery()
    delivery, _ = store_delivery(event="members:create", body=b"{", received_at=timezone.now())
    process_delivery(delivery_id=delivery.pk)

    with translation.override("en"):
        problems = integration_status().problems

    assert problems[0].startswith("2 webhook deliveries failed: open them, fix the cause shown")


def test_a_button_answers_in_the_language_of_whoever_pressed_it(patreon):
    _failed_delivery()

    with translation.override("it"):
        italian = actions.deliveries_retry_failed()
    english = actions.deliveries_retry_failed()

    assert italian == "Rielaborata 1 consegna; ancora non riuscite: 1."
    assert english == "Reprocessed 1 delivery; 1 still failed."


def test_the_webhook_secret_check_speaks_the_staff_language(settings):
    settings.PATREON_CREATOR_ACCESS_TOKEN = "creator-access"
    settings.PATREON_WEBHOOK_SECRET = ""

    with translation.override("it"):
        (warning,) = check_patreon_webhook_secret(None)

    assert warning.msg.startswith("Patreon è configurato ma PATREON_WEBHOOK_SECRET no:")
    assert warning.hint.startswith("Copia il segreto del webhook")


def test_a_refused_sign_in_is_explained_in_the_visitors_language(client, patreon):
    owner = get_user_model().objects.create_user("owner")
    Supporter.objects.create(patreon_member_id=MEMBER, patreon_user_id=PATREON_USER, user=owner)
    client.force_login(get_user_model().objects.create_user("someone-else"))
    state, _ = start_signin(client)
    with responses.RequestsMock() as rsps:
        patreon_answers(rsps)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "it"
        # The middleware leaves the request's language active in this thread: not after here.
        with translation.override(None):
            response = come_back(client, state=state)

    assert response.status_code == 409
    page = response.content.decode()
    assert "<h1>Collegato a un altro account</h1>" in page
    assert "Questo account Patreon è già collegato a un altro account di questo sito." in page


@responses.activate
def test_a_webhook_found_paused_by_staff_reading_italian_stays_a_problem(patreon):
    webhook = {
        "attributes": {
            "last_attempted_at": "2026-11-24T20:09:18+00:00",
            "num_consecutive_times_failed": 1,
            "paused": True,
            "triggers": ["members:update"],
            "uri": "https://tdc.example/api/v1/patreon/webhook",
        },
        "id": "2793",
        "type": "webhook",
    }
    responses.get(f"{API}/api/oauth2/v2/webhooks", json={"data": [webhook]})
    with translation.override("it"):
        answer = actions.webhook_state()
    action_outcome_record(service="patreon", action="webhook_state", succeeded=True, message=answer)

    assert answer == (
        "Webhook 2793 → https://tdc.example/api/v1/patreon/webhook: IN PAUSA, 1 errore "
        "consecutivo, trigger members:update."
    )
    with translation.override("it"):
        problems = integration_status().problems
    assert any(
        problem.startswith("Patreon ha messo in pausa il nostro webhook") for problem in problems
    )
    assert not actions.answer_found_paused(answer.replace("IN PAUSA", "attivo"))
