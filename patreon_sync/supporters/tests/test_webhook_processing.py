"""Processing stored deliveries: each trigger, Patreon's quirks, repeats, order, reprocess."""

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.utils import timezone

from patreon_sync.conftest import API, LUNA, fixture_bytes, fixture_json
from patreon_sync.models import Supporter, Tier, WebhookDelivery
from patreon_sync.supporters.selectors import supporter_is_active
from patreon_sync.supporters.webhooks import process_delivery, reprocess, store_delivery

pytestmark = pytest.mark.django_db

MEMBER_URL = f"{API}/api/oauth2/v2/members/{LUNA}"


def deliver(name_or_body, *, event: str, received_at=None) -> WebhookDelivery:
    body = name_or_body if isinstance(name_or_body, bytes) else fixture_bytes(name_or_body)
    delivery, _ = store_delivery(event=event, body=body, received_at=received_at or timezone.now())
    return process_delivery(delivery_id=delivery.pk)


def luna() -> Supporter:
    return Supporter.objects.prefetch_related("tiers").get(patreon_member_id=LUNA)


def tier_ids(supporter: Supporter) -> set[str]:
    return {tier.patreon_id for tier in supporter.tiers.all()}


# --- without a creator token: the payload is applied ------------------------------------------


def test_pledge_create_makes_an_active_supporter_with_its_tier(webhook_only):
    delivery = deliver("webhook_members_pledge_create.json", event="members:pledge:create")
    assert delivery.status == WebhookDelivery.Status.PROCESSED
    assert delivery.member_id == LUNA
    supporter = luna()
    assert supporter.full_name == "Luna Sparrow"
    assert supporter.email == "luna.sparrow@example.org"
    assert supporter.patreon_user_id == "88555402"
    assert supporter.patron_status == "active_patron"
    assert supporter.currently_entitled_amount_cents == 300
    assert supporter.last_charge_status == "Paid"
    assert supporter.pledge_cadence == 1
    assert tier_ids(supporter) == {"9512023"}
    # The included tier resource carried its attributes: the tier is known by name already.
    assert Tier.objects.get(patreon_id="9512023").title == "Dreamer"
    assert supporter_is_active(supporter=supporter, now=timezone.now())


def test_an_update_with_empty_entitled_tiers_keeps_the_known_tier(webhook_only):
    deliver("webhook_members_pledge_create.json", event="members:pledge:create")
    delivery = deliver("webhook_members_update_empty_tiers.json", event="members:update")
    assert delivery.status == WebhookDelivery.Status.PROCESSED
    supporter = luna()
    assert tier_ids(supporter) == {"9512023"}
    assert supporter.last_charge_date == datetime(2026, 12, 1, 8, 0, 12, tzinfo=UTC)
    assert supporter.next_charge_date == datetime(2027, 1, 1, 8, 0, tzinfo=UTC)


def test_pledge_delete_with_former_patron_and_deleted_charge_ends_support(webhook_only):
    deliver("webhook_members_pledge_create.json", event="members:pledge:create")
    deliver("webhook_members_pledge_delete_former.json", event="members:pledge:delete")
    supporter = luna()
    assert supporter.patron_status == "former_patron"
    assert supporter.last_charge_status == "Deleted"
    assert supporter.currently_entitled_amount_cents == 0
    assert tier_ids(supporter) == set()
    assert not supporter_is_active(supporter=supporter, now=timezone.now())
    assert Supporter.objects.count() == 1  # never deleted


def test_members_delete_keeps_the_supporter_as_a_former_patron(webhook_only):
    deliver("webhook_members_pledge_create.json", event="members:pledge:create")
    deleted = fixture_json("webhook_members_pledge_create.json")
    deleted["data"]["attributes"]["next_charge_date"] = None
    body = json.dumps(deleted).encode()
    delivery = deliver(body, event="members:delete")
    assert delivery.status == WebhookDelivery.Status.PROCESSED
    supporter = luna()
    assert supporter.patron_status == "former_patron"
    assert tier_ids(supporter) == set()
    assert supporter.currently_entitled_amount_cents == 0


def test_members_create_on_the_free_tier_is_not_paid_support(webhook_only):
    deliver("webhook_members_create_free.json", event="members:create")
    supporter = Supporter.objects.get(full_name="Marco Rossi")
    assert supporter.patron_status == ""
    assert tier_ids(supporter) == {"10000001"}
    assert Tier.objects.get(patreon_id="10000001").amount_cents == 0
    assert not supporter_is_active(supporter=supporter, now=timezone.now())


@pytest.mark.parametrize("event", ["members:update", "members:pledge:update", "members:create"])
def test_every_member_trigger_goes_through_the_upsert(webhook_only, event):
    delivery = deliver("webhook_members_pledge_create.json", event=event)
    assert delivery.status == WebhookDelivery.Status.PROCESSED
    assert luna().patron_status == "active_patron"


