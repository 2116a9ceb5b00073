import html
import json
import re

import pytest
from django.urls import reverse

from events.models import Event


def og(content: str, prop: str) -> str:
    match = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)">', content)
    assert match, f"no {prop}"
    return html.unescape(match.group(1))


def test_the_public_page_carries_open_graph_tags_for_the_link_preview(client, make_event, facebook):
    event = make_event(
        title="Luna Sparrow Live", description="Songs under the stars.", artists=["Luna Sparrow"]
    )
    url = reverse("events:public", args=[event.pk])
    assert url == f"/events/{event.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert og(page, "og:title") == "Luna Sparrow Live"
    assert og(page, "og:url") == f"https://tdc.example.org/events/{event.pk}/"
    assert og(page, "og:type") == "website"
    # The start, in SLT and in the venue's zone, leads the description Facebook shows.
    assert og(page, "og:description") == (
        "Sat 5 Dec 2026, 12:00 SLT (21:00 CET) · Luna Sparrow. Songs under the stars."
    )
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    assert data["@type"] == "Event"
    assert data["startDate"] == "2026-12-05T21:00:00+01:00"
    assert (
        data["location"]["url"]
        == "https://maps.secondlife.com/secondlife/Dreamers%20Cave/128/64/22"
    )
    assert "og:image" not in page
    # The visible time is SLT, not the server's zone, with the venue's time beside it.
    assert "Sat 5 Dec 2026, 12:00 SLT" in page
    assert "21:00 CET in Italy" in page


def test_the_poster_is_the_preview_image(client, make_event, facebook, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    event = make_event(poster="posters/2026/12/luna.jpg")
    page = client.get(reverse("events:public", args=[event.pk])).content.decode()
    assert og(page, "og:image") == "https://tdc.example.org/media/posters/2026/12/luna.jpg"
    assert "og:image:width" not in page  # the file is not there to measure: no size, no error


def test_the_posters_size_is_given_so_the_first_share_shows_it(
    client, make_event, facebook, tmp_path, settings
):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "posters").mkdir()
    Image.new("RGB", (1200, 630)).save(tmp_path / "posters" / "wide.png")
    event = make_event(poster="posters/wide.png")
    page = client.get(reverse("events:public", args=[event.pk])).content.decode()
    assert og(page, "og:image") == "https://tdc.example.org/media/posters/wide.png"
    assert (og(page, "og:image:width"), og(page, "og:image:height")) == ("1200", "630")


def test_titles_with_quotes_and_accents_are_escaped(client, make_event, facebook):
    event = make_event(title='Notte "magica" <è>', title_it="Notte magica")
    page = client.get(reverse("events:public", args=[event.pk])).content.decode()
    assert og(page, "og:title") == 'Notte "magica" <è>'
    assert "<è>" not in page


@pytest.mark.parametrize(
    "fields",
    [
        {"audience": Event.Audience.STAFF},
        {"status": Event.Status.DRAFT},
        {"audience": Event.Audience.STAFF, "status": Event.Status.CANCELLED},
    ],
)
def test_drafts_and_staff_only_events_are_not_found(client, make_event, fields):
    event = make_event(**fields)
    assert client.get(reverse("events:public", args=[event.pk])).status_code == 404


def test_a_cancelled_event_keeps_its_page_and_says_so_in_the_preview(client, make_event, facebook):
    event = make_event(status=Event.Status.CANCELLED, description="Songs under the stars.")
    response = client.get(reverse("events:public", args=[event.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This event has been cancelled." in page
    assert og(page, "og:description").startswith("CANCELLED · Sat 5 Dec 2026, 12:00 SLT")
    assert "EventCancelled" in page
    assert "Add to calendar" not in page


def test_an_unknown_event_is_not_found(client, db):
    assert client.get("/events/999999/").status_code == 404


def test_only_reading_is_allowed(client, make_event):
    event = make_event()
    assert client.post(reverse("events:public", args=[event.pk])).status_code == 405
