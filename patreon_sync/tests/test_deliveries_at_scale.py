"""Webhook deliveries in the admin and on the integrations page: costs that do not grow with
the 90 days of deliveries kept."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from patreon_sync.models import WebhookDelivery
from patreon_sync.status import integration_status
from patreon_sync.supporters.webhooks import MEMBER_TRIGGERS

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:patreon_sync_webhookdelivery_changelist"
Status = WebhookDelivery.Status


def _deliveries(count: int, *, event="members:update", status=Status.PROCESSED, days_ago=0.0):
    start = WebhookDelivery.objects.count()
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            received_at=timezone.now() - timedelta(days=days_ago),
            event=event,
            body=b"{}",
            fingerprint=hashlib.sha256(f"{event}{start + n}".encode()).hexdigest(),
            status=status,
        )
        for n in range(count)
    )


def _list_queries(client, **query) -> list[str]:
    client.get(reverse(CHANGELIST), query)  # sessions and permissions are cached from here on
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(CHANGELIST), query).status_code == 200
    return [q["sql"] for q in queries]


def test_the_list_reads_no_months_or_triggers_from_every_row(staff_client):
    _deliveries(2, days_ago=40)
    _deliveries(2, event="members:pledge:create", days_ago=1)
    for sql in _list_queries(staff_client):
        assert "DISTINCT" not in sql


def test_the_list_costs_the_same_queries_with_more_deliveries(staff_client):
    _deliveries(2)
    few = len(_list_queries(staff_client))
    _deliveries(30, days_ago=30)
    _deliveries(30, event="members:pledge:delete", status=Status.FAILED, days_ago=60)
    assert len(_list_queries(staff_client)) == few


def test_the_trigger_filter_offers_each_member_trigger_and_the_others(staff_client):
    _deliveries(1, event="members:create")
    _deliveries(2, event="posts:publish")
    response = staff_client.get(reverse(CHANGELIST))
    spec = next(s for s in response.context["cl"].filter_specs if s.title == "trigger")
    assert [value for value, _ in spec.lookup_choices] == [*sorted(MEMBER_TRIGGERS), "other"]
    other = staff_client.get(reverse(CHANGELIST), {"event": "other"}).context["cl"]
    assert {d.event for d in other.result_list} == {"posts:publish"}
    one = staff_client.get(reverse(CHANGELIST), {"event": "members:create"}).context["cl"]
    assert {d.event for d in one.result_list} == {"members:create"}


def test_staff_can_still_look_at_the_past_week(staff_client):
    _deliveries(2, days_ago=3)
    _deliveries(5, days_ago=20)
    response = staff_client.get(reverse(CHANGELIST))
    spec = next(s for s in response.context["cl"].filter_specs if s.title == "received at")
    links = {c["display"]: c["query_string"] for c in spec.choices(response.context["cl"])}
    week = staff_client.get(reverse(CHANGELIST) + links["Past 7 days"]).context["cl"]
    assert week.result_count == 2


def test_waiting_deliveries_are_counted_through_the_status_and_time_index():
    indexes = {tuple(index.fields) for index in WebhookDelivery._meta.indexes}
    assert ("status", "received_at") in indexes
    _deliveries(40, days_ago=5)
    _deliveries(1, status=Status.RECEIVED, days_ago=1)
    status = integration_status()
    assert status.waiting == 1
    assert any("qcluster" in problem for problem in status.problems)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan format")
def test_the_stuck_deliveries_query_reads_only_waiting_ones():
    stuck = WebhookDelivery.objects.filter(
        status=Status.RECEIVED, received_at__lt=timezone.now()
    ).values("pk")[:1]
    plan = stuck.explain()
    assert "delivery_status_time (status=? AND received_at<?)" in plan


def test_a_search_finds_a_members_deliveries_by_their_whole_id_or_an_errors_words(staff_client):
    _deliveries(3)
    first, second, third = WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True)
    WebhookDelivery.objects.filter(pk__in=[first, second]).update(member_id="b3d2c1a0-member")
    WebhookDelivery.objects.filter(pk=third).update(
        member_id="ffff-other", status=Status.FAILED, error="The body is not a member document."
    )

    def found(words: str) -> set[int]:
        response = staff_client.get(reverse(CHANGELIST), {"q": words})
        return {delivery.pk for delivery in response.context["cl"].result_list}

    assert found("b3d2c1a0-member") == {first, second}
    assert found("b3d2c1a0") == set()  # an id is pasted whole
    assert found("member document") == {third}
    for sql in _list_queries(staff_client, q="b3d2c1a0-member"):
        assert "DISTINCT" not in sql
