"""What staff do every week, in a real browser against the real app, with Google, Facebook and
Patreon faked at their HTTP seams (a local endpoint for Google, `responses` for the Graph API).
"""

import json
import re
from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
import responses
from playwright.sync_api import expect

from events.models import Event, Location
from integrations.facebook.models import FacebookPost, PostTemplate
from integrations.google_calendar import client as calendar_client
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.tests.fake_calendar_api import FakeCalendarApi
from integrations.models import IntegrationLog
from tdc.tests.browser.helpers import run_queued_tasks, sign_in

INTERNAL = "staff-cal@group.calendar.google.com"
PUBLIC = "public-cal@group.calendar.google.com"
PAGE_ID = "1122334455"
PAGE_TOKEN = "EAAPageToken-not-real-123"
GRAPH = "https://graph.facebook.com"


@pytest.fixture
def google(settings, tmp_path, private_key_pem):
    pem = private_key_pem
    with FakeCalendarApi({INTERNAL: "TDC staff", PUBLIC: "The Dreamer's Cave"}) as google:
        credentials = tmp_path / "service-account.json"
        credentials.write_text(
            json.dumps(
                {
                    "type": "service_account",
                    "project_id": "tdc-venue",
                    "private_key_id": "0123456789abcdef",
                    "private_key": pem,
                    "client_email": "tdc-sync@tdc-venue.iam.gserviceaccount.com",
                    "client_id": "1234567890",
                    "token_uri": f"{google.url}/token",
                }
            )
        )
        settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(credentials)
        settings.GOOGLE_CALENDAR_INTERNAL_ID = INTERNAL
        settings.GOOGLE_CALENDAR_PUBLIC_ID = PUBLIC
        # The API root with its service path, as https://www.googleapis.com/calendar/v3/ is.
        settings.GOOGLE_CALENDAR_API_ENDPOINT = f"{google.url}/calendar/v3/"
        calendar_client.forget_credentials()
        yield google
        calendar_client.forget_credentials()


@pytest.fixture
def facebook(settings):
    settings.FACEBOOK_PAGE_ID = PAGE_ID
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = PAGE_TOKEN
    settings.FACEBOOK_APP_ID = "4455"
    settings.FACEBOOK_APP_SECRET = "app-secret-not-real"
    settings.FACEBOOK_GRAPH_VERSION = "v24.0"
    settings.FACEBOOK_GRAPH_URL = GRAPH
    with responses.RequestsMock(assert_all_requests_are_fired=False) as graph:
        yield graph


@pytest.fixture
def stage(transactional_db):
    return Location.objects.create(name="Main Stage", region="Dreamers Cave", x=128, y=64, z=22)


def upcoming(stage, title: str, days: int) -> Event:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return Event.objects.create(
        title=title,
        event_type=Event.EventType.LIVE_SINGER,
        start_time=start,
        end_time=start + timedelta(minutes=90),
        location=stage,
        audience=Event.Audience.PUBLIC,
        status=Event.Status.SCHEDULED,
    )


def test_a_new_event_shows_waiting_then_synced_on_both_calendars(page, staff, stage, google):
    sign_in(page, staff)
    page.goto("/admin/events/event/add/")
    page.get_by_label("Title (English):").fill("Luna Sparrow Live")
    page.get_by_label("Location:").select_option(label="Main Stage")
    page.locator("#id_start_time_0").fill("2026-12-05")
    page.locator("#id_start_time_1").fill("21:00:00")
    page.locator("#id_end_time_0").fill("2026-12-05")
    page.locator("#id_end_time_1").fill("22:30:00")
    page.get_by_label("Status:").select_option(value=Event.Status.SCHEDULED)
    page.get_by_label("Audience:").select_option(value=Event.Audience.PUBLIC)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist .success")).to_contain_text("Luna Sparrow Live")
    row = page.locator("#result_list tr", has_text="Luna Sparrow Live")
    expect(row).to_contain_text("waiting")
    assert google.requests == []  # saving only queued the sync

    run_queued_tasks()  # the task worker's turn
    page.reload()
    row = page.locator("#result_list tr", has_text="Luna Sparrow Live")
    expect(row).not_to_contain_text("waiting")
    expect(row.locator("td.field-google_calendar_state")).to_contain_text("synced")
    assert set(CalendarEntry.objects.values_list("state", flat=True)) == {"synced"}
    inserted = [path for method, path in google.requests if method == "POST" and "events" in path]
    assert len(inserted) == 2  # one insert per calendar, nothing else


