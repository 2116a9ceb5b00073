"""Staff sign in to the admin in a real browser and find the integrations page."""

import re

from playwright.sync_api import expect

from tdc.tests.browser.helpers import sign_in


def test_staff_sign_in_and_see_the_admin_index(page, staff):
    sign_in(page, staff)
    expect(page).to_have_title(re.compile("TDC admin"))
    expect(page.locator("#site-name")).to_have_text("The Dreamer's Cave")
    expect(page.get_by_role("link", name="Events", exact=True).first).to_be_visible()


def test_a_wrong_password_is_refused(page, staff):
    sign_in_url = "/admin/login/?next=/admin/"
    page.goto(sign_in_url)
    page.get_by_label("Username").fill(staff.get_username())
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errornote")).to_contain_text("correct username and password")
    assert "/admin/login/" in page.url


def test_the_admin_index_leads_to_the_integrations_page(signed_in):
    page = signed_in
    page.locator("#integrations-summary").get_by_role("link", name="Integrations health").click()
    expect(page).to_have_url(re.compile(r"/admin/integrations/health/$"))
    expect(page.locator("h1")).to_have_text("Integrations")
    for name in ("Google Calendar", "Facebook", "Patreon"):
        expect(page.locator(".integration h2", has_text=name)).to_be_visible()
