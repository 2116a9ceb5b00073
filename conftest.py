"""Fixtures shared by every app's tests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from events.models import Artist, Event, Location
from events.services import event_set_artists

UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def settings_language_afterwards():
    """Each test starts in the settings' language: a request in Italian (LocaleMiddleware
    activates the browser's language) leaves it active in the test's thread otherwise."""
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def private_key_pem() -> str:
    """One RSA key (PKCS#8 PEM) per test run, for the fake service-account files."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture
def location(db):
    return Location.objects.create(name="Main Stage", region="Dreamers Cave", x=128, y=64, z=22)


@pytest.fixture
def make_event(db, location):
    """Create an event; defaults are a public, scheduled 90-minute gig with one artist."""

    def make(**fields):
        artists = fields.pop("artists", None)
        start = fields.pop("start_time", datetime(2026, 12, 5, 20, 0, tzinfo=UTC))
        values = {
            "title": "Luna Sparrow Live",
            "event_type": Event.EventType.LIVE_SINGER,
            "start_time": start,
            "end_time": start + timedelta(minutes=90),
            "location": location,
            "audience": Event.Audience.PUBLIC,
            "status": Event.Status.SCHEDULED,
            **fields,
        }
        event = Event.objects.create(**values)
        if artists is None:
            artists = [Artist.objects.get_or_create(name="Luna Sparrow")[0]]
        else:
            artists = [Artist.objects.get_or_create(name=name)[0] for name in artists]
        event_set_artists(event=event, artists=artists)
        return event

    return make


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="staff", email="staff@example.org", password="pw-for-tests"
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