def test_another_trigger_is_stored_and_ignored(webhook_only):
    delivery = deliver("webhook_posts_publish.json", event="posts:publish")
    assert delivery.status == WebhookDelivery.Status.IGNORED
    assert delivery.member_id == ""  # a post id is not a member id
    assert not Supporter.objects.exists()


def test_a_portal_test_delivery_is_accepted_and_marked_as_a_test(webhook_only):
    delivery = deliver("webhook_portal_test.json", event="members:pledge:create")
    assert delivery.status == WebhookDelivery.Status.TEST
    assert not Supporter.objects.exists()


def test_a_body_that_is_not_a_member_document_fails_with_its_reason(webhook_only):
    delivery = deliver(b'{"data": {"id": "abc", "type": "post"}}', event="members:update")
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "Bad payload" in delivery.error
    delivery = deliver(b"not json at all", event="members:update")
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.error == "The body is not JSON."


DEEP_ARRAYS = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECTS = b'{"data": ' * 5_000 + b"{}" + b"}" * 5_000


@pytest.mark.parametrize("body", [DEEP_ARRAYS, DEEP_OBJECTS], ids=["arrays", "objects"])
def test_a_deeply_nested_body_fails_with_a_plain_reason(webhook_only, body):
    # Stored as the door let it in before refusing such bodies (or any stored by hand).
    delivery = deliver(body, event="members:update")
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.error == "The body is not a Patreon member document: nested too deeply."
    assert delivery.processed_at is not None
    assert not Supporter.objects.exists()


