"""What staff read when Google cannot be reached or refuses us: the shared transport's plain
words (host and reason), never a Python repr such as TransportError(ServerNotFoundError(...))."""

import socket

import httplib2
import pytest

from integrations import http
from integrations.google_calendar import client
from integrations.google_calendar.tests.conftest import INTERNAL, answer, token_answer
from integrations.http import PermanentError, TransientError


class UnreachableHttp(httplib2.Http):
    """The raw transport, failing as httplib2 does when `fail_for` is asked for."""

    def __init__(self, fail_for: str, failure: BaseException, then=None):
        super().__init__()
        self.fail_for, self.failure, self.then = fail_for, failure, list(then or [])

    def request(self, uri, method="GET", body=None, headers=None, *args, **kwargs):
        if uri.startswith(self.fail_for):
            raise self.failure
        response, content = self.then.pop(0)
        return httplib2.Response(response), content.encode()


def dns_failure(host: str) -> httplib2.ServerNotFoundError:
    """httplib2's error for a name that does not resolve, raised while handling the gaierror."""
    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror:
            raise httplib2.ServerNotFoundError(f"Unable to find the server at {host}")
    except httplib2.ServerNotFoundError as error:
        return error


@pytest.fixture
def no_waits(monkeypatch, settings):
    settings.INTEGRATION_HTTP_ATTEMPTS = 2
    monkeypatch.setattr(http, "sleep", lambda seconds: None)


def calendar_fetched_through(monkeypatch, http) -> Exception:
    monkeypatch.setattr(client, "build_http", lambda: http)
    with pytest.raises((TransientError, PermanentError)) as raised:
        client.CalendarClient.from_settings().get_calendar(calendar_id=INTERNAL)
    return raised.value


def test_an_unresolvable_token_service_is_named_with_the_reason(
    calendar_settings, db, monkeypatch, no_waits
):
    http = UnreachableHttp("https://oauth2.googleapis.com", dns_failure("oauth2.googleapis.com"))
    error = calendar_fetched_through(monkeypatch, http)
    assert isinstance(error, TransientError)
    assert error.message == (
        "Network error: could not reach oauth2.googleapis.com (Name or service not known)"
    )


def test_a_refused_api_connection_names_the_api_host(calendar_settings, db, monkeypatch, no_waits):
    http = UnreachableHttp(
        "https://www.googleapis.com",
        ConnectionRefusedError(111, "Connection refused"),
        then=[token_answer(), token_answer()],
    )
    error = calendar_fetched_through(monkeypatch, http)
    assert error.message == "Network error: could not reach www.googleapis.com (Connection refused)"


def test_a_timeout_says_no_answer_came_in_time(calendar_settings, db, monkeypatch, no_waits):
    http = UnreachableHttp("https://oauth2.googleapis.com", TimeoutError("timed out"))
    error = calendar_fetched_through(monkeypatch, http)
    assert error.message == (
        "Network error: could not reach oauth2.googleapis.com (no answer in time)"
    )


def test_refused_credentials_quote_googles_words_not_a_python_tuple(
    calendar_settings, db, monkeypatch, no_waits
):
    refusal = answer(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
    http = UnreachableHttp("nothing fails", OSError(), then=[refusal])
    error = calendar_fetched_through(monkeypatch, http)
    assert "(invalid_grant: Invalid JWT Signature)" in error.message
    assert "('" not in error.message and "{" not in error.message


def test_an_unreadable_credentials_file_says_why_in_words(calendar_settings, db, tmp_path):
    calendar_settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(tmp_path / "missing.json")
    with pytest.raises(PermanentError) as raised:
        client.CalendarClient.from_settings()
    assert "cannot be used (No such file or directory)" in raised.value.message
    assert "Error" not in raised.value.message
