"""Staff read the admin in their browser's language, or in the one they pick with the switch."""

import pytest
from django.conf import settings

SWITCH = 'action="/i18n/setlang/"'


@pytest.mark.parametrize("accept_language", ["it", "it-IT,it;q=0.9,en;q=0.5", "it-CH"])
def test_an_italian_browser_gets_the_admin_login_in_italian(client, accept_language):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert '<html lang="it"' in page
    assert "<title>Accedi | Amministrazione TDC</title>" in page
    assert "Nome utente" in page


@pytest.mark.parametrize("accept_language", ["de-DE,de;q=0.9", "fr", "zz", "", "*"])
def test_any_other_browser_language_gets_english(client, accept_language):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert '<html lang="en"' in page
    assert "<title>Log in | TDC admin</title>" in page


def test_the_admin_index_is_in_italian_for_an_italian_browser(staff_client):
    page = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "Eventi e integrazioni" in page
    assert "Events and integrations" not in page
    assert "Coda delle attività" in page  # django-q2's section
    assert "Task queue" not in page


def test_the_login_page_offers_the_switch_with_each_language_named_in_itself(client):
    page = client.get("/admin/login/?next=/admin/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert SWITCH in page
    assert '<option value="en" lang="en">English</option>' in page
    assert '<option value="it" lang="it" selected>Italiano</option>' in page
    assert '<input type="hidden" name="next" value="/admin/login/?next=/admin/">' in page
    assert '<label for="language-switch-language">Lingua</label>' in page
    assert ">Cambia</button>" in page


@pytest.mark.parametrize("path", ["/admin/", "/admin/events/event/", "/admin/password_change/"])
def test_every_signed_in_admin_page_offers_the_switch_once(staff_client, path):
    page = staff_client.get(path).content.decode()
    assert page.count(SWITCH) == 1
    assert '<option value="en" lang="en" selected>English</option>' in page


def test_the_chosen_language_is_remembered_over_the_browsers(client):
    response = client.post("/i18n/setlang/", {"language": "it", "next": "/admin/login/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "it"
    assert cookie["max-age"] == 365 * 24 * 60 * 60  # kept after the browser closes
    assert cookie["samesite"] == "Lax"
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en").content.decode()
    assert '<html lang="it"' in page

    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/login/"})
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert '<html lang="en"' in page


def test_a_language_we_do_not_offer_gets_english(client):
    # Django remembers any language it knows, but the site answers only in the ones it offers.
    client.post("/i18n/setlang/", {"language": "de", "next": "/admin/login/"})

    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="en"' in page


@pytest.mark.parametrize(
    "language", ["xx", "", "it' OR 1=1", "<script>", "i" * 10_000, "it\x00", "../../etc"]
)
def test_a_language_that_is_no_language_is_not_remembered(client, language):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/admin/login/"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in page


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)", ""]
)
def test_the_switch_never_leads_off_this_site(client, next_url):
    response = client.post("/i18n/setlang/", {"language": "it", "next": next_url})

    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert not response["Location"].startswith("javascript")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "it"


def test_the_switch_needs_the_pages_csrf_token(client):
    client = type(client)(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "it", "next": "/admin/login/"})

    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_language_is_chosen_after_the_session_and_before_the_urls_are_resolved():
    # Django's documented order: LocaleMiddleware after SessionMiddleware, before CommonMiddleware.
    order = settings.MIDDLEWARE
    locale = order.index("django.middleware.locale.LocaleMiddleware")
    assert order.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < order.index("django.middleware.common.CommonMiddleware")
