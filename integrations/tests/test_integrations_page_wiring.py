"""The real integrations behind the page: every registered status and button exists, and the
buttons reach the outside world only through each integration's client (faked at HTTP)."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.urls import reverse

from integrations.models import IntegrationLog
from integrations.registry import providers
from integrations.tests.test_integrations_page import section

pytestmark = pytest.mark.django_db

PAGE_ID = "1122334455"
PAGE_TOKEN = "EAAPageToken-not-real-123"


def test_every_integration_registers_its_status_and_buttons_in_app_order():
    assert [provider.service for provider in providers()] == [
        "google_calendar",
        "facebook",
        "patreon",
        "staff_notices",  # the notices about them, after them
    ]
    for provider in providers():
        assert callable(provider.status), provider.service
        for action in provider.actions:
            assert callable(action.function), (provider.service, action.key)


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


PATREON_API = "https://www.patreon.com/api/oauth2/v2"
CREATOR_TOKEN = "creator-token-not-real-456"


@pytest.fixture
def patreon_configured(settings):
    settings.PATREON_API_URL = "https://www.patreon.com"
    settings.PATREON_CREATOR_ACCESS_TOKEN = CREATOR_TOKEN
    settings.PATREON_WEBHOOK_SECRET = "webhook-secret-not-real"
    settings.PATREON_CLIENT_ID = settings.PATREON_CLIENT_SECRET = ""
    settings.PATREON_CREATOR_REFRESH_TOKEN = ""
    return settings


def webhook(*, paused: bool, failures: int) -> dict:
    return {
        "type": "webhook",
        "id": "7788",
        "attributes": {
            "uri": "https://tdc.example.org/api/v1/patreon/webhook",
            "triggers": ["members:pledge:create", "members:pledge:update"],
            "paused": paused,
            "last_attempted_at": "2026-11-24T18:00:00.000+00:00",
            "num_consecutive_times_failed": failures,
        },
    }


def patreon_action(staff_client, key: str) -> str:
    url = reverse("admin:integrations_health_action", args=["patreon", key])
    return staff_client.post(url, follow=True).content.decode()


@responses.activate
def test_staff_see_that_patreon_paused_our_webhook(staff_client, patreon_configured):
    responses.get(f"{PATREON_API}/webhooks", json={"data": [webhook(paused=True, failures=12)]})
    patreon = section(staff_client.get(reverse("admin:integrations_health")), "patreon")
    assert "this page only knows by asking Patreon" in patreon  # before anyone asked
    assert "PAUSED" not in patreon

    html = patreon_action(staff_client, "webhook_state")
    assert "PAUSED, 12 consecutive failures" in html
    assert "Resume the webhook" in html  # offered right there
    # ...and the answer stays on the page, dated, after the message is gone.
    patreon = section(staff_client.get(reverse("admin:integrations_health")), "patreon")
    answer = patreon.split('id="button-patreon-webhook_state"', 1)[1]
    when = r"\w+ \d+ \w+ \d{4}, \d\d:\d\d \w+"  # "Wed 2 Dec 2026, 03:01 CET"
    assert re.search(rf"Last answer, {when} \(staff\): Webhook 7788", answer)
    assert "PAUSED, 12 consecutive failures" in answer


@responses.activate
def test_resuming_the_webhook_asks_patreon_to_unpause_it(staff_client, patreon_configured):
    responses.get(f"{PATREON_API}/webhooks", json={"data": [webhook(paused=True, failures=3)]})
    resume = responses.patch(
        f"{PATREON_API}/webhooks/7788",
        json={"data": webhook(paused=False, failures=0)},
        match=[
            responses.matchers.json_params_matcher(
                {"data": {"id": "7788", "type": "webhook", "attributes": {"paused": False}}}
            ),
            responses.matchers.header_matcher({"Authorization": f"Bearer {CREATOR_TOKEN}"}),
        ],
    )
    html = patreon_action(staff_client, "resume_webhook")
    assert resume.call_count == 1
    assert "Patreon: Resume the webhook: Resumed 1 webhook;" in html
    assert CREATOR_TOKEN not in html


@responses.activate
def test_patreon_connection_test_reports_a_refused_token(staff_client, patreon_configured):
    responses.get(
        re.compile(rf"{PATREON_API}/identity.*"),
        status=401,
        json={"errors": [{"code": 1, "code_name": "Unauthorized", "detail": "token invalid"}]},
    )
    html = patreon_action(staff_client, "test_connection")
    assert "Patreon: Test the connection failed" in html
    assert CREATOR_TOKEN not in html
    assert IntegrationLog.objects.filter(service="patreon", status_code=401).exists()


INTERNAL = "staff-cal@group.calendar.google.com"
PUBLIC = "public-cal@group.calendar.google.com"


@pytest.fixture
def google(settings, tmp_path, private_key_pem):
    """Google faked by a local HTTP endpoint (googleapiclient speaks httplib2, not requests)."""
    from integrations.google_calendar import client as calendar_client
    from integrations.google_calendar.tests.fake_calendar_api import FakeCalendarApi

    pem = private_key_pem
    with FakeCalendarApi({INTERNAL: "TDC staff", PUBLIC: "The Dreamer's Cave"}) as fake:
        credentials = tmp_path / "sa.json"
        credentials.write_text(
            json.dumps(
                {
                    "type": "service_account",
                    "private_key": pem,
                    "client_email": "tdc-sync@tdc-venue.iam.gserviceaccount.com",
                    "token_uri": f"{fake.url}/token",
                }
            )
        )
        settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(credentials)
        settings.GOOGLE_CALENDAR_INTERNAL_ID = INTERNAL
        settings.GOOGLE_CALENDAR_PUBLIC_ID = PUBLIC
        settings.GOOGLE_CALENDAR_API_ENDPOINT = f"{fake.url}/calendar/v3/"
        calendar_client.forget_credentials()
        yield fake
        calendar_client.forget_credentials()


def calendar_action(staff_client, key: str) -> str:
    url = reverse("admin:integrations_health_action", args=["google_calendar", key])
    return staff_client.post(url, follow=True).content.decode()


def test_calendar_connection_test_reads_both_calendars(staff_client, google):
    html = calendar_action(staff_client, "test_connection")
    assert "Google Calendar: Test the connection:" in html
    assert "“TDC staff” is reachable" in html and "“The Dreamer&#x27;s Cave” is reachable" in html
    assert [path for _, path in google.requests if "calendars" in path] == [
        "/calendar/v3/calendars/staff-cal%40group.calendar.google.com",
        "/calendar/v3/calendars/public-cal%40group.calendar.google.com",
    ]


def test_calendar_connection_test_says_to_share_an_unshared_calendar(staff_client, google):
    del google.calendars[PUBLIC]  # Google answers 404 for a calendar it does not share with us
    html = calendar_action(staff_client, "test_connection")
    assert "Google Calendar: Test the connection failed" in html
    assert "tdc-sync@tdc-venue.iam.gserviceaccount.com" in html


def test_retrying_failed_calendar_entries_syncs_them(staff_client, google, make_event):
    from integrations.google_calendar.models import CalendarEntry

    event = make_event(title="Luna Sparrow Live")
    for calendar in (CalendarEntry.Calendar.INTERNAL, CalendarEntry.Calendar.PUBLIC):
        CalendarEntry.objects.create(
            event=event,
            calendar=calendar,
            google_event_id="",
            state=CalendarEntry.State.FAILED,
            last_error="Calendar not shared",
        )
    html = calendar_action(staff_client, "retry_failed")
    assert "Google Calendar: Sync the failed events again: 1 event synced." in html
    assert set(CalendarEntry.objects.values_list("state", flat=True)) == {"synced"}
    assert len(google.events) == 2


def test_only_staff_who_may_change_webhook_deliveries_can_resume_the_webhook(
    client, django_user_model, patreon_configured
):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user("clerk", password="pw-for-tests", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_integrationlog"))
    client.force_login(clerk)
    url = reverse("admin:integrations_health_action", args=["patreon", "resume_webhook"])
    with responses.RequestsMock() as patreon:  # any call to Patreon would fail this test
        assert client.post(url).status_code == 403
        assert len(patreon.calls) == 0


def test_staff_see_only_the_links_they_may_open(client, django_user_model, settings):
    from django.contrib.auth.models import Permission

    settings.FACEBOOK_PAGE_ACCESS_TOKEN = ""
    user = django_user_model.objects.create_user("clerk", password="pw-for-tests", is_staff=True)
    for codename in ("view_integrationlog", "view_event", "change_event"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    html = client.get(reverse("admin:integrations_health")).content.decode()
    hrefs = re.findall(r'<td class="links">(.*?)</td>', html, flags=re.S)
    assert len(hrefs) == 4  # three integrations and the staff notices
    for cell in hrefs:
        for url in re.findall(r'href="([^"]+)"', cell):
            assert client.get(url.replace("&amp;", "&")).status_code == 200, url
    assert "Calendar entries" not in html
    assert "Facebook posts" not in html


def test_an_unconfigured_facebook_says_so_once_after_a_token_check(staff_client, settings):
    from integrations.facebook.actions import page_token_check

    settings.FACEBOOK_PAGE_ACCESS_TOKEN = ""
    page_token_check()  # stored: "Facebook is not configured: set FACEBOOK_PAGE_ACCESS_TOKEN."
    box = section(staff_client.get(reverse("admin:integrations_health")), "facebook")
    assert box.count("<li class=") == 1
    assert box.count("FACEBOOK_PAGE_ACCESS_TOKEN") == 2  # that warning, and the Configured row
    assert 'class="token' not in box