@pytest.fixture
def post_templates(transactional_db):
    """The templates `migrate` seeds (a transactional test's flush removed them)."""
    from django.apps import apps

    seeding = import_module("integrations.facebook.migrations.0002_seed_post_templates")
    if not PostTemplate.objects.exists():
        seeding.seed(apps, None)


def test_two_events_are_announced_on_the_page_through_the_confirmation_page(
    page, staff, stage, facebook, post_templates
):
    first = upcoming(stage, "Luna Sparrow Live", days=3)
    second = upcoming(stage, "DJ Aurora Night", days=5)
    upcoming(stage, "Not this one", days=6)
    for number in (1, 2):  # Graph answers each feed POST with the new post's id
        facebook.post(f"{GRAPH}/v24.0/{PAGE_ID}/feed", json={"id": f"{PAGE_ID}_90{number}"})
    facebook.get(
        re.compile(rf"{GRAPH}/v24\.0/{PAGE_ID}_90\d"),
        json={"permalink_url": "https://www.facebook.com/TDC/posts/901"},
    )

    sign_in(page, staff)
    page.goto("/admin/events/event/")
    for event in (first, second):
        page.locator(f'input[name="_selected_action"][value="{event.pk}"]').check()
    page.locator('select[name="action"]').select_option(label="Announce on Facebook Page")
    page.get_by_role("button", name="Go").click()

    # The confirmation page shows exactly what goes out, for those two only.
    expect(page.locator("h1")).to_have_text("Announce on the Facebook Page?")
    previews = page.locator("fieldset.facebook-preview")
    expect(previews).to_have_count(2)
    expect(previews.nth(0).locator(".facebook-post-text")).to_contain_text("Luna Sparrow Live")
    expect(page.get_by_text("Not this one")).to_have_count(0)
    assert FacebookPost.objects.count() == 0  # nothing goes out before the confirmation

    page.get_by_role("button", name="Yes, post to the Facebook Page").click()
    expect(page.locator(".messagelist .success")).to_contain_text("2 posts queued")
    run_queued_tasks()

    page.goto("/admin/facebook/facebookpost/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    for title in ("Luna Sparrow Live", "DJ Aurora Night"):
        row = page.locator("#result_list tbody tr", has_text=title)
        expect(row).to_contain_text("Posted")
        expect(row.get_by_role("link").last).to_have_attribute("href", re.compile("facebook.com"))
    sent = [call.request for call in facebook.calls if call.request.method == "POST"]
    assert len(sent) == 2  # one post per confirmed event, no more
    assert {post.remote_id for post in FacebookPost.objects.all()} == {
        f"{PAGE_ID}_901",
        f"{PAGE_ID}_902",
    }
    logged = IntegrationLog.objects.filter(service="facebook")
    assert logged.exists()
    assert not any(PAGE_TOKEN in entry.target + entry.error for entry in logged)


def test_the_integrations_page_warns_about_a_broken_page_token(page, staff, facebook):
    facebook.get(
        re.compile(rf"{GRAPH}/v24\.0/debug_token"),
        json={
            "data": {
                "type": "PAGE",
                "is_valid": False,
                "profile_id": PAGE_ID,
                "error": {"code": 190, "message": "Error validating access token."},
            }
        },
    )
    sign_in(page, staff)
    page.goto("/admin/integrations/health/")
    facebook_box = page.locator("#integration-facebook")
    facebook_box.get_by_role("button", name="Check the Page token").click()

    expect(page.locator(".messagelist .error").first).to_contain_text("Renew the Page token")
    facebook_box = page.locator("#integration-facebook")
    expect(facebook_box).to_have_attribute("data-state", "attention")
    expect(facebook_box.locator("h2 .state")).to_have_text("needs attention")
    expect(facebook_box.locator("td.token")).to_contain_text("does not work")
    expect(facebook_box.locator("td.token")).to_have_class(re.compile("token-bad"))
    # The button's answer stays beside it once the message is gone.
    page.reload()
    answer = page.locator("#button-facebook-test_connection .last-answer")
    expect(answer).to_contain_text("Renew the Page token")
    expect(answer).to_have_class(re.compile("answer-bad"))
    # And the admin index says so, for staff who never open the integrations page.
    page.goto("/admin/")
    expect(page.locator("#integrations-summary")).to_contain_text("1 needs attention: Facebook")
