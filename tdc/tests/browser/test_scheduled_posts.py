"""Staff approve the announcement plan of two nights at once, then see and change the schedule on
an event's page, in a real browser (the Graph API faked with `responses`; nothing is sent).
"""

from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
import responses
from django.apps import apps
from playwright.sync_api import expect

from events.models import Event, Location
from integrations.facebook.models import AnnouncementMoment, FacebookPost, PostTemplate
from tdc.tests.browser.helpers import sign_in


@pytest.fixture
def facebook(settings):
    settings.FACEBOOK_PAGE_ID = "1122334455"
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = "EAAPageToken-not-real-123"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as graph:
        yield graph


@pytest.fixture
def seeded(transactional_db):
    """The templates and plans `migrate` seeds (a transactional test's flush removed them)."""
    if not PostTemplate.objects.exists():
        import_module("integrations.facebook.migrations.0002_seed_post_templates").seed(apps, None)
    if not AnnouncementMoment.objects.exists():
        import_module("integrations.facebook.migrations.0004_default_plans_and_schedule").seed(
            apps, None
        )


def night(title: str, days: int) -> Event:
    day = datetime.now(UTC) + timedelta(days=days)
    start = day.replace(hour=20, minute=0, second=0, microsecond=0)  # 21:00 in Rome
    return Event.objects.create(
        title=title,
        event_type=Event.EventType.LIVE_SINGER,
        start_time=start,
        end_time=start + timedelta(minutes=90),
        location=Location.objects.get_or_create(name="Main Stage", region="Dreamers Cave")[0],
        audience=Event.Audience.PUBLIC,
        status=Event.Status.SCHEDULED,
    )


def test_staff_approve_the_plan_of_two_nights_and_see_it_on_the_event_page(
    page, staff, facebook, seeded
):
    first = night("Luna Sparrow Live", days=10)
    second = night("Orla Finch Live", days=12)

    sign_in(page, staff)
    page.goto("/admin/events/event/")
    for event in (first, second):
        page.locator(f'input[name="_selected_action"][value="{event.pk}"]').check()
    page.locator('select[name="action"]').select_option(label="Announce on Facebook Page")
    page.get_by_role("button", name="Go").click()

    # Each night's plan: every moment with its time (venue and SLT) and its text.
    plans = page.locator(".facebook-plan")
    expect(plans).to_have_count(2)
    first_plan = page.locator(f"#plan-{first.pk} tbody tr")
    expect(first_plan).to_have_count(3)
    expect(first_plan.nth(0)).to_contain_text("7 days before at 19:00 Europe/Rome")
    expect(first_plan.nth(0)).to_contain_text("SLT")
    expect(first_plan.nth(2)).to_contain_text("15 minutes before the start")
    expect(first_plan.nth(2).locator(".facebook-post-text")).to_contain_text("Luna Sparrow Live")
    assert not FacebookPost.objects.exists()  # nothing before the confirmation

    page.get_by_role("button", name="Schedule the posts on the plan").click()
    expect(page.locator(".messagelist .success")).to_contain_text("6 posts scheduled")
    assert len(facebook.calls) == 0  # scheduled, not sent

    page.goto(f"/admin/events/event/{first.pk}/change/")
    rows = page.locator("#facebook-schedule tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("7 days before at 19:00 Europe/Rome")
    expect(rows.nth(0)).to_contain_text("Scheduled")
    expect(rows.nth(1)).to_contain_text("Luna Sparrow Live")

    # Staff change their mind about the last one.
    rows.nth(2).get_by_role("link", name="Cancel…").click()
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.locator(".messagelist .success")).to_contain_text("cancelled")
    rows = page.locator("#facebook-schedule tbody tr")
    expect(rows.nth(2)).to_contain_text("Cancelled")
    expect(rows.nth(2).get_by_role("link", name="Cancel…")).to_have_count(0)
    assert FacebookPost.objects.filter(status="scheduled").count() == 5
