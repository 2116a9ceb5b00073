"""The real integrations behind the page: every registered status and button exists, and the
buttons reach the outside world only through each integration's client (faked at HTTP)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.urls import reverse
from django.utils.module_loading import import_string

from integrations.models import IntegrationLog
from integrations.status import status_providers

pytestmark = pytest.mark.django_db

PAGE_ID = "1122334455"
PAGE_TOKEN = "EAAPageToken-not-real-123"


def test_every_registered_status_and_button_exists():
    for provider in status_providers():
        assert callable(import_string(provider.status)), provider.status
        for action in provider.actions:
            assert callable(import_string(action.function)), action.function


def test_the_page_renders_with_the_real_integrations_unconfigured(staff_client, settings):
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = ""
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = ""
    settings.PATREON_CREATOR_ACCESS_TOKEN = ""
    html = staff_client.get(reverse("admin:integrations_health")).content.decode()
    for service in ("google_calendar", "facebook", "patreon"):
        assert re.search(rf'id="integration-{service}" data-state="not-configured"', html)
    assert "FACEBOOK_PAGE_ACCESS_TOKEN" in html


@pytest.fixture
def facebook_configured(settings):
    settings.FACEBOOK_PAGE_ID = PAGE_ID
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = PAGE_TOKEN
    settings.FACEBOOK_APP_ID = "4455"
    settings.FACEBOOK_APP_SECRET = "app-secret-not-real"
    return settings


def debug_token_reply(data: dict) -> None:
    responses.get(re.compile(r"https://graph\.facebook\.com/v\d+\.\d+/debug_token"), json=data)


@responses.activate
def test_checking_an_expired_page_token_shows_the_fix_and_then_the_warning(
    staff_client, facebook_configured
):
    expired = datetime.now(UTC) - timedelta(days=2)
    debug_token_reply(
        {
            "data": {
                "app_id": "4455",
                "type": "PAGE",
                "is_valid": False,
                "expires_at": int(expired.timestamp()),
                "profile_id": PAGE_ID,
                "scopes": ["pages_manage_posts", "pages_read_engagement"],
                "error": {
                    "code": 190,
                    "subcode": 463,
                    "message": "Error validating access token: Session has expired.",
                },
            }
        }
    )
    url = reverse("admin:integrations_health_action", args=["facebook", "test_connection"])
    html = staff_client.post(url, follow=True).content.decode()

    assert "Facebook: Check the Page token failed: The Page token does not work" in html
    assert "Renew the Page token" in html
    assert re.search(r'id="integration-facebook" data-state="attention"', html)
    assert '<td class="token token-bad">' in html
    assert PAGE_TOKEN not in html
    # The check went through the transport: logged, secrets redacted.
    [call] = IntegrationLog.objects.filter(service="facebook")
    assert PAGE_TOKEN not in call.target and "app-secret-not-real" not in call.target


@responses.activate
def test_checking_a_good_page_token_says_until_when(staff_client, facebook_configured):
    expires = datetime.now(UTC) + timedelta(days=50)
    debug_token_reply(
        {
            "data": {
                "type": "PAGE",
                "is_valid": True,
                "expires_at": int(expires.timestamp()),
                "profile_id": PAGE_ID,
                "scopes": ["pages_manage_posts", "pages_read_engagement"],
            }
        }
    )
    url = reverse("admin:integrations_health_action", args=["facebook", "test_connection"])
    html = staff_client.post(url, follow=True).content.decode()
    assert "Facebook: Check the Page token: Page token valid until" in html
    assert re.search(r'<td class="token ">Page token valid until', html)
