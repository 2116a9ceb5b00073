import re

import pytest
from django.urls import reverse

from events.demo import load_demo_data
from events.models import Event


@pytest.fixture
def demo(db):
    load_demo_data()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:events_event_changelist",
        "admin:events_event_add",
        "admin:events_artist_changelist",
        "admin:events_artist_add",
        "admin:events_location_changelist",
        "admin:events_location_add",
    ],
)
def test_admin_pages_load_for_staff(staff_client, demo, url_name):
    response = staff_client.get(reverse(url_name))
    assert response.status_code == 200


def test_event_list_shows_start_in_venue_zone_and_slt(staff_client, make_event):
    make_event(title="Luna Sparrow Live")  # 2026-12-05 20:00 UTC
    url = reverse("admin:events_event_changelist")
    page = staff_client.get(url, {"when": "all"}).content.decode()
    assert "Sat 5 Dec 2026, 21:00 CET" in page
    assert "Sat 5 Dec 2026, 12:00 SLT" in page  # Second Life names its clock SLT


def test_event_change_page_and_filters_load(staff_client, demo):
    event = Event.objects.first()
    change_url = reverse("admin:events_event_change", args=[event.pk])
    assert staff_client.get(change_url).status_code == 200
    url = reverse("admin:events_event_changelist")
    response = staff_client.get(url, {"status__exact": "scheduled", "q": "Luna"})
    assert response.status_code == 200
    assert "Luna Sparrow Live" in response.content.decode()


