"""Each piece of advice the integrations page gives about Patreon appears exactly when it
applies, computed from the state the page shows (settings, sync runs, the schedule `migrate`
created, deliveries, the creator token)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from patreon_sync.models import CreatorToken, SyncRun, WebhookDelivery
from patreon_sync.status import integration_status
from patreon_sync.supporters.webhooks import process_delivery, store_delivery
from patreon_sync.tasks import SYNC_SCHEDULE_NAME
from patreon_sync.tokens import token_row

pytestmark = pytest.mark.django_db

# Each advice line by the words that name it.
ADVICE = {
    "no token": "No creator token: set PATREON_CREATOR_ACCESS_TOKEN",
    "no secret": "Every webhook delivery is refused: set PATREON_WEBHOOK_SECRET",
    "failed deliveries": "webhook deliveries failed",
    "waiting deliveries": "Webhook deliveries are waiting unprocessed",
    "run stopped": "The last sync_patrons run stopped",
    "not scheduled": "and none is scheduled: schedule python manage.py sync_patrons daily",
    "worker not running": "The task worker is not running",
    "first sync pending": "The scheduled supporter sync has not completed yet",
    "scheduled but stale": "although one is scheduled daily",
    "token refused": "Patreon refused the creator token",
    "renewal failed": "The last creator token renewal failed",
    "cannot renew": "The creator token cannot renew itself",
    "token expired": "The creator token has expired",
}


def advice() -> set[str]:
    """The advice lines the page would show now (problems and notes alike)."""
    status = integration_status()
    shown = status.problems + status.notes
    found = {key for key, words in ADVICE.items() if any(words in line for line in shown)}
    assert len(found) == len(shown), f"advice this test does not know: {shown}"
    return found


def schedule_due(at) -> None:
    Schedule.objects.filter(name=SYNC_SCHEDULE_NAME).update(next_run=at)


def complete_sync(*, ago: timedelta = timedelta(hours=3)) -> SyncRun:
    started = timezone.now() - ago
    return SyncRun.objects.create(
        started_at=started, finished_at=started + timedelta(minutes=1), complete=True
    )


@pytest.fixture
def working(patreon):
    """Fully configured, synced three hours ago, the next daily run due tomorrow."""
    token_row()
    complete_sync()
    schedule_due(timezone.now() + timedelta(hours=21))
    return patreon


def test_a_working_patreon_gets_no_advice(working):
    assert advice() == set()


def test_without_a_creator_token_it_says_to_set_one(working):
    working.PATREON_CREATOR_ACCESS_TOKEN = ""
    assert advice() == {"no token"}


def test_without_the_webhook_secret_it_says_to_set_it(working):
    working.PATREON_WEBHOOK_SECRET = ""
    assert advice() == {"no secret"}


def test_a_failed_delivery_asks_for_reprocessing(working):
    delivery, _ = store_delivery(
        event="members:update", body=b"not json", received_at=timezone.now()
    )
    process_delivery(delivery_id=delivery.pk)
    assert advice() == {"failed deliveries"}


def test_deliveries_waiting_beyond_ten_minutes_point_at_the_worker(working):
    store_delivery(event="members:update", body=b"{}", received_at=timezone.now())
    assert advice() == set()  # just received: the worker has it
    WebhookDelivery.objects.update(received_at=timezone.now() - timedelta(minutes=11))
    assert advice() == {"waiting deliveries"}


def test_a_stopped_sync_run_says_so_with_its_error(working):
    SyncRun.objects.create(
        started_at=timezone.now(), finished_at=timezone.now(), complete=False,
        error="Network error: could not reach www.patreon.com (Connection refused)",
    )  # fmt: skip
    assert advice() == {"run stopped"}


def test_on_a_fresh_install_the_first_scheduled_sync_is_awaited_not_asked_for(patreon):
    token_row()
    schedule_due(timezone.now() - timedelta(minutes=2))  # migrate just created it
    assert advice() == {"first sync pending"}
    status = integration_status()
    assert status.problems == []  # a note, not a fault: nothing for staff to do yet


def test_a_scheduled_sync_overdue_means_the_worker_is_not_running(patreon):
    token_row()
    schedule_due(timezone.now() - timedelta(minutes=11))
    assert advice() == {"worker not running"}
    complete_sync(ago=timedelta(days=3))  # once synced, overdue is still the worker's fault
    assert advice() == {"worker not running"}


def test_only_without_a_schedule_does_it_ask_to_schedule_the_sync(working):
    Schedule.objects.filter(func="patreon_sync.tasks.sync_patrons").delete()
    assert advice() == set()  # a recent complete sync: nothing to schedule urgently
    SyncRun.objects.all().delete()
    assert advice() == {"not scheduled"}


def test_a_scheduled_sync_that_keeps_not_completing_says_where_to_look(working):
    SyncRun.objects.update(started_at=timezone.now() - timedelta(days=3))
    assert advice() == {"scheduled but stale"}


def test_a_refused_creator_token_asks_for_new_tokens(working):
    CreatorToken.objects.update(broken=True, last_refresh_ok=False, last_refresh_error="no")
    assert advice() == {"token refused"}


def test_a_failed_renewal_says_it_is_retried(working):
    CreatorToken.objects.update(last_refresh_ok=False, last_refresh_error="HTTP 503")
    assert advice() == {"renewal failed"}


@pytest.mark.parametrize(
    "unset",
    [
        ("PATREON_CLIENT_ID",),
        ("PATREON_CLIENT_SECRET",),
        ("PATREON_CLIENT_ID", "PATREON_CLIENT_SECRET"),
        ("PATREON_CREATOR_REFRESH_TOKEN",),
    ],
)
def test_a_token_that_cannot_renew_itself_names_only_the_missing_settings(working, unset):
    for name in unset:
        setattr(working, name, "")
    assert advice() == {"cannot renew"}
    [line] = integration_status().problems
    named = {name for name in ("PATREON_CREATOR_REFRESH_TOKEN", "PATREON_CLIENT_ID",
                               "PATREON_CLIENT_SECRET") if name in line}  # fmt: skip
    assert named == set(unset)


def test_an_expired_token_asks_for_a_new_one(working):
    CreatorToken.objects.update(expires_at=timezone.now() - timedelta(hours=1))
    assert advice() == {"token expired"}


def test_the_awaited_sync_and_the_stopped_worker_say_when_it_was_due(patreon):
    token_row()
    due = timezone.now() - timedelta(minutes=11)
    schedule_due(due)
    [problem] = integration_status().problems
    local = timezone.localtime(due)
    assert f"was due on {local:%-d %b %Y, %H:%M} and has not started" in problem
    schedule_due(due + timedelta(minutes=20))
    [note] = integration_status().notes
    assert note.endswith(
        f"it runs next on {timezone.localtime(due + timedelta(minutes=20)):%-d %b %Y, %H:%M}."
    )
