"""Google Calendar test fixtures: a throwaway service account and a fake Google at the HTTP seam.

`google` replaces the raw httplib2 transport under the real credentials with googleapiclient's
HttpMockSequence, so the token exchange and every API call are answered by the test and
recorded for exact assertions.
"""

import json
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from googleapiclient.http import HttpMockSequence

from integrations.google_calendar import client

ACCOUNT = "tdc-sync@tdc-venue.iam.gserviceaccount.com"
TOKEN_URI = "https://oauth2.googleapis.com/token"
INTERNAL = "staff-cal@group.calendar.google.com"
PUBLIC = "public-cal@group.calendar.google.com"
API = "https://www.googleapis.com/calendar/v3"


@pytest.fixture
def credentials_file(tmp_path, private_key_pem):
    path = tmp_path / "service-account.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "tdc-venue",
                "private_key_id": "0123456789abcdef",
                "private_key": private_key_pem,
                "client_email": ACCOUNT,
                "client_id": "1234567890",
                "token_uri": TOKEN_URI,
            }
        )
    )
    return path


@pytest.fixture
def calendar_settings(settings, credentials_file):
    settings.GOOGLE_CALENDAR_CREDENTIALS_PATH = str(credentials_file)
    settings.GOOGLE_CALENDAR_INTERNAL_ID = INTERNAL
    settings.GOOGLE_CALENDAR_PUBLIC_ID = PUBLIC
    settings.GOOGLE_CALENDAR_API_ENDPOINT = ""
    settings.SITE_URL = "https://tdc.example.org"
    client.forget_credentials()
    yield settings
    client.forget_credentials()


@dataclass
class SentRequest:
    method: str
    url: str
    path: str
    query: dict
    body: dict | None

    @property
    def call(self) -> tuple[str, str]:
        return self.method, self.path


def answer(status: int = 200, payload: dict | None = None, headers: dict | None = None):
    """One canned Google response."""
    return ({"status": str(status), **(headers or {})}, json.dumps(payload or {}))


def error(status: int, reason: str, message: str = "", domain: str = "global", headers=None):
    body = {
        "error": {
            "errors": [{"domain": domain, "reason": reason, "message": message or reason}],
            "code": status,
            "message": message or reason,
        }
    }
    return answer(status, body, headers)


def token_answer():
    return answer(
        200, {"access_token": "ya29.test-token", "expires_in": 3600, "token_type": "Bearer"}
    )


class FakeGoogle:
    """The canned answers, and the requests Google would have received, in order."""

    def __init__(self):
        self.mock = HttpMockSequence([])

    def respond(self, *answers, token: bool = True) -> None:
        self.mock._iterable.extend(([token_answer()] if token else []) + list(answers))

    @property
    def token_requests(self) -> list[SentRequest]:
        return [r for r in self._all() if r.url == TOKEN_URI]

    @property
    def requests(self) -> list[SentRequest]:
        """API requests (the token exchange left out)."""
        return [r for r in self._all() if r.url != TOKEN_URI]

    @property
    def calls(self) -> list[tuple[str, str]]:
        return [r.call for r in self.requests]

    @property
    def unused(self) -> int:
        return len(self.mock._iterable)

    def _all(self) -> list[SentRequest]:
        sent = []
        for uri, method, body, _headers in self.mock.request_sequence:
            parts = urlsplit(uri)
            if isinstance(body, bytes):
                body = body.decode()
            try:
                parsed = json.loads(body) if body else None
            except ValueError:
                parsed = parse_qs(body)
            sent.append(
                SentRequest(
                    method=method,
                    url=uri.split("?")[0],
                    path=unquote(parts.path).removeprefix("/calendar/v3"),
                    query=parse_qs(parts.query),
                    body=parsed,
                )
            )
        return sent


@pytest.fixture
def google(db, calendar_settings, monkeypatch) -> FakeGoogle:
    fake = FakeGoogle()
    monkeypatch.setattr(client, "build_http", lambda: fake.mock)
    yield fake
    assert fake.unused == 0, "a canned Google answer was never asked for"
