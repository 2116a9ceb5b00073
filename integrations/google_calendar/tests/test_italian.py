"""Staff read Google Calendar in their language: failures are recorded in English (whoever met
them, mostly the task worker) and shown in the reader's language, with Google's own words, the
ids and the addresses as they are."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Event
from integrations.google_calendar import checks, status
from integrations.google_calendar.client import (
    CALENDAR_NOT_SHARED,
    ERROR_WORDINGS,
    GOOGLE_ANSWERED,
    error_in_words,
)
from integrations.google_calendar.models import CalendarEntry
from integrations.google_calendar.tests.conftest import ACCOUNT, INTERNAL, error

ITALIAN = {"HTTP_ACCEPT_LANGUAGE": "it"}
NOT_SHARED = CALENDAR_NOT_SHARED % {
    "calendar_id": INTERNAL,
    "account": ACCOUNT,
    "detail": GOOGLE_ANSWERED % {"status": 404, "operation": "events.insert", "message": "Gone"},
}
NOT_SHARED_IN_ITALIAN = (
    f"Il calendario «{INTERNAL}» non è stato trovato, oppure non è condiviso con {ACCOUNT}. "
    "In Google Calendar apri le impostazioni del calendario, «Condividi con persone "
    f"specifiche», e aggiungi {ACCOUNT} con «Apportare modifiche agli eventi». "
    "(HTTP 404 da Google Calendar (events.insert): Gone)"
)


def test_an_error_met_in_an_italian_request_is_recorded_in_english_and_read_in_italian(
    google, staff_client, make_event
):
    event = make_event(audience=Event.Audience.STAFF)
    google.respond(error(404, "notFound", "Not Found"))

    response = staff_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "sync_to_google_calendar_now", "_selected_action": [event.pk]},
        follow=True,
        **ITALIAN,
    )

    page = response.content.decode()
    assert f"Evento {event.pk}: Il calendario «{INTERNAL}» non è stato trovato" in page
    assert "(HTTP 404 da Google Calendar (events.insert): Not Found)" in page  # Google's words
    recorded = CalendarEntry.objects.get().last_error
    assert recorded.startswith(f"Calendar “{INTERNAL}” was not found, or it is not shared with")
    english = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert f"Calendar “{INTERNAL}” was not found" in english.content.decode()


def _filled(template: str) -> tuple[str, dict]:
    names = re.findall(r"%\((\w+)\)s", template)
    values = {name: f"<{name} value>" for name in names}
    return template % values, values


@pytest.mark.parametrize("template", ERROR_WORDINGS)
def test_every_recorded_wording_reads_in_italian_and_in_english_as_recorded(template):
    recorded, values = _filled(template)

    with translation.override("it"):
        italian = error_in_words(recorded)
        assert italian == translation.gettext(template) % values
    assert italian != recorded
    with translation.override("en"):
        assert error_in_words(recorded) == recorded


def test_a_quoted_error_of_ours_is_read_in_italian_too_and_googles_words_are_left():
    with translation.override("it"):
        assert error_in_words(NOT_SHARED) == NOT_SHARED_IN_ITALIAN


def test_a_recorded_text_of_no_known_wording_is_shown_as_recorded():
    with translation.override("it"):
        assert error_in_words("HTTP 503") == "HTTP 503"
        assert error_in_words("") == ""


def test_the_integrations_page_tells_one_cause_once_in_the_readers_language(
    calendar_settings, make_event
):
    for event in (make_event(), make_event()):
        CalendarEntry.objects.create(
            event=event,
            calendar="internal",
            state=CalendarEntry.State.FAILED,
            last_error=NOT_SHARED,
        )

    with translation.override("it"):
        report = status.integration_status()
    assert report.problems == [f"2 eventi non sincronizzati: {NOT_SHARED_IN_ITALIAN}"]
    assert report.last_error == NOT_SHARED_IN_ITALIAN
    assert report.token == f"Account di servizio {ACCOUNT}"
    assert [label for label, _url in report.links] == [
        "Voci di calendario",
        "Voci di calendario non riuscite",
    ]


def test_a_system_check_speaks_the_language_of_the_moment(settings):
    settings.GOOGLE_CALENDAR_INTERNAL_ID = INTERNAL
    settings.GOOGLE_CALENDAR_PUBLIC_ID = ""

    with translation.override("it"):
        [warning] = checks.check_google_calendar_ids(None)
    assert warning.msg == (
        "GOOGLE_CALENDAR_INTERNAL_ID è impostata ma GOOGLE_CALENDAR_PUBLIC_ID no: la "
        "sincronizzazione dei calendari resta spenta finché non lo sono entrambe."
    )
    assert "Integra calendario > ID calendario" in warning.hint
