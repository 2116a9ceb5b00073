"""The external-call log's list costs the same however long the log is, and keeps its day,
week and month navigation."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrations import admin_search
from integrations.models import IntegrationLog

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:integrations_integrationlog_changelist"


def _calls(count: int, *, days_ago: float = 0, service: str = "facebook") -> None:
    when = timezone.now() - timedelta(days=days_ago)
    rows = [
        IntegrationLog(service=service, operation=f"op {n}", outcome=IntegrationLog.Outcome.OK)
        for n in range(count)
    ]
    IntegrationLog.objects.bulk_create(rows)
    IntegrationLog.objects.filter(pk__in=[row.pk for row in rows]).update(created_at=when)


def _list_queries(client, **query) -> list[str]:
    client.get(reverse(CHANGELIST), query)  # sessions and permissions are cached from here on
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(CHANGELIST), query).status_code == 200
    return [q["sql"] for q in queries]


def test_the_list_reads_no_months_or_services_from_every_row(staff_client):
    _calls(3, days_ago=40)
    _calls(3, days_ago=2, service="patreon")
    for sql in _list_queries(staff_client):
        assert "DISTINCT" not in sql


def test_the_list_costs_the_same_queries_with_more_calls(staff_client):
    _calls(2)
    few = len(_list_queries(staff_client))
    _calls(30, days_ago=20)
    _calls(30, days_ago=70, service="google_calendar")
    assert len(_list_queries(staff_client)) == few


def test_the_service_filter_offers_every_integration_by_name(staff_client):
    response = staff_client.get(reverse(CHANGELIST))
    spec = next(s for s in response.context["cl"].filter_specs if s.title == "service")
    assert [title for _, title in spec.lookup_choices] == [
        "Google Calendar",
        "Facebook",
        "Patreon",
        "Staff notices",
    ]


def test_staff_can_still_look_at_today_or_the_past_week(staff_client):
    _calls(1, days_ago=0)
    _calls(2, days_ago=3)
    _calls(4, days_ago=20)
    response = staff_client.get(reverse(CHANGELIST))
    spec = next(s for s in response.context["cl"].filter_specs if s.title == "created at")
    links = {
        choice["display"]: choice["query_string"] for choice in spec.choices(response.context["cl"])
    }
    counts = {
        label: staff_client.get(reverse(CHANGELIST) + links[label]).context["cl"].result_count
        for label in ("Today", "Past 7 days")
    }
    assert counts["Today"] == 1
    assert counts["Past 7 days"] == 3


def _found(client, words: str) -> list[str]:
    response = client.get(reverse(CHANGELIST), {"q": words})
    return [call.target for call in response.context["cl"].result_list]


def test_a_search_finds_calls_by_their_error_or_address_newest_first(staff_client):
    def call(target: str, error: str = "", days_ago: float = 0) -> None:
        row = IntegrationLog.objects.create(
            service="facebook", operation="page.post", target=target, error=error
        )
        IntegrationLog.objects.filter(pk=row.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )

    call("https://graph.example/older", error="The service timed out.", days_ago=3)
    call("https://graph.example/newer", error="The service timed out.", days_ago=1)
    call("https://graph.example/posts/1234_5678")
    call("https://graph.example/ok")
    assert _found(staff_client, "timed out") == [
        "https://graph.example/newer",
        "https://graph.example/older",
    ]
    assert _found(staff_client, "1234_5678") == ["https://graph.example/posts/1234_5678"]


def test_a_search_reads_the_log_once_then_only_its_page(staff_client):
    _calls(3)
    IntegrationLog.objects.create(service="facebook", operation="page.post", error="Timed out.")
    searches = [sql for sql in _list_queries(staff_client, q="timed out") if " LIKE " in sql]
    # One read of the log finds the matches (their count, and their order by time); the page's
    # rows are then read by their keys.
    assert len(searches) == 2
    reads_everything, page = searches
    assert "COUNT(" not in reads_everything and not re.search(
        r'\.["`]id["`] IN \(', reads_everything
    )
    assert re.search(r'\.["`]id["`] IN \(', page)
    if connection.vendor == "mysql":  # a caseless comparison that costs a third of the table's
        assert "COLLATE utf8mb4_general_ci LIKE" in reads_everything
    for sql in searches:
        assert "DISTINCT" not in sql


def _matching_calls(count: int) -> None:
    """`count` calls whose address says "graph", the newest first, and one that does not."""
    now = timezone.now()
    rows = [
        IntegrationLog(
            service="facebook",
            operation=f"op {n % 7}",
            target=f"https://graph.example/{n}",
            duration_ms=(n * 37) % 11,
            outcome=IntegrationLog.Outcome.OK,
        )
        for n in range(count)
    ]
    rows.append(IntegrationLog(service="facebook", operation="op", target="https://other.example/"))
    IntegrationLog.objects.bulk_create(rows)
    for n, row in enumerate(rows[:-1]):
        row.created_at = now - timedelta(minutes=n)
    IntegrationLog.objects.bulk_update(rows[:-1], ["created_at"])


def _search_page(client, **query):
    response = client.get(reverse(CHANGELIST), {"q": "graph", **query})
    assert response.status_code == 200
    return response.context["cl"]


def test_a_search_pages_through_its_matches_newest_first(staff_client):
    _matching_calls(150)
    first, second = _search_page(staff_client), _search_page(staff_client, p=2)
    assert first.result_count == second.result_count == 150
    shown = [call.target for call in [*first.result_list, *second.result_list]]
    assert shown == [f"https://graph.example/{n}" for n in range(150)]
    assert "150 results" in staff_client.get(reverse(CHANGELIST), {"q": "graph"}).content.decode()


def test_a_search_keeps_the_order_staff_chose(staff_client):
    _matching_calls(30)
    everything = IntegrationLog.objects.filter(target__contains="graph")
    by_duration = _search_page(staff_client, o="5")  # duration, shortest first
    assert [c.pk for c in by_duration.result_list] == list(
        everything.order_by("duration_ms", "-pk").values_list("pk", flat=True)
    )
    by_operation = _search_page(staff_client, o="-2")  # text: the database's own order
    assert [c.pk for c in by_operation.result_list] == list(
        everything.order_by("-operation", "-pk").values_list("pk", flat=True)
    )


def test_a_search_past_its_last_page_is_refused_plainly(staff_client):
    _matching_calls(150)
    response = staff_client.get(reverse(CHANGELIST), {"q": "graph", "p": "9"})
    assert response.status_code == 302 and "e=1" in response["Location"]


def test_a_search_ignores_case(staff_client):
    IntegrationLog.objects.create(
        service="facebook",
        operation="page.post",
        target="https://graph.example/Page",
        error="Timed out.",
    )
    assert _found(staff_client, "TIMED OUT") == ["https://graph.example/Page"]
    assert _found(staff_client, "/page") == ["https://graph.example/Page"]


def test_a_search_matching_more_calls_than_it_reads_at_once_still_counts_them_newest_first(
    staff_client, monkeypatch
):
    monkeypatch.setattr(admin_search, "MATCHES_READ_AT_ONCE", 3)
    for days_ago in (5, 1, 3, 2, 4):
        row = IntegrationLog.objects.create(
            service="facebook", operation="page.post", target=f"https://graph.example/{days_ago}"
        )
        IntegrationLog.objects.filter(pk=row.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    response = staff_client.get(reverse(CHANGELIST), {"q": "graph"})
    assert response.context["cl"].result_count == 5
    assert [call.target[-1] for call in response.context["cl"].result_list] == list("12345")
