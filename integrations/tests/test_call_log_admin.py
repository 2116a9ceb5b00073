"""The external-call log in the admin: listed, filtered by service and outcome, never edited."""

import pytest
from django.urls import reverse

from integrations.call_log import record_call
from integrations.models import IntegrationLog

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:integrations_integrationlog_changelist"


@pytest.fixture
def calls():
    return {
        "calendar_ok": record_call(
            service="google_calendar",
            operation="events.insert",
            method="POST",
            target="https://www.googleapis.com/calendar/v3/calendars/staff/events",
            status_code=200,
            outcome=IntegrationLog.Outcome.OK,
        ),
        "calendar_failed": record_call(
            service="google_calendar",
            operation="events.update",
            method="PUT",
            target="https://www.googleapis.com/calendar/v3/calendars/staff/events/abc",
            status_code=404,
            outcome=IntegrationLog.Outcome.FAILED,
            error="HTTP 404: calendar not found",
        ),
        "facebook_failed": record_call(
            service="facebook",
            operation="page_post",
            method="POST",
            target="https://graph.facebook.com/v24.0/123/feed?access_token=EAAB-page-token",
            status_code=400,
            outcome=IntegrationLog.Outcome.FAILED,
            error="(#190) Error validating access token",
            secrets=["EAAB-page-token"],
        ),
    }


def listed_operations(response) -> set[str]:
    return {entry.operation for entry in response.context["cl"].result_list}


def test_the_log_lists_every_call(staff_client, calls):
    response = staff_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert listed_operations(response) == {"events.insert", "events.update", "page_post"}


def test_the_log_filters_by_service(staff_client, calls):
    response = staff_client.get(reverse(CHANGELIST), {"service": "google_calendar"})
    assert listed_operations(response) == {"events.insert", "events.update"}
    # The filter offers each service that has calls.
    assert b"?service=facebook" in response.content


def test_the_log_filters_by_outcome(staff_client, calls):
    response = staff_client.get(reverse(CHANGELIST), {"outcome__exact": "failed"})
    assert listed_operations(response) == {"events.update", "page_post"}


def test_the_log_filters_by_service_and_outcome_together(staff_client, calls):
    response = staff_client.get(
        reverse(CHANGELIST), {"service": "google_calendar", "outcome__exact": "failed"}
    )
    assert listed_operations(response) == {"events.update"}


def test_a_call_shows_its_detail_with_secrets_redacted(staff_client, calls):
    entry = calls["facebook_failed"]
    response = staff_client.get(
        reverse("admin:integrations_integrationlog_change", args=[entry.pk])
    )
    assert response.status_code == 200
    assert b"Error validating access token" in response.content
    assert b"EAAB-page-token" not in response.content
    assert b"access_token=***" in response.content


def test_the_log_cannot_be_added_to_changed_or_deleted(staff_client, calls):
    entry = calls["calendar_ok"]
    assert staff_client.get(reverse("admin:integrations_integrationlog_add")).status_code == 403
    change = reverse("admin:integrations_integrationlog_change", args=[entry.pk])
    response = staff_client.post(change, {"operation": "forged", "outcome": "ok"})
    assert response.status_code == 403
    delete = reverse("admin:integrations_integrationlog_delete", args=[entry.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.operation == "events.insert"
    assert IntegrationLog.objects.count() == 3


def test_the_log_is_hidden_from_staff_without_permission(client, django_user_model, calls):
    clerk = django_user_model.objects.create_user("clerk", password="pw-for-tests", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse(CHANGELIST)).status_code == 403
