"""The staff's daily screens on a 1366 x 768 laptop: every column of the events list (the
Google Calendar and Facebook ones included) and of the post log fits, with the demo data in.
"""

import re
from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from events.demo import load_demo_data
from integrations.facebook.models import PostTemplate

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def demo(transactional_db, settings):
    # Configured, so the Google Calendar column shows each calendar's state, not "not configured".
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = "/nonexistent/service-account.json"
    settings.GOOGLE_CALENDAR_INTERNAL_ID = "staff-cal@group.calendar.google.com"
    settings.GOOGLE_CALENDAR_PUBLIC_ID = "public-cal@group.calendar.google.com"
    if not PostTemplate.objects.exists():  # a transactional test's flush removed migrate's seed
        seeding = import_module("integrations.facebook.migrations.0002_seed_post_templates")
        seeding.seed(apps, None)
    load_demo_data()


def overflow(page) -> dict:
    """How far the results table reaches past its container and the window (0: it fits)."""
    return page.evaluate(
        """() => {
            const table = document.querySelector('#result_list');
            const box = table.closest('.results') || table.parentElement;
            return {
                table: Math.max(0, table.scrollWidth - box.clientWidth),
                page: Math.max(0, document.documentElement.scrollWidth - window.innerWidth),
            };
        }"""
    )


@pytest.mark.parametrize(
    "path",
    ["/admin/events/event/", "/admin/events/event/?when=all", "/admin/facebook/facebookpost/"],
)
def test_the_list_fits_a_1366_px_screen(signed_in, demo, path):
    page = signed_in
    page.set_viewport_size(LAPTOP)
    page.goto(path)
    expect(page.locator("#result_list tbody tr").first).to_be_visible()
    assert overflow(page) == {"table": 0, "page": 0}


def test_the_events_list_shows_the_calendar_and_facebook_columns(signed_in, demo):
    page = signed_in
    page.set_viewport_size(LAPTOP)
    page.goto("/admin/events/event/")
    headers = [h.casefold() for h in page.locator("#result_list thead th").all_inner_texts()]
    assert any("google calendar" in h for h in headers)
    assert any("facebook page" in h for h in headers)
    expect(page.locator("#result_list td.field-google_calendar_state").first).to_contain_text(
        "synced"
    )


def test_the_post_logs_error_is_readable_without_scrolling(signed_in, demo):
    page = signed_in
    page.set_viewport_size(LAPTOP)
    page.goto("/admin/facebook/facebookpost/?status__exact=failed")
    error = page.locator("#result_list td.field-outcome").first
    expect(error).to_contain_text("Community Standards")
    box = error.bounding_box()
    assert box["x"] + box["width"] <= LAPTOP["width"]


def test_admin_and_public_pages_load_without_a_single_404(signed_in, demo):
    page = signed_in
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    public = ("/", "/events/", "/events/past/", "/supporters/")
    for path in ("/admin/", "/admin/events/event/", "/admin/events/event/add/", *public):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert missing == []
    icon = page.locator('link[rel="icon"]')
    assert page.request.get(icon.get_attribute("href")).ok


def test_take_me_back_is_a_button_beside_the_confirm_button(signed_in, demo, settings):
    settings.FACEBOOK_PAGE_ID = "1122334455"
    settings.FACEBOOK_PAGE_ACCESS_TOKEN = "EAAPageToken-not-real-123"
    page = signed_in
    page.set_viewport_size(LAPTOP)
    page.goto("/admin/events/event/")
    page.locator('#result_list input[name="_selected_action"]').nth(3).check()
    page.locator('select[name="action"]').select_option(label="Announce on Facebook Page")
    page.get_by_role("button", name="Go").click()
    confirm = page.get_by_role("button", name="Yes, post to the Facebook Page")
    back = page.get_by_role("link", name="No, take me back")
    expect(back).to_be_visible()
    # Measured once the page has its styles and fonts, not while it is still coming in.
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    yes, no = confirm.bounding_box(), back.bounding_box()
    assert abs(yes["y"] - no["y"]) < 4 and abs(yes["height"] - no["height"]) < 4, (yes, no)
    assert yes["x"] + yes["width"] < no["x"] < yes["x"] + yes["width"] + 40, (yes, no)
    background = back.evaluate("a => getComputedStyle(a).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    back.click()
    expect(page).to_have_url(re.compile(r"/admin/events/event/$"))
