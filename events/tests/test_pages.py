"""The public pages: what's on, the programme by month, past events, an event's own page."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from events.models import Event

SLT = ZoneInfo("America/Los_Angeles")


def soon(days: int = 3, hour: int = 20) -> datetime:
    day = timezone.now().astimezone(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def page(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_whats_on_leads_with_the_next_event_then_the_coming_days(client, make_event):
    later = make_event(title="Nox DJ set", start_time=soon(days=5), artists=["Nox"])
    first = make_event(title="Luna Sparrow Live", start_time=soon(days=2))
    make_event(title="Secret draft", status=Event.Status.DRAFT, start_time=soon(days=1))
    make_event(title="Staff meeting", audience=Event.Audience.STAFF, start_time=soon(days=1))
    make_event(title="Called off", status=Event.Status.CANCELLED, start_time=soon(days=1))
    make_event(title="Long gone", start_time=soon(days=-10))
    html = page(client, "/")
    assert html.index("Luna Sparrow Live") < html.index("Nox DJ set")
    for hidden in ("Secret draft", "Staff meeting", "Called off", "Long gone"):
        assert hidden not in html
    slt_start = first.start_time.astimezone(SLT)
    assert f"{slt_start:%H:%M} SLT" in html
    assert f'data-start="{first.start_time.isoformat()}"' in html  # countdown and local time
    assert "https://maps.secondlife.com/secondlife/Dreamers%20Cave/128/64/22" in html
    assert f'href="/events/{later.pk}/"' in html
    later_day = later.start_time.astimezone(SLT)
    with translation.override("en"):
        assert f"{later_day:%A} {later_day.day} {later_day:%B}" in html  # grouped by day
    assert 'href="/events/past/"' in html
    assert 'href="webcal://' in html and '/events.ics"' in html


def test_whats_on_without_events_says_so(client, db):
    assert "No events are scheduled right now" in page(client, "/")


def test_pages_use_no_inline_script(client, make_event):
    event = make_event(start_time=soon())
    for url in ("/", "/events/", "/events/past/", f"/events/{event.pk}/"):
        html = page(client, url)
        scripts = html.split("<script")[1:]
        for script in scripts:
            assert script.startswith(' src="/static/') or script.startswith(
                ' type="application/ld+json"'
            ), url


@pytest.mark.parametrize("url", ["/", "/events/", "/events/past/", "/events/{pk}/"])
def test_pages_cost_the_same_queries_however_many_events(
    client, make_event, django_assert_num_queries, url
):
    event = make_event(start_time=soon(days=1))
    make_event(title="Later", start_time=soon(days=2))
    make_event(title="Earlier", start_time=soon(days=-3))
    url = url.format(pk=event.pk)
    with CaptureQueriesContext(connection) as few:
        page(client, url)
    for n in range(15):
        make_event(title=f"Night {n}", start_time=soon(days=2 + n % 6), artists=[f"A{n}", "B"])
        make_event(title=f"Old {n}", start_time=soon(days=-5 - n))
    with django_assert_num_queries(len(few.captured_queries)):
        page(client, url)


@pytest.mark.parametrize("url", ["/", "/events/", "/events/past/", "/events/{pk}/"])
def test_pages_answer_304_until_the_programme_changes(client, make_event, url):
    event = make_event(start_time=soon())
    url = url.format(pk=event.pk)
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert "public" in first["Cache-Control"] and "s-maxage" in first["Cache-Control"]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304
    Event.objects.filter(pk=event.pk).update(
        title="Renamed", updated_at=timezone.now() + timedelta(seconds=2)
    )
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 200


def test_the_programme_shows_one_month_and_links_the_others(client, make_event):
    now = timezone.now().astimezone(SLT)
    next_month = (datetime(now.year, now.month, 1, tzinfo=UTC) + timedelta(days=32)).replace(
        day=15, hour=20
    )
    month_after = (next_month + timedelta(days=31)).replace(day=15)
    make_event(title="Spring night", start_time=next_month)
    make_event(title="Summer night", start_time=month_after)
    first = page(client, "/events/")  # opens on the first month with events
    assert "Spring night" in first and "Summer night" not in first
    assert f'href="?month={month_after:%Y-%m}"' in first
    later = page(client, f"/events/?month={month_after:%Y-%m}")
    assert "Summer night" in later and "Spring night" not in later
    assert f'href="?month={next_month:%Y-%m}" rel="prev"' in later
    empty = page(client, "/events/?month=2099-01")
    assert "No upcoming events this month." in empty


@pytest.mark.parametrize("month", ["nonsense", "2026-13", "1900-01", "2026-0x", "-"])
def test_a_bad_month_is_not_found_not_an_error(client, db, month):
    assert client.get("/events/", {"month": month}).status_code == 404


def test_past_events_latest_first_and_a_page_at_a_time(client, make_event):
    for n in range(25):
        make_event(title=f"Past night {n:02d}", start_time=soon(days=-1 - n))
    make_event(title="Future night", start_time=soon())
    html = page(client, "/events/past/")
    assert "Future night" not in html
    assert html.index("Past night 00") < html.index("Past night 01")
    assert "Past night 24" not in html
    assert "Past night 24" in page(client, "/events/past/?page=2")
    assert "Past night 00" in page(client, "/events/past/?page=nonsense")


def test_the_event_page_offers_calendar_links_and_other_events(client, make_event):
    event = make_event(start_time=soon(), description="Songs under the stars.")
    other = make_event(title="Nox DJ set", start_time=soon(days=6))
    html = page(client, f"/events/{event.pk}/")
    assert f'href="/events/{event.pk}.ics"' in html
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in html
    span = "/".join(
        moment.strftime("%Y%m%dT%H%M%SZ") for moment in (event.start_time, event.end_time)
    )
    assert span.replace("/", "%2F") in html
    assert f'href="/events/{other.pk}/"' in html
    assert " in Italy" in html  # the venue's clock, beside SLT


def test_the_event_page_shows_the_pages_language_first(client, make_event):
    event = make_event(
        start_time=soon(),
        title="Night under the stars",
        title_it="Notte sotto le stelle",
        description="In English.",
        description_it="In italiano.",
    )
    english = page(client, f"/events/{event.pk}/", accept_language="en").split("<main")[1]
    assert english.index("In English.") < english.index("In italiano.")
    italian = page(client, f"/events/{event.pk}/", accept_language="it").split("<main")[1]
    assert italian.index("In italiano.") < italian.index("In English.")
    assert '<h1 id="event-title" lang="it">Notte sotto le stelle</h1>' in italian


def test_staff_content_is_escaped_everywhere(client, make_event):
    event = make_event(
        start_time=soon(),
        title="<script>alert(1)</script>",
        description="<img src=x onerror=alert(1)>",
        artists=["<b>Bold</b>"],
    )
    for url in ("/", "/events/", f"/events/{event.pk}/"):
        html = page(client, url)
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html
        assert "<b>Bold</b>" not in html


def test_the_supporters_pages_share_the_public_base(client, db):
    html = page(client, "/supporters/")
    assert "/static/events/site.css" in html
    assert 'href="/"' in html  # back to what's on


def test_a_304_keeps_the_cache_headers_a_cdn_needs(client, make_event):
    event = make_event(start_time=soon())
    first = client.get(f"/events/{event.pk}/")
    again = client.get(f"/events/{event.pk}/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == first["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    [
        "/events/99999999999999999999/",
        "/events/99999999999999999999.ics",
        "/events/staff/%00.ics",
        "/events/staff/' OR 1=1 --.ics",
        "/events/?month=%00",
    ],
)
def test_hostile_addresses_are_not_found_never_an_error(client, db, url):
    assert client.get(url).status_code == 404


# --- the language, and the caches in between ----------------------------------------------------

PUBLIC_PAGES = ["/", "/events/", "/events/past/", "/events/{pk}/"]
PAGE_CACHE_CONTROL = "public, max-age=60, s-maxage=300, stale-while-revalidate=60"


def vary(response) -> set[str]:
    return {name.strip().casefold() for name in response["Vary"].split(",")}


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_cached_page_varies_on_the_language_cookie_and_the_browsers_language(
    client, make_event, url
):
    # The language comes from the switch's cookie, else Accept-Language: a CDN must key on both.
    url = url.format(pk=make_event(start_time=soon()).pk)
    first = client.get(url, headers={"accept-language": "it"})
    again = client.get(url, headers={"accept-language": "it", "if-none-match": first["ETag"]})

    assert again.status_code == 304
    for response in (first, again):
        assert {"cookie", "accept-language"} <= vary(response)
        assert response["Cache-Control"] == PAGE_CACHE_CONTROL


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_cached_page_sets_no_cookie_and_holds_no_csrf_token(client, make_event, url):
    # Whatever a CDN keeps is served to everybody: nothing of one visitor's may be in it.
    url = url.format(pk=make_event(start_time=soon()).pk)
    client.cookies["django_language"] = "it"

    response = client.get(url)

    assert response.status_code == 200
    assert response.cookies == {}
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_chosen_language_wins_over_the_browsers_and_has_its_own_etag(client, make_event):
    event = make_event(
        start_time=soon(), title="Night under the stars", title_it="Notte sotto le stelle"
    )
    url = f"/events/{event.pk}/"
    english = client.get(url, headers={"accept-language": "en"})
    client.cookies["django_language"] = "it"

    italian = client.get(url, headers={"accept-language": "en", "if-none-match": english["ETag"]})

    assert italian.status_code == 200  # not the English copy's 304
    assert italian["Content-Language"] == "it"
    assert '<h1 id="event-title" lang="it">Notte sotto le stelle</h1>' in italian.content.decode()
    assert italian["ETag"] != english["ETag"]
