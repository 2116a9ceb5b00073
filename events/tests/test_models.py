from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from events.models import Event, Location


def test_an_event_must_end_after_it_starts(make_event):
    event = make_event()
    event.end_time = event.start_time - timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["end_time"] == ["The event must end after it starts."]


def test_the_database_refuses_an_event_ending_before_it_starts(make_event):
    event = make_event()
    with pytest.raises(IntegrityError):
        Event.objects.filter(pk=event.pk).update(end_time=event.start_time)


@pytest.mark.parametrize("name", ["Europe/Atlantis", "europe/rome", "localtime", "Factory"])
def test_an_unknown_time_zone_is_a_form_error(make_event, name):
    event = make_event()
    event.timezone = name
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "not a known time zone" in error.value.message_dict["timezone"][0]


def test_the_time_zone_defaults_to_the_venue_zone(make_event, settings):
    assert make_event().timezone == "Europe/Rome"


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("Dreamers Cave", "Dreamers%20Cave"),
        ("Isola dell'Eco", "Isola%20dell%27Eco"),
        ("Città Perduta", "Citt%C3%A0%20Perduta"),
        ("Rock/Roll & Co?", "Rock%2FRoll%20%26%20Co%3F"),
    ],
)
def test_slurl_escapes_the_region(region, expected):
    location = Location(name="x", region=region, x=10, y=20, z=30)
    assert location.slurl == f"https://maps.secondlife.com/secondlife/{expected}/10/20/30"


def test_a_missing_translation_falls_back_to_english(make_event):
    event = make_event(title="Deep House Night", title_it="", description="Dance!")
    assert event.title_in("it") == "Deep House Night"
    assert event.description_in("it") == "Dance!"
    event.title_it = "Notte deep house"
    assert event.title_in("it") == "Notte deep house"
    assert event.title_in("en") == "Deep House Night"


def test_artists_keep_their_billing_order(make_event):
    event = make_event(artists=["Zed", "Alpha", "Mid"])
    assert event.artist_names == "Zed, Alpha, Mid"


def test_setting_a_line_up_announces_it_to_listeners(make_event):
    from django.db.models.signals import m2m_changed

    from events.models import Artist, EventArtist
    from events.services import event_set_artists

    event = make_event(artists=[])
    heard = []

    def listener(sender, instance, action, pk_set, **kwargs):
        heard.append((sender, instance.pk, action, pk_set))

    m2m_changed.connect(listener, sender=EventArtist)
    try:
        artist = Artist.objects.create(name="DJ Kairos")
        event_set_artists(event=event, artists=[artist])
    finally:
        m2m_changed.disconnect(listener, sender=EventArtist)
    assert heard == [(EventArtist, event.pk, "post_add", {artist.pk})]
