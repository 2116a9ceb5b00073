"""Staff with an Italian browser, or who chose Italian, read the admin in Italian: none of our
English is left on the screens checked here. A screen, once translated, joins SCREENS."""

import re

import pytest
from playwright.sync_api import expect

from tdc.tests.browser.helpers import sign_in
from tdc.tests.browser.untranslated import english_left_on, page_text

ITALIAN_BROWSER = pytest.mark.parametrize("page", ["it-IT"], indirect=True)

# (path, heading): every admin screen translated so far, looked at in Italian.
SCREENS = [
    ("/admin/", "Eventi e integrazioni"),
]
# Our English that a screen above still shows because it comes from a file not translated yet
# (path: messages). A message that is gone fails the test until it is removed from here; the
# pass that translates every screen leaves this empty.
STILL_IN_ENGLISH = {
    "/admin/": ["Integrations"],  # "Integrations health": templates/admin/integrations/
}


@ITALIAN_BROWSER
def test_an_italian_browser_gets_the_login_page_in_italian(page):
    page.goto("/admin/login/?next=/admin/")

    expect(page).to_have_title("Accedi | Amministrazione TDC")
    expect(page.get_by_label("Nome utente")).to_be_visible()
    expect(page.get_by_role("button", name="Accedi")).to_be_visible()
    expect(page.get_by_label("Lingua")).to_have_value("it")
    assert english_left_on(page) == []


@ITALIAN_BROWSER
@pytest.mark.parametrize(("path", "heading"), SCREENS)
def test_an_italian_browser_gets_the_admin_in_italian(page, staff, path, heading):
    sign_in_in_italian(page, staff)
    page.goto(path)

    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "it")
    assert english_left_on(page) == STILL_IN_ENGLISH.get(path, [])


@ITALIAN_BROWSER
def test_in_italian_the_event_form_shows_and_sets_times_without_seconds(page, staff, make_event):
    event = make_event()  # Sat 5 Dec 2026, 21:00 in Rome
    sign_in_in_italian(page, staff)
    page.goto(f"/admin/events/event/{event.pk}/change/")

    start_date, start_time = page.locator("#id_start_time_0"), page.locator("#id_start_time_1")
    expect(start_date).to_have_value("05/12/2026")
    expect(start_time).to_have_value("21:00")
    # The admin's "Now" shortcut writes the time in the first input format too.
    page.locator("#id_start_time_1 ~ .datetimeshortcuts a", has_text="Adesso").click()
    expect(start_time).to_have_value(re.compile(r"^\d\d:\d\d$"))


def test_staff_switch_to_italian_and_the_admin_stays_italian(page, staff):
    sign_in(page, staff)
    expect(page.locator("h1")).to_have_text("Events and integrations")

    page.get_by_label("Language").select_option("it")
    page.get_by_role("button", name="Change", exact=True).click()

    expect(page.locator("h1")).to_have_text("Eventi e integrazioni")
    assert page.url.endswith("/admin/")
    page.goto("/admin/password_change/")  # another page, the same choice
    expect(page.get_by_label("Lingua")).to_have_value("it")
    expect(page.locator("h1")).to_have_text("Cambio password")

    page.get_by_label("Lingua").select_option("en")
    page.get_by_role("button", name="Cambia", exact=True).click()
    expect(page.get_by_label("Language")).to_have_value("en")
    expect(page).to_have_url(re.compile(r"/admin/password_change/$"))


def test_the_check_finds_english_left_on_a_page(page):
    # An English page is full of our English: the check must see it, or it proves nothing.
    page.goto("/admin/login/")

    assert "TDC admin" in page_text(page)
    assert "TDC admin" in english_left_on(page)
    assert "Language" in english_left_on(page)


def sign_in_in_italian(page, user) -> None:
    from tdc.tests.browser.helpers import STAFF_PASSWORD

    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Nome utente").fill(user.get_username())
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/admin/")
