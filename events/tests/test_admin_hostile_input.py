"""The event admin answers malformed input with form errors, never a server error."""

import pytest
from django.urls import reverse

from events.models import Event, EventArtist
from events.tests.test_admin import event_form, inline_management_data


@pytest.mark.parametrize(
    "artist_id",
    ["abc", "1.5", "-1", "\uff11\uff12", "99999999999999999999999999", "1 OR 1=1", "[1]"],
)
def test_a_malformed_artist_id_is_a_form_error_and_saves_nothing(staff_client, location, artist_id):
    url = reverse("admin:events_event_add")
    form = {
        **inline_management_data(staff_client, url),
        **event_form(location),
        "artist_links-TOTAL_FORMS": "1",
        "artist_links-0-order": "0",
        "artist_links-0-artist": artist_id,
    }
    response = staff_client.post(url, form)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Event.objects.exists()
    assert not EventArtist.objects.exists()


def test_a_malformed_artist_id_on_an_existing_event_leaves_its_line_up(staff_client, make_event):
    event = make_event(artists=["Luna Sparrow"])
    link = event.artist_links.get()
    url = reverse("admin:events_event_change", args=[event.pk])
    form = {
        **inline_management_data(staff_client, url),
        **event_form(event.location, title="Renamed"),
        "artist_links-TOTAL_FORMS": "1",
        "artist_links-INITIAL_FORMS": "1",
        "artist_links-0-id": link.pk,
        "artist_links-0-event": event.pk,
        "artist_links-0-order": "0",
        "artist_links-0-artist": "abc",
    }
    response = staff_client.post(url, form)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Luna Sparrow Live"
    assert event.artist_names == "Luna Sparrow"


def test_a_valid_artist_is_still_shown_selected_when_another_field_is_wrong(staff_client, location):
    from events.models import Artist

    luna = Artist.objects.create(name="Luna Sparrow")
    url = reverse("admin:events_event_add")
    form = {
        **inline_management_data(staff_client, url),
        **event_form(location, title=""),
        "artist_links-TOTAL_FORMS": "1",
        "artist_links-0-order": "0",
        "artist_links-0-artist": luna.pk,
    }
    page = staff_client.post(url, form).content.decode()
    assert f'<option value="{luna.pk}" selected>Luna Sparrow</option>' in page