def test_admin_form_refuses_an_event_that_ends_before_it_starts(staff_client, location):
    response = staff_client.post(
        reverse("admin:events_event_add"),
        {
            "title": "Backwards",
            "event_type": "dj_set",
            "location": location.pk,
            "audience": "public",
            "status": "draft",
            "start_time_0": "2026-12-05",
            "start_time_1": "21:00",
            "end_time_0": "2026-12-05",
            "end_time_1": "20:00",
            "timezone": "Europe/Rome",
            "artist_links-TOTAL_FORMS": "0",
            "artist_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "The event must end after it starts." in response.content.decode()
    assert not Event.objects.exists()


def test_demo_data_fills_an_empty_database_once(db):
    assert load_demo_data() > 0
    count = Event.objects.count()
    assert load_demo_data() == 0
    assert Event.objects.count() == count
    statuses = set(Event.objects.values_list("status", flat=True))
    assert statuses == {"draft", "scheduled", "cancelled"}
    assert Event.objects.filter(audience="staff").exists()


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(reverse("admin:events_event_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_location_list_links_each_slurl(staff_client, location):
    page = staff_client.get(reverse("admin:events_location_changelist")).content.decode()
    assert f'<a href="{location.slurl}" target="_blank" rel="noopener">' in page


def inline_management_data(client, url) -> dict:
    """Every inline's management form as the page renders it (integrations add inlines)."""
    page = client.get(url).content.decode()
    return dict(re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL)_FORMS)" value="(\d+)"', page))


def event_form(location, **fields):
    return {
        "title": "Sunset Set",
        "event_type": "dj_set",
        "location": location.pk,
        "audience": "public",
        "status": "draft",
        "start_time_0": "2026-12-05",
        "start_time_1": "20:30",
        "end_time_0": "2026-12-05",
        "end_time_1": "22:00",
        "timezone": "Europe/Rome",
        "artist_links-TOTAL_FORMS": "0",
        "artist_links-INITIAL_FORMS": "0",
        **fields,
    }


def test_times_are_entered_in_the_events_own_time_zone(staff_client, location):
    url = reverse("admin:events_event_add")
    response = staff_client.post(
        url,
        {
            **inline_management_data(staff_client, url),
            **event_form(location, timezone="America/Los_Angeles"),
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    # 20:30 in Los Angeles (PST, UTC-8) is 04:30 UTC the next day.
    assert event.start_time.isoformat() == "2026-12-06T04:30:00+00:00"
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert 'value="20:30"' in page.content.decode()


def test_times_default_to_the_venue_zone(staff_client, location):
    url = reverse("admin:events_event_add")
    staff_client.post(url, {**inline_management_data(staff_client, url), **event_form(location)})
    assert Event.objects.get().start_time.isoformat() == "2026-12-05T19:30:00+00:00"


def test_an_artist_added_to_a_line_up_is_billed_last(staff_client, make_event):
    from events.models import Artist

    event = make_event(artists=["Luna Sparrow", "Marco Aurelio"])
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    # The empty "add another" row offers the next place in the line-up.
    assert 'name="artist_links-2-order" value="2"' in page.content.decode()
    assert 'name="artist_links-__prefix__-order" value="2"' in page.content.decode()
    links = list(event.artist_links.all())
    velvet = Artist.objects.create(name="The Velvet Echoes")
    url = reverse("admin:events_event_change", args=[event.pk])
    form = {
        **inline_management_data(staff_client, url),
        "title": event.title,
        "event_type": event.event_type,
        "location": event.location_id,
        "audience": event.audience,
        "status": event.status,
        "start_time_0": "2026-12-05",
        "start_time_1": "21:00",
        "end_time_0": "2026-12-05",
        "end_time_1": "22:30",
        "timezone": "Europe/Rome",
        "artist_links-TOTAL_FORMS": "3",
        "artist_links-INITIAL_FORMS": "2",
        "artist_links-0-id": links[0].pk,
        "artist_links-0-event": event.pk,
        "artist_links-0-order": links[0].order,
        "artist_links-0-artist": links[0].artist_id,
        "artist_links-1-id": links[1].pk,
        "artist_links-1-event": event.pk,
        "artist_links-1-order": links[1].order,
        "artist_links-1-artist": links[1].artist_id,
        "artist_links-2-event": event.pk,
        "artist_links-2-order": "2",
        "artist_links-2-artist": velvet.pk,
    }
    response = staff_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.artist_names == "Luna Sparrow, Marco Aurelio, The Velvet Echoes"


def test_the_when_filter_shows_upcoming_soonest_first_or_the_past(staff_client, make_event):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    make_event(title="Last week", start_time=now - timedelta(days=7))
    make_event(title="Later", start_time=now + timedelta(days=3))
    make_event(title="Tomorrow", start_time=now + timedelta(days=1))
    url = reverse("admin:events_event_changelist")
    upcoming = staff_client.get(url, {"when": "upcoming"}).content.decode()
    assert "Last week" not in upcoming
    assert upcoming.index("Tomorrow") < upcoming.index("Later")
    past = staff_client.get(url, {"when": "past"}).content.decode()
    assert "Last week" in past and "Tomorrow" not in past


def test_the_location_form_shows_the_slurl_it_builds(staff_client, location):
    page = staff_client.get(reverse("admin:events_location_change", args=[location.pk]))
    slurl = "https://maps.secondlife.com/secondlife/Dreamers%20Cave/128/64/22"
    assert slurl in page.content.decode()


# --- the events list opens on what is coming ------------------------------------------------


@pytest.fixture
def past_and_coming(make_event):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    return {
        "past": make_event(title="Last week", start_time=now - timedelta(days=7)),
        "later": make_event(title="Later", start_time=now + timedelta(days=3)),
        "running": make_event(title="Running now", start_time=now - timedelta(minutes=30)),
        "tomorrow": make_event(title="Tomorrow", start_time=now + timedelta(days=1)),
    }


def test_the_events_list_opens_on_upcoming_and_running_soonest_first(staff_client, past_and_coming):
    page = staff_client.get(reverse("admin:events_event_changelist")).content.decode()
    assert "Last week" not in page
    assert page.index("Running now") < page.index("Tomorrow") < page.index("Later")


def test_past_and_all_events_are_one_click_away(staff_client, past_and_coming):
    url = reverse("admin:events_event_changelist")
    page = staff_client.get(url).content.decode()
    assert 'href="?when=past"' in page and 'href="?when=all"' in page
    everything = staff_client.get(url, {"when": "all"}).content.decode()
    assert all(title in everything for title in ("Last week", "Later", "Running now"))
    # All of them newest first, as before.
    assert everything.index("Later") < everything.index("Last week")


def test_a_search_looks_through_past_events_too(staff_client, past_and_coming):
    url = reverse("admin:events_event_changelist")
    assert "Last week" in staff_client.get(url, {"q": "Last week"}).content.decode()


def test_an_action_on_a_ticked_past_event_applies_to_it(staff_client, past_and_coming):
    past = past_and_coming["past"]
    response = staff_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "delete_selected", "_selected_action": [past.pk]},
    )
    page = response.content.decode()
    assert "<title>Delete multiple objects" in page and "Last week" in page


# --- the event form -------------------------------------------------------------------------


def _field_rows(page: str) -> list[str]:
    return re.findall(r'<div class="form-row([^"]*)"', page)


def test_the_english_and_italian_titles_sit_side_by_side(staff_client, db):
    page = staff_client.get(reverse("admin:events_event_add")).content.decode()
    rows = _field_rows(page)
    assert any("field-title" in row and "field-title_it" in row for row in rows)
    first_rows = [row for row in rows if "field-" in row][:3]
    assert "field-description" in first_rows[1] and "field-description_it" in first_rows[2]


def test_the_time_zone_is_picked_from_the_iana_zones_venue_and_slt_first(staff_client, db):
    page = staff_client.get(reverse("admin:events_event_add")).content.decode()
    assert re.search(r'<input[^>]+name="timezone"[^>]+list="id_timezone-choices"', page)
    datalist = page.partition('<datalist id="id_timezone-choices">')[2].partition("</datalist>")[0]
    zones = re.findall(r'<option value="([^"]+)">', datalist)
    assert zones[:2] == ["Europe/Rome", "America/Los_Angeles"]
    assert "Asia/Tokyo" in zones and "localtime" not in zones
    assert len(zones) == len(set(zones)) > 400


def test_a_zone_that_is_not_in_the_list_is_refused(staff_client, location):
    url = reverse("admin:events_event_add")
    form = {**inline_management_data(staff_client, url), **event_form(location)}
    response = staff_client.post(url, {**form, "timezone": "Mars/Olympus_Mons"})
    assert "is not a known time zone" in response.content.decode()
    assert not Event.objects.exists()


def test_the_public_url_explains_itself(staff_client, db):
    page = staff_client.get(reverse("admin:events_event_add")).content.decode()
    help_text = page.partition('id="id_url_helptext"')[2][:600]
    assert "More about this event" in help_text
    assert "the event's own page" in help_text


def test_the_form_links_to_the_events_public_page(staff_client, make_event):
    event = make_event()
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert f'href="/events/{event.pk}/"' in page
    draft = make_event(title="Not yet", status=Event.Status.DRAFT)
    page = staff_client.get(reverse("admin:events_event_change", args=[draft.pk])).content.decode()
    assert f'href="/events/{draft.pk}/"' not in page
    assert "only public, scheduled events have one" in page


def test_a_new_event_shows_no_empty_facebook_posts_table(staff_client, make_event):
    page = staff_client.get(reverse("admin:events_event_add")).content.decode()
    assert 'id="facebook_posts-group"' not in page
    event = make_event()
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert 'id="facebook_posts-group"' in page


def test_in_italian_the_admin_confirms_a_new_event_without_a_wrong_article(
    staff_client, location
):
    # Django's own Italian would say "Il evento"; "evento" and "serie" need no article here.
    response = staff_client.post(
        reverse("admin:events_event_add"),
        {
            "title": "Luna Sparrow Live",
            "event_type": "live_singer",
            "location": location.pk,
            "audience": "public",
            "status": "draft",
            "start_time_0": "05/12/2026",
            "start_time_1": "21:00",
            "end_time_0": "05/12/2026",
            "end_time_1": "22:30",
            "timezone": "Europe/Rome",
            "artist_links-TOTAL_FORMS": "0",
            "artist_links-INITIAL_FORMS": "0",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="it",
    )

    event = Event.objects.get()
    link = f'<a href="{reverse("admin:events_event_change", args=[event.pk])}">{event.title}</a>'
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [f"Aggiunta completata: evento “{link}”."]
