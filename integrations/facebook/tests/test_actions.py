from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.utils import translation

from integrations.facebook.actions import page_token_check
from integrations.facebook.models import TokenCheck
from integrations.in_words import in_words
from tdc.tests.catalogue import english_in

from .conftest import APP_ID, APP_SECRET, GRAPH, PAGE_ID, PAGE_TOKEN, graph_error

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SCOPES = ["pages_manage_posts", "pages_read_engagement", "pages_show_list"]


def debug_token(**data):
    body = {"type": "PAGE", "is_valid": True, "profile_id": PAGE_ID, "scopes": SCOPES, **data}
    responses.get(f"{GRAPH}/debug_token", json={"data": body})


@responses.activate
def test_debug_token_is_asked_with_the_app_token_about_the_page_token(db, facebook):
    debug_token(expires_at=int(datetime(2027, 1, 12, tzinfo=UTC).timestamp()))
    check = page_token_check(now=NOW)
    query = parse_qs(urlsplit(responses.calls[0].request.url).query)
    assert query["input_token"] == [PAGE_TOKEN]
    assert query["access_token"] == [f"{APP_ID}|{APP_SECRET}"]
    assert "appsecret_proof" in query
    assert check.ok
    assert check.method == "debug_token"
    assert check.summary == "Page token valid until 2027-01-12."
    assert check.expires_at == datetime(2027, 1, 12, tzinfo=UTC)
    assert "pages_manage_posts" in check.scopes


@responses.activate
def test_a_token_that_expires_soon_says_so(db, facebook):
    debug_token(expires_at=int(datetime(2026, 12, 1, tzinfo=UTC).timestamp()))
    check = page_token_check(now=NOW)
    assert check.ok
    assert "runs out soon" in check.summary


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"is_valid": False, "error": {"message": "Session has expired"}}, "Session has expired"),
        (
            {"expires_at": int(datetime(2026, 11, 1, tzinfo=UTC).timestamp())},
            "expired on 2026-11-01",
        ),
        ({"scopes": ["pages_show_list"]}, "lacks pages_manage_posts, pages_read_engagement"),
        ({"type": "USER"}, "not a Page token"),
        ({"profile_id": "42"}, "belongs to Page 42"),
    ],
)
@responses.activate
def test_a_token_problem_is_stored_with_what_to_do(db, facebook, data, fragment):
    debug_token(**data)
    check = page_token_check(now=NOW)
    assert not check.ok
    assert fragment in check.summary
    assert "Renew the Page token" in check.summary


@responses.activate
def test_without_app_credentials_the_page_itself_is_asked(db, facebook):
    facebook.FACEBOOK_APP_SECRET = ""
    responses.get(f"{GRAPH}/{PAGE_ID}", json={"id": PAGE_ID, "name": "The Dreamer's Cave"})
    check = page_token_check(now=NOW)
    assert check.ok
    assert check.method == "page lookup"
    assert "expiry is unknown" in check.summary
    query = parse_qs(urlsplit(responses.calls[0].request.url).query)
    assert query["access_token"] == [PAGE_TOKEN]


@responses.activate
def test_an_invalid_token_without_app_credentials_is_reported(db, facebook):
    facebook.FACEBOOK_APP_ID = ""
    responses.get(f"{GRAPH}/{PAGE_ID}", **graph_error(190, "Invalid OAuth access token"))
    check = page_token_check(now=NOW)
    assert not check.ok
    assert "Invalid OAuth access token" in check.summary


