"""Errors are recorded in English, once for everyone, and read in each reader's language: the
call log, the integrations page's last error and a button's last answer, and the system checks."""

import pytest
import requests
import responses
from django.core.checks import run_checks
from django.urls import reverse
from django.utils import timezone, translation

from integrations import http
from integrations.in_words import in_words
from integrations.models import ActionOutcome, IntegrationLog
from integrations.notices.channels import SERVICE as STAFF_NOTICES

pytestmark = pytest.mark.django_db

URL = "https://api.example.test/v1/things"
REFUSED_IN_ENGLISH = "Network error: could not reach api.example.test (Connection refused)"
REFUSED_IN_ITALIAN = (
    "Errore di rete: impossibile raggiungere api.example.test (Connessione rifiutata)"
)


@pytest.fixture
def refused_call():
    """A call nothing answered, as the transport records it."""
    with responses.RequestsMock() as mocked:
        mocked.get(
            URL, body=requests.ConnectionError(ConnectionRefusedError(111, "Connection refused"))
        )
        with pytest.raises(http.TransientError):
            http.send(service="google_calendar", operation="things.get", method="GET", url=URL)
    return IntegrationLog.objects.get(outcome=IntegrationLog.Outcome.FAILED)


def test_a_network_error_is_recorded_in_english_whatever_the_language(refused_call):
    with translation.override("it"):
        with responses.RequestsMock() as mocked:
            mocked.get(URL, body=requests.ReadTimeout("read timed out"))
            with pytest.raises(http.TransientError) as error:
                http.send(service="facebook", operation="page", method="GET", url=URL, attempts=1)
    assert refused_call.error == REFUSED_IN_ENGLISH
    assert str(error.value) == "Network error: could not reach api.example.test (no answer in time)"


def test_a_recorded_network_error_reads_in_the_readers_language(refused_call):
    with translation.override("it"):
        assert in_words(refused_call.error) == REFUSED_IN_ITALIAN
        assert in_words("something no one wrote here") == "something no one wrote here"
    with translation.override("en"):
        assert in_words(refused_call.error) == REFUSED_IN_ENGLISH


def test_the_call_log_shows_the_error_in_italian_to_an_italian_reader(staff_client, refused_call):
    changelist = reverse("admin:integrations_integrationlog_changelist")
    page = staff_client.get(changelist, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert REFUSED_IN_ITALIAN in page
    assert "Chiamate esterne" in page or "chiamata esterna" in page
    detail = reverse("admin:integrations_integrationlog_change", args=[refused_call.pk])
    page = staff_client.get(detail, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert REFUSED_IN_ITALIAN in page and "Esito" in page
    english = staff_client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert REFUSED_IN_ENGLISH in english


def test_the_integrations_page_says_the_last_error_and_a_buttons_answer_in_italian(
    staff_client, refused_call
):
    ActionOutcome.objects.create(
        service=STAFF_NOTICES,
        action="test_connection",
        succeeded=False,
        message=f"Failed: {REFUSED_IN_ENGLISH}",
        done_at=timezone.now(),
    )
    page = staff_client.get(
        reverse("admin:integrations_health"), HTTP_ACCEPT_LANGUAGE="it"
    ).content.decode()
    assert f"things.get: {REFUSED_IN_ITALIAN}" in page
    assert f"Non riuscito: {REFUSED_IN_ITALIAN}" in page
    assert "Ultimo successo" in page and "Invia un avviso di prova" in page


def test_the_system_checks_speak_the_language_of_the_moment(settings):
    settings.INTEGRATION_LOG_RETENTION_DAYS = 0
    settings.STAFF_CHAT_WEBHOOK_URL = "http://chat.example.test/hook"
    with translation.override("it"):
        messages = {m.id: m for m in run_checks(tags=["integrations"])}
    assert messages["tdc.E004"].msg.startswith("INTEGRATION_LOG_RETENTION_DAYS vale 0:")
    assert messages["tdc.E005"].hint.startswith("Incolla l'indirizzo del webhook")
