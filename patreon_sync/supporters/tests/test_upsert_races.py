"""The one upsert under concurrent writers: sync_patrons and a webhook delivery inserting the
same new member at once, on separate database connections (real threads, real commits).

The interleaving is forced, not hoped for: the first writer is stopped right after it read the
stored supporters and before it writes (its BEGIN on SQLite, its INSERT on MariaDB), while the
other writer runs to its commit on its own connection; then the first writer goes on.
"""

import re
import threading

import pytest
import responses
from django.db import connection
from django.utils import timezone

from patreon_sync.client import PatreonClient
from patreon_sync.conftest import (
    API,
    CAMPAIGN,
    LUNA,
    fixture_bytes,
    fixture_json,
    member_resource,
    members_page,
)
from patreon_sync.models import Supporter, SyncRun, Tier, WebhookDelivery
from patreon_sync.supporters.sync import sync_campaign
from patreon_sync.supporters.webhooks import process_delivery, store_delivery
from patreon_sync.tokens import creator_client

pytestmark = pytest.mark.django_db(transaction=True)

CAMPAIGN_URL = f"{API}/api/oauth2/v2/campaigns/{CAMPAIGN}"
MEMBERS_URL = f"{CAMPAIGN_URL}/members"
MEMBER_URL = f"{API}/api/oauth2/v2/members/{LUNA}"


def stored_rows_read(table: str, key: str) -> re.Pattern:
    """The upsert's read of the stored rows for the ids it is given."""
    return re.compile(rf"FROM [`\"]{table}[`\"] WHERE [`\"]{table}[`\"]\.[`\"]{key}[`\"] IN", re.I)


def first_write(table: str) -> re.Pattern:
    return re.compile(rf"^\s*(BEGIN|INSERT INTO [`\"]{table}[`\"])", re.I)


def after_reading(other_writer, *, table="patreon_sync_supporter", key="patreon_member_id"):
    """An execute wrapper for this thread's connection: once the upsert has read the stored
    rows, `other_writer` runs to completion in another thread (its own connection) before
    this thread writes anything. Once only."""
    read, write = stored_rows_read(table, key), first_write(table)
    state = {"read": False, "done": False, "errors": []}

    def run_other_writer():
        try:
            other_writer()
        except Exception as exc:  # reported by the test, not lost in the thread
            state["errors"].append(exc)
        finally:
            connection.close()

    def wrapper(execute, sql, params, many, context):
        if not state["done"]:
            if read.search(sql):
                state["read"] = True
            elif state["read"] and write.match(sql):
                state["done"] = True
                thread = threading.Thread(target=run_other_writer)
                thread.start()
                thread.join(30)
                assert not thread.is_alive(), "the other writer did not finish"
        return execute(sql, params, many, context)

    return wrapper, state


def serve_patreon():
    """The campaign lists Luna (new here) and Alice; Luna's own record says a later charge."""
    responses.get(CAMPAIGN_URL, json=fixture_json("api_campaign_with_tiers.json"))
    luna = member_resource(LUNA, name="Luna Sparrow", cents=300, user_id="88555402")
    alice = member_resource("a1", name="Alice")
    responses.get(MEMBERS_URL, json=members_page([luna, alice]))
    responses.get(MEMBER_URL, json=fixture_json("api_member_get.json"))


def luna_delivery() -> WebhookDelivery:
    delivery, _ = store_delivery(
        event="members:pledge:create",
        body=fixture_bytes("webhook_members_pledge_create.json"),
        received_at=timezone.now(),
    )
    return delivery


def run_sync() -> SyncRun:
    run, _summary = sync_campaign(api=creator_client(), progress=lambda line: None)
    return run


