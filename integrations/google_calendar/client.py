"""The only code that talks to Google Calendar (API v3, service-account credentials).

googleapiclient speaks httplib2, not `requests`, so this client does not use
`integrations.http.send`; it runs each request through the same retry loop
(`integrations.http.run_with_retries`), supplying only "run the request" and "translate its
error". Every call we make is safe to repeat: inserts carry our own event id (a repeat answers
409), updates are PUTs and deletes answer 404/410 once done.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import google.auth.exceptions
import google_auth_httplib2
import httplib2
from django.conf import settings
from django.utils.translation import gettext_noop
from google.oauth2 import service_account
from googleapiclient import discovery
from googleapiclient.errors import HttpError

from integrations.google_calendar import documents
from integrations.http import (
    Answer,
    IntegrationError,
    NotConfigured,
    PermanentError,
    TransientError,
    network_problem,
    parse_retry_after,
    run_with_retries,
)
from integrations.in_words import in_words, recorded_wordings

SERVICE = "google_calendar"
# Least privilege: write events, read calendar metadata (for the connection test).
SCOPES = (
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.calendars.readonly",
)
# 403s that are rate limits, not refusals (Calendar API "Handle API errors" guide).
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"})
LIST_PAGE_SIZE = 2500  # the largest page events.list serves

REQUIRED_SETTINGS = (
    "GOOGLE_CALENDAR_CREDENTIALS_PATH",
    "GOOGLE_CALENDAR_INTERNAL_ID",
    "GOOGLE_CALENDAR_PUBLIC_ID",
)


# --- what staff read when Google fails -----------------------------------------------------------
# Errors are recorded in English (on the calendar entries, in the call log) whoever or whatever
# met them, mostly the task worker, which has no reader's language; `error_in_words` shows a
# recorded one in the reader's language. So each wording is a template marked for translation
# here, filled with %, and recognised again from its English when shown.

NOT_CONFIGURED = gettext_noop("Google Calendar is not configured: set %(settings)s.")
KEY_FILE_UNUSABLE = gettext_noop(
    "The Google service-account file %(path)s cannot be used (%(reason)s). Download a JSON key "
    "for the service account and set GOOGLE_CALENDAR_CREDENTIALS_PATH to its path."
)
NOT_A_KEY = gettext_noop("it is not a service-account JSON key")
CANNOT_BE_READ = gettext_noop("it cannot be read")
NETWORK_ERROR = gettext_noop("Network error: %(problem)s")
GOOGLE_ANSWERED = gettext_noop("HTTP %(status)s from Google Calendar (%(operation)s): %(message)s")
THE_SERVICE_ACCOUNT = gettext_noop("the service account")
NO_REASON_GIVEN = gettext_noop("no reason given")
CALENDAR_NOT_SHARED = gettext_noop(
    "Calendar “%(calendar_id)s” was not found, or it is not shared with %(account)s. In Google "
    "Calendar open the calendar's settings, “Share with specific people”, and add %(account)s "
    "with “Make changes to events”. (%(detail)s)"
)
DAILY_QUOTA_USED_UP = gettext_noop(
    "The Google Cloud project has used up its daily Calendar API quota; syncing works again "
    "once it resets (the hourly reconcile catches up). (%(detail)s)"
)
EVENT_REFUSED = gettext_noop(
    "Google refuses to change this event on calendar “%(calendar_id)s”. If someone deleted it "
    "by hand in Google Calendar, restore it from the calendar's Trash (Settings → Trash) and "
    "sync again, or cancel the event here. If no one did, check that %(account)s has “Make "
    "changes to events” on the calendar. (%(detail)s)"
)
MAY_NOT_CHANGE_EVENTS = gettext_noop(
    "%(account)s may not change events on calendar “%(calendar_id)s”. In the calendar's sharing "
    "settings give it “Make changes to events”. (%(detail)s)"
)
CREDENTIALS_REJECTED = gettext_noop(
    "Google refused the service-account credentials of %(account)s. Create a new JSON key for "
    "it in the Google Cloud console and point GOOGLE_CALENDAR_CREDENTIALS_PATH at it. "
    "(%(detail)s)"
)
TOKEN_SERVICE_DOWN = gettext_noop("Google's token service is unavailable (%(said)s).")
CREDENTIALS_REFUSED = gettext_noop(
    "Google refused the service-account credentials of %(account)s (%(said)s). The key may have "
    "been deleted or the account disabled: create a new JSON key in the Google Cloud console "
    "and point GOOGLE_CALENDAR_CREDENTIALS_PATH at it."
)
# What the system says of a file it cannot open (as strerror would), for the same sentences.
FILE_PROBLEMS = {
    "missing": gettext_noop("No such file or directory"),
    "folder": gettext_noop("Is a directory"),
}
ERROR_WORDINGS = (
    NOT_CONFIGURED,
    KEY_FILE_UNUSABLE,
    NOT_A_KEY,
    CANNOT_BE_READ,
    NETWORK_ERROR,
    GOOGLE_ANSWERED,
    THE_SERVICE_ACCOUNT,
    NO_REASON_GIVEN,
    CALENDAR_NOT_SHARED,
    DAILY_QUOTA_USED_UP,
    EVENT_REFUSED,
    MAY_NOT_CHANGE_EVENTS,
    CREDENTIALS_REJECTED,
    TOKEN_SERVICE_DOWN,
    CREDENTIALS_REFUSED,
    *FILE_PROBLEMS.values(),
)
recorded_wordings(*ERROR_WORDINGS)


def error_in_words(text: str, *, depth: int = 0) -> str:
    """A Google Calendar error as recorded (English) in the language of the moment.

    What it quotes (Google's own words, a path, an id) stays as it is; a quoted error of ours
    (the HTTP detail in brackets, say) is translated too. Text of no known wording is shown as
    recorded.
    """
    return in_words(text, depth=depth)


class EventExists(PermanentError):
    """An insert answered 409: an event with our id is already there (maybe cancelled)."""


class EventGone(PermanentError):
    """The event is not on the calendar (404) or was deleted (410)."""


class EventRefused(PermanentError):
    """Google will not change this one event (e.g. deleted by hand, now in the calendar's trash).

    Other events on the calendar are unaffected: a reconcile goes on with them.
    """


class CalendarRefused(PermanentError):
    """The calendar (or the project) refuses us: every further call would fail the same way."""


# The keys google-auth needs to build service-account credentials from the file.
SERVICE_ACCOUNT_KEYS = ("client_email", "private_key", "token_uri")


@dataclass(frozen=True)
class KeyFile:
    """The service-account key file as read from disk (no network), for each reader to word.

    `problem` is "" when the file held a JSON document, else "missing", "folder", "unreadable"
    (with the system's `reason`) or "not-json". Never show `info`: it holds a private key.
    """

    info: Any = None
    problem: str = ""
    reason: str = ""

    @property
    def kind(self) -> str:
        """ "service_account", "oauth_client" (the other JSON Google hands out) or "other"."""
        if isinstance(self.info, dict) and self.info.get("type") == "service_account":
            return "service_account"
        if isinstance(self.info, dict) and ("installed" in self.info or "web" in self.info):
            return "oauth_client"
        return "other"

    @property
    def missing_keys(self) -> list[str]:
        info = self.info if isinstance(self.info, dict) else {}
        return [key for key in SERVICE_ACCOUNT_KEYS if not info.get(key)]


def read_key_file(path: str) -> KeyFile:
    try:
        with open(path, encoding="utf-8") as file:
            return KeyFile(info=json.load(file))
    except FileNotFoundError:
        return KeyFile(problem="missing")
    except IsADirectoryError:
        return KeyFile(problem="folder")
    except OSError as exc:
        return KeyFile(problem="unreadable", reason=exc.strerror or CANNOT_BE_READ)
    except ValueError:  # not UTF-8, or not JSON
        return KeyFile(problem="not-json")


def missing_settings() -> list[str]:
    return [name for name in REQUIRED_SETTINGS if not getattr(settings, name, "")]


def build_http() -> httplib2.Http:
    """The raw transport under the credentials (tests replace it with HttpMockSequence)."""
    return httplib2.Http(timeout=settings.INTEGRATION_HTTP_TIMEOUT)


@dataclass(frozen=True)
class _Account:
    credentials: service_account.Credentials
    token_uri: str  # where the credentials fetch their access token


_credentials_cache: dict[tuple[str, float], _Account] = {}


def _account(path: str) -> _Account:
    """Credentials from the file, reused while the file is unchanged (the token lives on it)."""
    try:
        key = (path, Path(path).stat().st_mtime)
    except OSError as exc:
        raise _unusable(path, exc.strerror or CANNOT_BE_READ) from exc
    if key in _credentials_cache:
        return _credentials_cache[key]
    _credentials_cache.clear()
    file = read_key_file(path)
    if file.problem in ("missing", "folder", "unreadable"):
        raise _unusable(path, file.reason or FILE_PROBLEMS[file.problem])
    try:
        credentials = service_account.Credentials.from_service_account_info(
            file.info, scopes=list(SCOPES)
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _unusable(path, NOT_A_KEY) from exc
    _credentials_cache[key] = _Account(credentials, str(file.info.get("token_uri", "")))
    return _credentials_cache[key]


def _unusable(path: str, reason: str) -> PermanentError:
    return PermanentError(KEY_FILE_UNUSABLE % {"path": path, "reason": reason})


def forget_credentials() -> None:
    """Drop cached credentials (and their token): after a key change, or between tests."""
    _credentials_cache.clear()


@dataclass
class CalendarClient:
    """A Calendar API v3 service bound to our service account. Build one per task or command."""

    service: Any
    account_email: str
    credentials: service_account.Credentials | None = None
    token_uri: str = ""

    @classmethod
    def from_settings(cls) -> "CalendarClient":
        missing = missing_settings()
        if missing:
            raise NotConfigured(NOT_CONFIGURED % {"settings": ", ".join(missing)})
        path = settings.GOOGLE_CALENDAR_CREDENTIALS_PATH
        account = _account(path)
        credentials = account.credentials
        http = google_auth_httplib2.AuthorizedHttp(credentials, http=build_http())
        options = {}
        if settings.GOOGLE_CALENDAR_API_ENDPOINT:
            options["api_endpoint"] = settings.GOOGLE_CALENDAR_API_ENDPOINT
        # Static discovery: the API description shipped with googleapiclient, no network.
        service = discovery.build(
            "calendar",
            "v3",
            http=http,
            static_discovery=True,
            cache_discovery=False,
            client_options=options or None,
        )
        return cls(
            service=service,
            account_email=credentials.service_account_email,
            credentials=credentials,
            token_uri=account.token_uri,
        )

    # --- the calls ---------------------------------------------------------------------------

    def insert_event(self, *, calendar_id: str, body: dict) -> dict:
        """Create the event with the id in `body`; raises EventExists when it is already there."""
        request = self.service.events().insert(calendarId=calendar_id, body=body)
        return self._execute("events.insert", request, calendar_id=calendar_id)

    def update_event(self, *, calendar_id: str, event_id: str, body: dict) -> dict:
        """Replace the event (a cancelled one comes back when `body` says status=confirmed)."""
        request = self.service.events().update(calendarId=calendar_id, eventId=event_id, body=body)
        return self._execute("events.update", request, calendar_id=calendar_id)

    def delete_event(self, *, calendar_id: str, event_id: str) -> bool:
        """Delete the event. False when it was already gone (404 or 410): nothing to do."""
        request = self.service.events().delete(calendarId=calendar_id, eventId=event_id)
        try:
            self._execute("events.delete", request, calendar_id=calendar_id)
        except EventGone as gone:
            if gone.status == 404:
                # A 404 also answers for a calendar we cannot see: make sure it is the event.
                self.get_calendar(calendar_id=calendar_id)
            return False
        return True

    def get_calendar(self, *, calendar_id: str) -> dict:
        request = self.service.calendars().get(calendarId=calendar_id)
        return self._execute("calendars.get", request, calendar_id=calendar_id)

    def list_events(
        self,
        *,
        calendar_id: str,
        private_properties: dict[str, str],
        on_page: Callable[[], None] | None = None,
    ) -> Iterator[dict]:
        """Every event holding these private properties, deleted (cancelled) ones included."""
        page_token = None
        while True:
            if on_page:
                on_page()
            request = self.service.events().list(
                calendarId=calendar_id,
                privateExtendedProperty=[f"{k}={v}" for k, v in private_properties.items()],
                showDeleted=True,
                maxResults=LIST_PAGE_SIZE,
                pageToken=page_token,
            )
            page = documents.parse_events_page(
                self._execute("events.list", request, calendar_id=calendar_id)
            )
            yield from page.items
            page_token = page.nextPageToken
            if not page_token:
                return

    # --- policy: one attempt, its log row, the retry ---------------------------------------------

    def _execute(self, operation: str, request, *, calendar_id: str) -> dict:
        """Run `request` through the transport's retry loop, with Google's errors translated."""

        def attempt() -> Answer:
            result = request.execute(num_retries=0) or {}
            return Answer(result, status_code=204 if request.method == "DELETE" else 200)

        def translate(outcome: Answer | Exception) -> IntegrationError | None:
            if isinstance(outcome, Answer):
                return None
            if isinstance(outcome, HttpError):
                return self._translate_http_error(operation, outcome, calendar_id=calendar_id)
            if isinstance(outcome, google.auth.exceptions.RefreshError):
                return self._credentials_refused(outcome)
            if isinstance(
                outcome, (google.auth.exceptions.TransportError, httplib2.HttpLib2Error, OSError)
            ):
                # Timeouts and refused connections included; every call is safe to repeat.
                problem = network_problem(outcome, self._unreached_url(request))
                return TransientError(NETWORK_ERROR % {"problem": problem})
            return None

        return run_with_retries(
            service=SERVICE,
            operation=operation,
            method=request.method,
            target=request.uri,
            attempt=attempt,
            classify=translate,
            expected=(EventExists, EventGone),  # answers the caller handles
        )

    def _unreached_url(self, request) -> str:
        """The token service while we hold no valid token (fetching one failed), else the API."""
        if self.credentials is not None and not self.credentials.valid and self.token_uri:
            return self.token_uri
        return request.uri

    def _translate_http_error(
        self, operation: str, exc: HttpError, *, calendar_id: str
    ) -> IntegrationError:
        status = exc.resp.status
        reasons, message = documents.parse_error_body(exc.content)
        retry_after = parse_retry_after(exc.resp.get("retry-after"))
        detail = GOOGLE_ANSWERED % {"status": status, "operation": operation, "message": message}
        if status == 409 and operation == "events.insert":
            return EventExists(detail, status=status)
        if status in (404, 410) and operation == "events.delete":
            return EventGone(detail, status=status)
        if status == 404 and operation == "events.update":
            return EventGone(detail, status=status)
        if status in (408, 429) or status >= 500 or RATE_LIMIT_REASONS & set(reasons):
            return TransientError(detail, status=status, retry_after=retry_after)
        words = {
            "account": self.account_email or THE_SERVICE_ACCOUNT,
            "calendar_id": calendar_id,
            "detail": detail,
        }
        if status == 404:
            return CalendarRefused(CALENDAR_NOT_SHARED % words, status=status)
        if status == 403 and "dailyLimitExceeded" in reasons:
            return CalendarRefused(DAILY_QUOTA_USED_UP % words, status=status)
        if status == 403 and operation == "events.update" and "requiredAccessLevel" not in reasons:
            # What Google answers for an event someone deleted by hand in Google Calendar (it
            # sits in the trash, and its id can be neither updated nor inserted again).
            return EventRefused(EVENT_REFUSED % words, status=status)
        if status == 403:
            return CalendarRefused(MAY_NOT_CHANGE_EVENTS % words, status=status)
        if status == 401:
            return CalendarRefused(CREDENTIALS_REJECTED % words, status=status)
        return PermanentError(detail, status=status)

    def _credentials_refused(self, exc: google.auth.exceptions.RefreshError) -> IntegrationError:
        who = self.account_email or THE_SERVICE_ACCOUNT
        # google-auth's first argument is Google's own words ("invalid_grant: Invalid JWT
        # Signature."); the whole exception would read as a Python tuple.
        said = exc.args[0] if exc.args and isinstance(exc.args[0], str) else NO_REASON_GIVEN
        said = said.strip().rstrip(".")[:300]
        if getattr(exc, "retryable", False):
            return TransientError(TOKEN_SERVICE_DOWN % {"said": said})
        return CalendarRefused(CREDENTIALS_REFUSED % {"account": who, "said": said})
