"""The integrations page and the admin index in a real browser, with every service configured
but unreachable: its address is a closed local port, so each call truly fails on the network.
Staff must read *failing* (never *working*) and plain words (never a Python repr)."""

import json

import pytest
from playwright.sync_api import expect

from integrations.google_calendar import client as calendar_client
from tdc.tests.browser.helpers import sign_in

CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens, connections are refused
REFUSED = "could not reach 127.0.0.1 (Connection refused)"
BUTTONS = {
    "google_calendar": "Test the connection",
    "facebook": "Check the Page token",
    "patreon": "Test the connection",
}


@pytest.fixture
def unreachable_services(settings, tmp_path, private_key_pem):
    settings.INTEGRATION_HTTP_ATTEMPTS = 1
    pem = private_key_pem
    credentials = tmp_path / "service-account.json"
    credentials.write_text(
        json.dumps(
            {
                "type": "service_account",
                "private_key": pem,
                "client_email": "tdc-sync@tdc-venue.iam.gserviceaccount.com",
                "token_uri": f"{CLOSED}/token",
            }
        )
    )
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(credentials)
    settings.GOOGLE_CALENDAR_INTERNAL_ID = "staff-cal@group.calendar.google.com"
    settings.GOOGLE_CALENDAR_PUBLIC_ID = "public-cal@group.calendar.google.com"
    settings.GOOGLE_CALENDAR_API_ENDPOINT = f"{CLOSED}/calendar/v3/"
    settings.FACEBOOK_PAGE_ID = "1122334455"
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = "EAAPageToken-not-real-123"
    settings.FACEBOOK_APP_ID = "4455"
    settings.FACEBOOK_APP_SECRET = "app-secret-not-real"
    settings.FACEBOOK_GRAPH_URL = CLOSED
    settings.PATREON_API_URL = CLOSED
    settings.PATREON_CREATOR_ACCESS_TOKEN = "creator-token-not-real-456"
    settings.PATREON_WEBHOOK_SECRET = "webhook-secret-not-real"
    calendar_client.forget_credentials()
    yield
    calendar_client.forget_credentials()


def test_unreachable_services_read_as_failing_in_plain_words(page, staff, unreachable_services):
    sign_in(page, staff)
    page.goto("/admin/integrations/health/")
    for service in BUTTONS:
        box = page.locator(f"#integration-{service}")
        expect(box.locator("h2 .state")).not_to_have_text("working")

    for service, button in BUTTONS.items():
        box = page.locator(f"#integration-{service}")
        box.get_by_role("button", name=button).click()
        page.wait_for_url("**/admin/integrations/health/")
        expect(page.locator(".messagelist .error").first).to_contain_text(REFUSED)
        box = page.locator(f"#integration-{service}")
        expect(box).to_have_attribute("data-state", "failing")
        expect(box.locator("h2 .state")).to_have_text("failing")
        expect(box.locator("td.last-success")).to_have_text("never")
        expect(box.locator("td.last-error")).to_contain_text(REFUSED)

    text = page.locator("#content").inner_text()
    for python in ("Error(", "Exception(", "Traceback"):
        assert python not in text

    page.goto("/admin/")
    summary = page.locator("#integrations-summary")
    expect(summary).to_contain_text("3 need attention: Google Calendar, Facebook, Patreon")
    expect(summary).not_to_contain_text("working")