@responses.activate
def test_a_failed_check_is_recorded_as_such(db, facebook, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 1
    responses.get(f"{GRAPH}/debug_token", **graph_error(2, "Service unavailable", status=503))
    check = page_token_check(now=NOW)
    assert (check.ok, check.method) == (False, "failed")
    assert "The check itself failed" in check.summary


def test_an_unconfigured_page_is_recorded_without_a_call(db, settings):
    settings.FACEBOOK_PAGE_ID = ""
    check = page_token_check(now=NOW)
    assert (check.ok, check.method) == (False, "not configured")
    assert TokenCheck.objects.count() == 1


@responses.activate
def test_refused_app_credentials_are_not_blamed_on_the_page_token(db, facebook):
    responses.get(
        f"{GRAPH}/debug_token", **graph_error(190, "Invalid OAuth access token signature.")
    )
    check = page_token_check(now=NOW)
    assert (check.ok, check.method) == (False, "failed")
    assert "FACEBOOK_APP_ID and FACEBOOK_APP_SECRET" in check.summary
    assert "renew the Page token" not in check.summary


@responses.activate
def test_a_token_quoted_in_facebooks_verdict_is_not_stored(db, facebook):
    # Graph quotes a malformed token in its message; the check's summary is shown to staff.
    debug_token(is_valid=False, error={"message": f"Malformed access token {PAGE_TOKEN}"})
    check = page_token_check(now=NOW)
    assert not check.ok
    assert "Malformed access token ***" in check.summary
    assert PAGE_TOKEN not in check.summary


# --- the verdicts in the reader's language ------------------------------------------------------
# Recorded in English with the days in ISO 8601, whoever checked in whatever language; read in
# the reader's language, days included, in the formats of every other screen.

EXPIRES = int(datetime(2027, 1, 12, tzinfo=UTC).timestamp())
DATA_ACCESS_EXPIRES = int(datetime(2027, 3, 1, tzinfo=UTC).timestamp())


@responses.activate
def test_a_check_made_in_italian_is_recorded_in_english(db, facebook):
    debug_token(expires_at=EXPIRES, data_access_expires_at=DATA_ACCESS_EXPIRES)

    with translation.override("it"):
        check = page_token_check(now=NOW)

    assert check.summary == "Page token valid until 2027-01-12; data access until 2027-03-01."


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Page token valid until Tue 12 Jan 2027; data access until Mon 1 Mar 2027."),
        (
            "it",
            "Token della Pagina valido fino a Mar 12 Gen 2027; accesso ai dati fino a "
            "Lun 1 Mar 2027.",
        ),
    ],
)
@responses.activate
def test_a_verdict_reads_in_the_readers_language_with_the_days_in_theirs(
    db, facebook, language, said
):
    debug_token(expires_at=EXPIRES, data_access_expires_at=DATA_ACCESS_EXPIRES)
    check = page_token_check(now=NOW)

    with translation.override(language):
        assert in_words(check.summary) == said


@responses.activate
def test_a_token_running_out_soon_reads_in_italian_to_the_last_word(db, facebook):
    debug_token(expires_at=int(datetime(2026, 12, 1, tzinfo=UTC).timestamp()))
    check = page_token_check(now=NOW)

    with translation.override("it"):
        assert in_words(check.summary) == (
            "Token della Pagina valido fino a Mar 1 Dic 2026. Scade presto: rinnova il token "
            "della Pagina (FACEBOOK_PAGE_ACCESS_TOKEN) prima di Mar 1 Dic 2026."
        )


@pytest.mark.parametrize(
    "data",
    [
        {"is_valid": False, "error": {"message": "Session has expired"}},
        {"is_valid": False},
        {"expires_at": int(datetime(2026, 11, 1, tzinfo=UTC).timestamp())},
        {"scopes": ["pages_show_list"]},
        {"type": "APP"},  # (Facebook's other type, USER, is an English word of ours too)
        {"profile_id": "42"},
        {},
        {"data_access_expires_at": DATA_ACCESS_EXPIRES},
    ],
)
@responses.activate
def test_every_verdict_of_facebook_on_the_token_reads_in_italian(db, facebook, data):
    debug_token(**data)
    check = page_token_check(now=NOW)

    with translation.override("it"):
        italian = in_words(check.summary)

    assert italian != check.summary
    assert english_in(italian) == []


def the_page_answers_for(page_id):
    def setup(facebook):
        facebook.FACEBOOK_APP_SECRET = ""
        responses.get(f"{GRAPH}/{PAGE_ID}", json={"id": page_id, "name": "A Page"})

    return setup


def debug_token_refused(code, status):
    def setup(facebook):
        facebook.INTEGRATION_HTTP_ATTEMPTS = 1
        responses.get(f"{GRAPH}/debug_token", **graph_error(code, "Try later.", status=status))

    return setup


def not_configured(facebook):
    facebook.FACEBOOK_PAGE_ID = ""


@pytest.mark.parametrize(
    "setup",
    [
        the_page_answers_for(PAGE_ID),
        the_page_answers_for("42"),
        debug_token_refused(190, 400),
        debug_token_refused(2, 503),
        not_configured,
    ],
    ids=["expiry unknown", "another Page", "app refused", "Facebook in trouble", "no Page"],
)
@responses.activate
def test_every_verdict_of_ours_on_the_check_reads_in_italian(db, facebook, setup):
    setup(facebook)
    check = page_token_check(now=NOW)

    with translation.override("it"):
        italian = in_words(check.summary)

    assert italian != check.summary
    assert english_in(italian) == []