@responses.activate
def test_sync_that_meets_a_webhooks_insert_of_the_same_new_member_completes(patreon):
    serve_patreon()
    delivery = luna_delivery()
    wrapper, state = after_reading(lambda: process_delivery(delivery_id=delivery.pk))

    with connection.execute_wrapper(wrapper):
        run = run_sync()

    assert state["done"] and state["errors"] == []
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PROCESSED  # the webhook inserted Luna first
    assert run.complete and run.error == ""
    assert (run.members, run.created, run.lapsed) == (2, 1, 0)  # Alice new; Luna re-read
    assert Supporter.objects.filter(patreon_member_id=LUNA).count() == 1
    luna = Supporter.objects.get(patreon_member_id=LUNA)
    # The sync's own page was the last API read applied: its state stands, tiers linked once.
    assert luna.currently_entitled_amount_cents == 300
    assert [tier.patreon_id for tier in luna.tiers.all()] == ["9512023"]
    assert Supporter.objects.count() == 2


@responses.activate
def test_a_delivery_that_meets_the_syncs_insert_of_the_same_new_member_is_applied(patreon):
    serve_patreon()
    delivery = luna_delivery()
    runs = []
    wrapper, state = after_reading(lambda: runs.append(run_sync()))

    with connection.execute_wrapper(wrapper):
        processed = process_delivery(delivery_id=delivery.pk)

    assert state["done"] and state["errors"] == []
    assert runs[0].complete and runs[0].created == 2  # the sync inserted Luna first
    assert processed.status == WebhookDelivery.Status.PROCESSED
    assert processed.error == ""
    assert Supporter.objects.filter(patreon_member_id=LUNA).count() == 1
    luna = Supporter.objects.get(patreon_member_id=LUNA)
    # The delivery's re-read from the API (a later charge, a higher tier) came last and stands.
    assert luna.currently_entitled_amount_cents == 1000
    assert Supporter.objects.count() == 2


@responses.activate
def test_sync_that_meets_a_webhooks_insert_of_a_new_tier_completes(patreon):
    serve_patreon()
    delivery = luna_delivery()
    wrapper, state = after_reading(
        lambda: process_delivery(delivery_id=delivery.pk),
        table="patreon_sync_tier",
        key="patreon_id",
    )

    with connection.execute_wrapper(wrapper):
        run = run_sync()

    assert state["done"] and state["errors"] == []
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PROCESSED
    assert run.complete and run.error == ""
    assert Tier.objects.filter(patreon_id="9512023").count() == 1
    assert set(Tier.objects.values_list("title", flat=True)) == {"Free", "Dreamer", "Backstage"}


class CreatorToken:
    """The sync's token when the settings have none (webhook-only setup): no renewal needed."""

    def current(self) -> str:
        return "creator-access-AAAA1111"

    def renew(self, *, rejected: str) -> str:
        raise AssertionError("no renewal expected")


@responses.activate
def test_a_payload_that_meets_a_newer_inserted_state_is_not_applied_over_it(webhook_only):
    """Without a creator token the delivery's payload is used; after the conflict it is compared
    with what the sync stored, like any payload, and an older one changes nothing."""
    responses.get(CAMPAIGN_URL, json=fixture_json("api_campaign_with_tiers.json"))
    charged_later = member_resource(
        LUNA, cents=1000, tiers=("9512103",), last_charge_date="2026-12-01T08:00:12.000+00:00"
    )
    responses.get(MEMBERS_URL, json=members_page([charged_later]))
    delivery = luna_delivery()  # charged 2026-11-20, 300 cents
    runs = []

    def sync_with_its_own_token():
        run, _ = sync_campaign(api=PatreonClient(CreatorToken()), progress=lambda line: None)
        runs.append(run)

    wrapper, state = after_reading(sync_with_its_own_token)
    with connection.execute_wrapper(wrapper):
        processed = process_delivery(delivery_id=delivery.pk)

    assert state["done"] and state["errors"] == []
    assert runs[0].complete and runs[0].created == 1
    assert processed.status == WebhookDelivery.Status.PROCESSED
    luna = Supporter.objects.get(patreon_member_id=LUNA)
    assert luna.currently_entitled_amount_cents == 1000
    assert [tier.patreon_id for tier in luna.tiers.all()] == ["9512103"]
