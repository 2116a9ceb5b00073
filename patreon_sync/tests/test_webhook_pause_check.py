"""The daily sync asks Patreon whether our webhook is paused; a paused one becomes a problem on
the integrations page (and so a staff notice) until "Resume the webhook" works."""

import responses

from integrations.action_outcomes import action_outcome_record
from integrations.models import ActionOutcome
from patreon_sync import tasks
from patreon_sync.conftest import API
from patreon_sync.status import integration_status


def _webhooks(*, paused: bool) -> dict:
    return {
        "data": [
            {
                "attributes": {
                    "last_attempted_at": "2026-11-24T20:09:18+00:00",
                    "num_consecutive_times_failed": 4 if paused else 0,
                    "paused": paused,
                    "triggers": ["members:update"],
                    "uri": "https://tdc.example/api/v1/patreon/webhook",
                },
                "id": "2793",
                "type": "webhook",
            }
        ]
    }


def _paused_problems() -> list[str]:
    return [p for p in integration_status().problems if p.startswith("Patreon paused our webhook")]


@responses.activate
def test_a_webhook_found_paused_is_a_problem_until_resumed(db, patreon):
    responses.get(f"{API}/api/oauth2/v2/webhooks", json=_webhooks(paused=True))

    tasks.webhook_pause_check()

    assert len(_paused_problems()) == 1
    assert "Press “Resume the webhook”" in _paused_problems()[0]
    action_outcome_record(
        service="patreon", action="resume_webhook", succeeded=True, message="Resumed 1 webhook(s)."
    )
    assert _paused_problems() == []


@responses.activate
def test_an_active_webhook_is_no_problem(db, patreon):
    responses.get(f"{API}/api/oauth2/v2/webhooks", json=_webhooks(paused=False))

    tasks.webhook_pause_check()

    assert _paused_problems() == []


@responses.activate
def test_a_failed_ask_leaves_the_last_answer_as_it_was(db, patreon):
    action_outcome_record(
        service="patreon", action="webhook_state", succeeded=True, message="Webhook 2793: active"
    )
    responses.get(f"{API}/api/oauth2/v2/webhooks", status=401, json={"errors": []})

    tasks.webhook_pause_check()  # no exception: the sync's result stands

    assert ActionOutcome.objects.get(action="webhook_state").message == "Webhook 2793: active"
