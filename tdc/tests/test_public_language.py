"""The audience reads the public pages in their browser's language, or in the one they pick with
the pages' own switch: a token-free form (the pages are cached by CDNs) posting to Django's
set_language through /language/. The admin's switch is in test_language.py."""

import pytest
from django.conf import settings

COOKIE = settings.LANGUAGE_COOKIE_NAME
SWITCH = '<form class="language-switch" action="/language/" method="post"'


@pytest.fixture
def event(make_event):
    return make_event(title="Night under the stars", title_it="Notte sotto le stelle")


@pytest.mark.parametrize("url", ["/", "/events/", "/events/past/", "/events/{pk}/", "/supporters/"])
def test_every_public_page_offers_the_switch_once(client, event, url):
    page = client.get(url.format(pk=event.pk)).content.decode()

    assert page.count(SWITCH) == 1


def test_the_switch_names_each_language_in_itself_and_marks_the_current_one(client, event):
    url = f"/events/{event.pk}/?from=facebook"
    page = client.get(url, headers={"accept-language": "it"}).content.decode()

    assert f'<input type="hidden" name="next" value="/events/{event.pk}/?from=facebook">' in page
    assert (
        '<button type="submit" name="language" value="en" lang="en" class="secondary">'
        "English</button>"
    ) in page
    assert (
        '<button type="submit" name="language" value="it" lang="it" aria-current="true">'
        "Italiano</button>"
    ) in page
    assert 'aria-label="Lingua"' in page


def test_pressing_a_language_remembers_it_and_comes_back_to_the_page(client, event):
    page = f"/events/{event.pk}/?from=facebook"

    response = client.post("/language/", {"language": "it", "next": page})

    assert response.status_code == 302
    assert response["Location"] == page
    cookie = response.cookies[COOKIE]
    assert cookie.value == "it"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"
    italian = client.get(page, headers={"accept-language": "en-GB,en"}).content.decode()
    assert '<html lang="it"' in italian
    assert "Notte sotto le stelle</h1>" in italian


def test_the_switch_needs_no_csrf_token(db):
    # The page it sits on is the same for everybody, so it cannot hold a visitor's token.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/language/", {"language": "it", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "it"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "http:/\\evil.example", ""],
)
def test_the_switch_never_leads_off_this_site(client, db, next_url):
    response = client.post("/language/", {"language": "it", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[COOKIE].value == "it"


def test_a_hostile_next_leads_back_to_the_page_the_visitor_came_from(client, db):
    response = client.post(
        "/language/",
        {"language": "it", "next": "https://evil.example/"},
        headers={"referer": "http://testserver/events/past/"},
    )

    assert response["Location"] == "http://testserver/events/past/"


@pytest.mark.parametrize(
    "language", ["de", "xx", "", "it' OR 1=1", "<script>", "i" * 10_000, "it\x00", "../../etc"]
)
def test_a_language_we_do_not_offer_changes_nothing(client, db, language):
    client.post("/language/", {"language": "it", "next": "/"})

    response = client.post("/language/", {"language": language, "next": "/events/"})

    assert response.status_code == 302
    assert response["Location"] == "/events/"
    assert COOKIE not in response.cookies
    assert '<html lang="it"' in client.get("/events/").content.decode()


def test_without_a_language_or_a_next_the_switch_just_goes_home(client, db):
    response = client.post("/language/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert COOKIE not in response.cookies


def test_the_switch_is_a_form_to_post_not_an_address_to_visit(client, db):
    assert client.get("/language/?language=it&next=/").status_code == 405


@pytest.mark.parametrize("browser", ["de-DE,de;q=0.9", "zz", ""])
def test_without_a_choice_another_browser_language_gets_english(client, event, browser):
    page = client.get("/", headers={"accept-language": browser}).content.decode()

    assert '<html lang="en"' in page
    assert 'value="en" lang="en" aria-current="true"' in page