def stored(body: bytes, *, event: str = "members:pledge:create", minutes_ago: int = 0):
    delivery, _ = store_delivery(
        event=event, body=body, received_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return delivery


def test_reprocessing_failed_deliveries_goes_past_a_deeply_nested_one(webhook_only):
    from patreon_sync import actions

    deep = stored(DEEP_ARRAYS, minutes_ago=10)  # left "received" by the worker's crash
    good = stored(fixture_bytes("webhook_members_pledge_create.json"), minutes_ago=5)
    WebhookDelivery.objects.filter(pk=good.pk).update(status="failed", error="earlier")

    assert actions.deliveries_retry_failed() == "Reprocessed 2 deliveries; 1 still failed."
    deep.refresh_from_db()
    good.refresh_from_db()
    assert deep.status == WebhookDelivery.Status.FAILED
    assert "nested too deeply" in deep.error
    assert good.status == WebhookDelivery.Status.PROCESSED
    assert luna().full_name == "Luna Sparrow"


def test_reprocess_handles_each_delivery_on_its_own_when_one_crashes(webhook_only, monkeypatch):
    from django.db import OperationalError

    from patreon_sync.supporters import webhooks

    first = stored(fixture_bytes("webhook_members_create_free.json"), minutes_ago=10)
    second = stored(fixture_bytes("webhook_members_pledge_create.json"), minutes_ago=5)
    real = webhooks.process_delivery

    def database_gone_for_the_first(*, delivery_id):
        if delivery_id == first.pk:
            raise OperationalError("lost connection")
        return real(delivery_id=delivery_id)

    monkeypatch.setattr(webhooks, "process_delivery", database_gone_for_the_first)
    assert reprocess(deliveries=WebhookDelivery.objects.order_by("received_at")) == 2
    second.refresh_from_db()
    assert second.status == WebhookDelivery.Status.PROCESSED
    assert WebhookDelivery.objects.get(pk=first.pk).status == WebhookDelivery.Status.RECEIVED


def test_a_delivery_is_processed_once_however_often_it_is_run(webhook_only):
    body = fixture_bytes("webhook_members_pledge_create.json")
    delivery, _ = store_delivery(event="members:create", body=body, received_at=timezone.now())
    process_delivery(delivery_id=delivery.pk)
    Supporter.objects.update(full_name="Edited meanwhile")
    again = process_delivery(delivery_id=delivery.pk)
    assert again.attempts == 1
    assert luna().full_name == "Edited meanwhile"


def test_an_older_delivery_processed_late_does_not_overwrite_a_newer_state(webhook_only):
    now = timezone.now()
    older = fixture_json("webhook_members_pledge_create.json")  # charged 20 Nov
    newer = fixture_json("webhook_members_update_empty_tiers.json")  # charged 1 Dec
    deliver(json.dumps(newer).encode(), event="members:update", received_at=now)
    late = deliver(
        json.dumps(older).encode(), event="members:pledge:create", received_at=now + timedelta(1)
    )
    assert late.status == WebhookDelivery.Status.PROCESSED
    assert luna().last_charge_date == datetime(2026, 12, 1, 8, 0, 12, tzinfo=UTC)


def test_without_date_hints_the_later_received_state_wins(webhook_only):
    now = timezone.now()
    first = fixture_json("webhook_members_pledge_create.json")
    second = json.loads(json.dumps(first))
    second["data"]["attributes"]["full_name"] = "Luna S."
    deliver(json.dumps(second).encode(), event="members:update", received_at=now)
    # Received earlier, processed later (a reprocess): older, so not applied.
    deliver(json.dumps(first).encode(), event="members:update", received_at=now - timedelta(1))
    assert luna().full_name == "Luna S."


# --- with a creator token: the API is the truth -----------------------------------------------


@responses.activate
def test_with_a_token_the_member_is_re_read_from_the_api(patreon):
    responses.get(MEMBER_URL, json=fixture_json("api_member_get.json"))
    # The payload says Dreamer (3.00) with an empty list; the API says Backstage (10.00).
    delivery = deliver("webhook_members_update_empty_tiers.json", event="members:update")
    assert delivery.status == WebhookDelivery.Status.PROCESSED
    supporter = luna()
    assert tier_ids(supporter) == {"9512103"}
    assert supporter.currently_entitled_amount_cents == 1000
    request = responses.calls[0].request
    assert request.headers["Authorization"] == "Bearer creator-access-AAAA1111"
    assert "currently_entitled_tiers" in request.params["include"]
    assert "patron_status" in request.params["fields[member]"]
    assert request.params["fields[tier]"] == "title,amount_cents,published,url"


@responses.activate
def test_with_a_token_a_member_patreon_no_longer_has_lapses(patreon):
    deliver_without_api = fixture_bytes("webhook_members_pledge_create.json")
    responses.get(MEMBER_URL, json=fixture_json("api_member_get.json"))
    deliver(deliver_without_api, event="members:pledge:create")
    responses.replace(
        responses.GET,
        MEMBER_URL,
        status=404,
        json={"errors": [{"code_name": "ResourceMissing", "status": "404", "detail": "gone"}]},
    )
    delivery = deliver("webhook_members_pledge_delete_former.json", event="members:delete")
    assert delivery.status == WebhookDelivery.Status.PROCESSED
    supporter = luna()
    assert supporter.patron_status == "former_patron"
    assert tier_ids(supporter) == set()


@responses.activate
def test_a_failed_delivery_keeps_its_error_and_can_be_reprocessed(patreon):
    responses.get(MEMBER_URL, status=503, body="Service Unavailable")
    delivery = deliver("webhook_members_pledge_create.json", event="members:pledge:create")
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "503" in delivery.error
    assert not Supporter.objects.exists()

    responses.replace(responses.GET, MEMBER_URL, json=fixture_json("api_member_get.json"))
    assert reprocess(deliveries=WebhookDelivery.objects.all()) == 1
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PROCESSED
    assert delivery.error == ""
    assert delivery.attempts == 2
    assert luna().currently_entitled_amount_cents == 1000


def test_reprocess_leaves_processed_deliveries_alone(webhook_only):
    delivery = deliver("webhook_members_pledge_create.json", event="members:pledge:create")
    assert reprocess(deliveries=WebhookDelivery.objects.filter(pk=delivery.pk)) == 0


@responses.activate
def test_the_task_queue_path_processes_a_posted_delivery(
    client, patreon, monkeypatch, django_capture_on_commit_callbacks
):
    from django_q.conf import Conf

    from patreon_sync.conftest import post_delivery

    monkeypatch.setattr(Conf, "SYNC", True)  # run the queued task in-process
    responses.get(MEMBER_URL, json=fixture_json("api_member_get.json"))
    body = fixture_bytes("webhook_members_pledge_create.json")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_delivery(client, body, event="members:pledge:create")
    assert response.status_code == 200
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PROCESSED
    assert luna().currently_entitled_amount_cents == 1000
    assert hashlib.sha256(b"members:pledge:create\n" + body).hexdigest() == (
        WebhookDelivery.objects.get().fingerprint
    )


def test_an_unexpected_crash_is_recorded_on_the_delivery(webhook_only, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("patreon_sync.supporters.webhooks.supporters_upsert", crash)
    delivery = deliver("webhook_members_pledge_create.json", event="members:pledge:create")
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.error == "Unexpected error (RuntimeError); see the server log."


def test_done_deliveries_are_pruned_after_the_retention_failed_ones_stay(webhook_only):
    from django_q.models import Schedule

    from patreon_sync.supporters.webhooks import DELIVERY_RETENTION
    from patreon_sync.tasks import PRUNE_SCHEDULE_NAME, prune_webhook_deliveries

    old = timezone.now() - DELIVERY_RETENTION - timedelta(hours=1)
    deliver("webhook_members_pledge_create.json", event="members:pledge:create")
    deliver("webhook_posts_publish.json", event="posts:publish")
    failed = deliver(b"not json", event="members:update")
    recent = deliver("webhook_portal_test.json", event="members:pledge:create")
    WebhookDelivery.objects.exclude(pk=recent.pk).update(received_at=old)

    assert prune_webhook_deliveries() == 2
    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {failed.pk, recent.pk}
    assert luna().patron_status == "active_patron"  # the supporter is never pruned
    schedule = Schedule.objects.get(name=PRUNE_SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type) == (
        "patreon_sync.tasks.prune_webhook_deliveries",
        "D",
    )
