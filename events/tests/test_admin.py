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
    page = staff_client.get(reverse("admin:events_event_changelist")).content.decode()
    assert "Sat 5 Dec 2026, 21:00 CET" in page
    assert "Sat 5 Dec 2026, 12:00 PST" in page


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
