"""One date and time style per language, 24-hour and without seconds (tdc/formats/)."""

from datetime import datetime

import pytest
from django.utils import formats, translation

ITALIAN = {"HTTP_ACCEPT_LANGUAGE": "it"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
FORMATS = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "TIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
]


@pytest.fixture
def event(make_event):
    return make_event()  # Sat 5 Dec 2026, 20:00 UTC: 21:00 in Rome


def test_in_italian_the_event_form_shows_the_start_without_seconds(staff_client, event):
    page = staff_client.get(f"/admin/events/event/{event.pk}/change/", **ITALIAN).content.decode()

    assert 'name="start_time_0" value="05/12/2026"' in page
    assert 'name="start_time_1" value="21:00"' in page
    assert 'name="end_time_1" value="22:30"' in page
    assert "21:00:00" not in page


def test_in_english_the_event_form_is_as_before(staff_client, event):
    page = staff_client.get(f"/admin/events/event/{event.pk}/change/", **ENGLISH).content.decode()

    assert 'name="start_time_0" value="2026-12-05"' in page
    assert 'name="start_time_1" value="21:00"' in page
    assert "21:00:00" not in page


def test_in_italian_the_event_form_takes_a_time_without_seconds(staff_client, event, location):
    # What the Italian form shows is what it accepts back.
    page = staff_client.get(f"/admin/events/event/{event.pk}/change/", **ITALIAN)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in ("title", "event_type", "audience", "status")}
    data.update(
        {
            "start_time_0": "06/12/2026",
            "start_time_1": "22:15",
            "end_time_0": "06/12/2026",
            "end_time_1": "23:45",
            "location": location.pk,
        }
    )
    bound = type(form)(data=data, instance=event)
    bound.is_valid()

    assert bound.cleaned_data["start_time"].isoformat() == "2026-12-06T22:15:00+01:00"
    assert bound.cleaned_data["end_time"].isoformat() == "2026-12-06T23:45:00+01:00"


def test_in_italian_the_event_list_shows_dates_the_italian_way(staff_client, event):
    page = staff_client.get("/admin/events/event/", **ITALIAN).content.decode()

    assert "Sab 5 Dic 2026, 21:00 CET" in page
    assert "Sat 5 Dec" not in page


def test_in_english_the_event_list_is_as_before(staff_client, event):
    page = staff_client.get("/admin/events/event/", **ENGLISH).content.decode()

    assert "Sat 5 Dec 2026, 21:00 CET" in page


@pytest.mark.parametrize(
    ("language", "long_date", "long_date_and_time"),
    [
        ("it", "Mar 1 Dic 2026", "Mar 1 Dic 2026, 22:17"),
        ("en", "Tue 1 Dec 2026", "Tue 1 Dec 2026, 22:17"),
    ],
)
def test_each_language_has_one_style_for_dates_and_times(language, long_date, long_date_and_time):
    moment = datetime(2026, 12, 1, 22, 17, 45)
    with translation.override(language):
        shown = {name: formats.date_format(moment, name) for name in FORMATS}

    assert shown == {
        "DATE_FORMAT": long_date,
        "DATETIME_FORMAT": long_date_and_time,
        "TIME_FORMAT": "22:17",
        "SHORT_DATE_FORMAT": "01/12/2026",
        "SHORT_DATETIME_FORMAT": "01/12/2026 22:17",
    }
