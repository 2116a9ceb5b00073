"""The series admin: friendly choices write the RRULE, the pages show dates and their state,
and skip / end / "Make this a weekly series" work from the admin."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from events.models import Artist, Event, Series
from events.tests.test_admin import inline_management_data

ROME = ZoneInfo("Europe/Rome")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _tomorrow():
    return timezone.now().astimezone(ROME).date() + timedelta(days=1)


def series_form(location, **fields):
    first = _tomorrow()
    return {
        "title": "Friday Deep House",
        "event_type": "dj_set",
        "location": location.pk,
        "audience": "public",
        "status": "published",
        "timezone": "Europe/Rome",
        "start_time": "22:00",
        "duration_minutes": "120",
        "first_date": first.isoformat(),
        "until": "",
        "frequency": "WEEKLY",
        "interval": "1",
        "weekdays": [str(first.weekday())],
        "ordinal": "",
        "month_weekday": "",
        "description": "",
        "title_it": "",
        "description_it": "",
        "artist_links-TOTAL_FORMS": "0",
        "artist_links-INITIAL_FORMS": "0",
        **fields,
    }


@pytest.fixture
def weekly(location):
    first = _tomorrow()
    series = Series.objects.create(
        title="Friday Deep House",
        rule=f"FREQ=WEEKLY;BYDAY={DAY_CODES[first.weekday()]}",
        first_date=first,
        start_time=time(22, 0),
        duration=timedelta(hours=2),
        location=location,
        status=Series.Status.PUBLISHED,
    )
    return series


def test_the_add_form_writes_the_rule_and_creates_the_dates(staff_client, location):
    first = _tomorrow()
    response = staff_client.post(
        reverse("admin:events_series_add"), series_form(location, interval="2")
    )
    assert response.status_code == 302
    series = Series.objects.get()
    assert series.rule == f"FREQ=WEEKLY;INTERVAL=2;BYDAY={DAY_CODES[first.weekday()]}"
    assert series.duration == timedelta(hours=2)
    dates = list(Event.objects.filter(series=series).order_by("series_date"))
    assert [event.series_date for event in dates] == [
        first + timedelta(weeks=2 * n) for n in range(4)
    ]
    assert {event.status for event in dates} == {Event.Status.SCHEDULED}


def test_the_add_form_writes_a_monthly_rule(staff_client, location):
    response = staff_client.post(
        reverse("admin:events_series_add"),
        series_form(location, frequency="MONTHLY", weekdays=[], ordinal="1", month_weekday="5"),
    )
    assert response.status_code == 302
    assert Series.objects.get().rule == "FREQ=MONTHLY;BYDAY=1SA"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"weekdays": []}, "Choose at least one weekday."),
        ({"frequency": "MONTHLY", "weekdays": []}, "Choose which weekday of the month"),
        ({"frequency": "YEARLY"}, "Select a valid choice"),
        ({"weekdays": ["9"]}, "Select a valid choice"),
        ({"interval": "0"}, "greater than or equal to 1"),
        ({"duration_minutes": "0"}, "greater than or equal to 1"),
        ({"timezone": "Mars/Olympus"}, "not a known time zone"),
        ({"until": "2000-01-01"}, "cannot come before the first date"),
    ],
)
def test_the_add_form_refuses_what_it_cannot_use_and_saves_nothing(
    staff_client, location, fields, message
):
    response = staff_client.post(
        reverse("admin:events_series_add"), series_form(location, **fields)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Series.objects.exists()
    assert not Event.objects.exists()


def test_a_rule_the_form_cannot_describe_is_shown_and_never_saved_back(staff_client, weekly):
    Series.objects.filter(pk=weekly.pk).update(rule="FREQ=DAILY")  # as a script might
    url = reverse("admin:events_series_change", args=[weekly.pk])
    page = staff_client.get(url).content.decode()
    assert "FREQ=DAILY" in page and "Choose a rule below to replace it." in page

    form = {
        **series_form(weekly.location, weekdays=[]),
        **inline_management_data(staff_client, url),
    }
    response = staff_client.post(url, form)
    assert response.status_code == 200
    assert "Choose at least one weekday." in response.content.decode()
    weekly.refresh_from_db()
    assert weekly.rule == "FREQ=DAILY"


def test_the_list_shows_each_series_next_date(staff_client, weekly):
    page = staff_client.get(reverse("admin:events_series_changelist")).content.decode()
    night = datetime.combine(_tomorrow(), time(22, 0))
    assert formats.date_format(night, "D j M Y, H:i") in page
    assert "Every week on" in page


def test_the_series_page_lists_dates_with_their_state_and_links(staff_client, weekly):
    first = Event.objects.filter(series=weekly).order_by("start_time").first()
    first.title = "Closing party"
    first.save()
    page = staff_client.get(
        reverse("admin:events_series_change", args=[weekly.pk])
    ).content.decode()
    assert 'id="series-upcoming"' in page
    assert "edited on its own" in page
    assert reverse("admin:events_event_change", args=[first.pk]) in page
    assert reverse("admin:events_series_skip", args=[weekly.pk, first.pk]) in page


def test_skipping_a_date_asks_first_then_cancels_it(staff_client, weekly):
    night = Event.objects.filter(series=weekly).order_by("start_time")[1]
    url = reverse("admin:events_series_skip", args=[weekly.pk, night.pk])

    confirm = staff_client.get(url)
    assert confirm.status_code == 200
    assert "stays cancelled" in confirm.content.decode()
    night.refresh_from_db()
    assert night.status == Event.Status.SCHEDULED

    response = staff_client.post(url)
    assert response.status_code == 302
    night.refresh_from_db()
    assert (night.status, night.edited_on_its_own) == (Event.Status.CANCELLED, True)


def test_ending_a_series_from_the_admin(staff_client, weekly):
    dates = list(Event.objects.filter(series=weekly).order_by("start_time"))
    response = staff_client.post(reverse("admin:events_series_end", args=[weekly.pk, dates[2].pk]))
    assert response.status_code == 302
    weekly.refresh_from_db()
    assert weekly.until == dates[2].series_date
    states = [Event.objects.get(pk=event.pk).status for event in dates]
    assert states[:3] == [Event.Status.SCHEDULED] * 3
    assert set(states[3:]) == {Event.Status.CANCELLED}


@pytest.mark.parametrize("view", ["admin:events_series_skip", "admin:events_series_end"])
def test_a_date_of_another_series_or_a_past_one_is_not_found(
    staff_client, weekly, make_event, view
):
    stranger = make_event()
    assert staff_client.post(reverse(view, args=[weekly.pk, stranger.pk])).status_code == 404
    past = Event.objects.filter(series=weekly).first()
    Event.objects.filter(pk=past.pk).update(
        start_time=timezone.now() - timedelta(days=1), end_time=timezone.now() - timedelta(hours=20)
    )
    assert staff_client.post(reverse(view, args=[weekly.pk, past.pk])).status_code == 404
    assert staff_client.post(reverse(view, args=[999999, past.pk])).status_code == 404


def test_editing_a_date_in_the_event_admin_marks_it_edited_on_its_own(staff_client, weekly):
    night = Event.objects.filter(series=weekly).order_by("start_time")[1]
    url = reverse("admin:events_event_change", args=[night.pk])
    page = staff_client.get(url).content.decode()
    assert reverse("admin:events_series_change", args=[weekly.pk]) in page
    local = night.start_time.astimezone(ROME)
    form = {
        **inline_management_data(staff_client, url),
        "title": "Friday Deep House: guest night",
        "event_type": night.event_type,
        "location": night.location_id,
        "audience": night.audience,
        "status": night.status,
        "timezone": "Europe/Rome",
        "start_time_0": local.date().isoformat(),
        "start_time_1": "22:00",
        "end_time_0": (local + timedelta(hours=2)).date().isoformat(),
        "end_time_1": "00:00",
        "artist_links-TOTAL_FORMS": "0",
    }
    response = staff_client.post(url, form)
    assert response.status_code == 302, re.findall(r"errorlist.{0,300}", response.content.decode())
    night.refresh_from_db()
    assert night.edited_on_its_own is True

    weekly.title = "Friday Techno"
    weekly.save()
    night.refresh_from_db()
    assert night.title == "Friday Deep House: guest night"
    assert Event.objects.filter(series=weekly, title="Friday Techno").count() == 7


def test_make_this_a_weekly_series_from_an_event(staff_client, make_event):
    start = datetime.combine(_tomorrow(), time(21, 30), tzinfo=ROME)
    event = make_event(start_time=start, artists=["Luna Sparrow", "Mia"])
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    add_url = reverse("admin:events_series_add") + f"?from_event={event.pk}"
    assert add_url.replace("&", "&amp;") in page

    form = staff_client.get(add_url).content.decode()
    assert 'value="Luna Sparrow Live"' in form and 'value="21:30"' in form
    assert 'name="duration_minutes" value="90"' in form

    response = staff_client.post(
        add_url,
        series_form(
            event.location, title="Luna Sparrow Live", start_time="21:30", duration_minutes="90"
        ),
    )
    assert response.status_code == 302
    series = Series.objects.get()
    event.refresh_from_db()
    assert (event.series, event.series_date) == (series, _tomorrow())
    assert Event.objects.filter(series=series).count() == 8  # the event is the first of them
    assert [artist.name for artist in series.artists.order_by("series_links__order")] == [
        "Luna Sparrow",
        "Mia",
    ]
    assert {e.artist_names for e in Event.objects.filter(series=series)} == {"Luna Sparrow, Mia"}


@pytest.mark.parametrize("value", ["abc", "999999", "-1", "1 OR 1=1"])
def test_a_bad_from_event_is_ignored(staff_client, location, value):
    url = reverse("admin:events_series_add") + f"?from_event={value}"
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, series_form(location)).status_code == 302


def test_creating_dates_from_the_admin_posts_nothing_to_facebook(staff_client, location):
    from integrations.facebook.models import FacebookPost

    staff_client.post(reverse("admin:events_series_add"), series_form(location))
    assert Event.objects.count() == 8
    assert not FacebookPost.objects.exists()


def test_series_pages_load_for_staff(staff_client, weekly):
    for url in [
        reverse("admin:events_series_changelist"),
        reverse("admin:events_series_add"),
        reverse("admin:events_series_change", args=[weekly.pk]),
    ]:
        assert staff_client.get(url).status_code == 200
    assert Artist.objects.count() == 0


def test_staff_who_may_not_change_events_cannot_skip_a_date(client, django_user_model, weekly):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user(username="clerk", password="pw", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_series", "change_series"])
    )
    client.force_login(clerk)
    night = Event.objects.filter(series=weekly).first()
    response = client.post(reverse("admin:events_series_skip", args=[weekly.pk, night.pk]))
    assert response.status_code == 403
    night.refresh_from_db()
    assert night.status == Event.Status.SCHEDULED
