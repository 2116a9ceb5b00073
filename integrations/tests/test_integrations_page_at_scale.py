"""The integrations page and the admin index (which shows the same health) cost the same
queries whether every integration is quiet or each has something to report."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrations.facebook.models import FacebookPost
from integrations.google_calendar.models import CalendarEntry
from integrations.models import IntegrationLog
from patreon_sync.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def _page_queries(client, page: str) -> int:
    url = reverse(page)
    client.get(url)  # sessions, content types and permissions are cached from here on
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _something_to_report_everywhere(event, user) -> None:
    FacebookPost.objects.create(
        event=event,
        event_title=event.title,
        target=FacebookPost.Target.PAGE,
        message="Tonight!",
        status=FacebookPost.Status.FAILED,
        error_message="Facebook refused the post.",
        created_by=user,
    )
    CalendarEntry.objects.create(
        event=event,
        event_title=event.title,
        calendar=CalendarEntry.Calendar.PUBLIC,
        state=CalendarEntry.State.FAILED,
        last_error="Google refused the event.",
    )
    WebhookDelivery.objects.create(
        received_at=timezone.now() - timedelta(hours=2),
        event="members:update",
        body=b"{}",
        fingerprint="f" * 64,
        status=WebhookDelivery.Status.RECEIVED,
    )
    for service in ("google_calendar", "facebook", "patreon"):
        IntegrationLog.objects.create(
            service=service,
            operation="call",
            outcome=IntegrationLog.Outcome.FAILED,
            error="The service timed out.",
        )


@pytest.mark.parametrize("page", ["admin:integrations_health", "admin:index"])
def test_the_page_costs_the_same_queries_with_failures_to_report(
    staff_client, staff_user, make_event, page
):
    event = make_event(start_time=timezone.now() + timedelta(days=3))
    quiet = _page_queries(staff_client, page)
    _something_to_report_everywhere(event, staff_user)
    reported = staff_client.get(reverse("admin:integrations_health")).content.decode()
    assert "Facebook refused the post." in reported
    assert "Google refused the event." in reported
    assert _page_queries(staff_client, page) == quiet
