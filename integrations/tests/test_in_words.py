"""How `in_words` recognises a recorded text: by the wording that was written, with the days and
moments in it said again in the reader's formats."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from integrations import in_words as recognition
from integrations.facebook import publish
from integrations.facebook.actions import VALID_UNTIL, VALID_UNTIL_DATA_ACCESS_UNTIL
from integrations.in_words import in_words, recorded_day, recorded_moment, recorded_wordings

ROME = ZoneInfo("Europe/Rome")


def test_days_and_moments_are_recorded_in_iso_8601_to_the_minute():
    assert recorded_day(date(2027, 1, 12)) == "2027-01-12"
    assert recorded_moment(datetime(2026, 11, 28, 19, 0, 42, tzinfo=ROME)) == (
        "2026-11-28T18:00+00:00"
    )


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Page token valid until Tue 12 Jan 2027."),
        ("it", "Token della Pagina valido fino a Mar 12 Gen 2027."),
    ],
)
def test_a_recorded_day_is_said_in_the_readers_date_format(language, said):
    with translation.override(language):
        assert in_words(VALID_UNTIL % {"day": "2027-01-12"}) == said


@pytest.mark.parametrize(
    ("language", "moment"),
    [("en", "(Sat 28 Nov 2026, 19:00 CET)"), ("it", "(Sab 28 Nov 2026, 19:00 CET)")],
)
def test_a_recorded_moment_is_said_as_every_screen_writes_one_in_the_venues_zone(language, moment):
    recorded = publish.MOMENT_MISSED % {"when": "2026-11-28T18:00+00:00", "minutes": "15"}

    with translation.override(language):
        assert moment in in_words(recorded)


def test_a_value_only_shaped_like_a_day_is_shown_as_recorded():
    with translation.override("it"):
        assert in_words(VALID_UNTIL % {"day": "2026-13-45"}) == (
            "Token della Pagina valido fino a 2026-13-45."
        )


def test_the_wording_with_most_words_of_its_own_wins_whatever_order_it_was_registered_in(
    monkeypatch,
):
    monkeypatch.setattr(recognition, "_RECOGNISED", [])
    # "Page token valid until %(day)s." fits the text too (its day running on to the end), and
    # is registered first; the wording that was written is the other one.
    recorded_wordings(VALID_UNTIL, VALID_UNTIL_DATA_ACCESS_UNTIL)
    recorded = VALID_UNTIL_DATA_ACCESS_UNTIL % {"day": "2027-01-12", "data_day": "2027-03-01"}

    with translation.override("it"):
        assert in_words(recorded) == (
            "Token della Pagina valido fino a Mar 12 Gen 2027; accesso ai dati fino a Lun 1 Mar "
            "2027."
        )
