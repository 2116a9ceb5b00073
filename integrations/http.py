"""The one HTTP transport every requests-based client goes through.

It owns the mechanics, written once: timeouts, a bounded retry with exponential backoff that
honours Retry-After, typed errors (transient vs permanent vs "outcome unknown") and a log row
per attempt with secrets redacted. A client (`client.py` of an integration) only builds the
request and, through `classify`, translates its provider's error format into these types.
"""

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
import tenacity
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop
from urllib3.exceptions import NewConnectionError

from integrations.call_log import record_call, redact_text, redact_url
from integrations.in_words import recorded_wordings
from integrations.models import IntegrationLog

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

# Recorded in English (the call log is one record for everyone), shown through `in_words`.
NO_ANSWER_IN_TIME = gettext_noop("could not reach %(host)s (no answer in time)")
COULD_NOT_REACH = gettext_noop("could not reach %(host)s (%(reason)s)")
NO_CONNECTION = gettext_noop("no connection could be made")
NETWORK_ERROR = gettext_noop("Network error: %(problem)s")
SENT_NO_ANSWER = gettext_noop(
    "The request was sent but no answer came back (%(problem)s); "
    "it may have been applied, so it is not repeated automatically."
)
# The system's words for the usual network failures (as strerror gives them in English).
NETWORK_REASONS = (
    gettext_noop("Connection refused"),
    gettext_noop("Connection reset by peer"),
    gettext_noop("Connection timed out"),
    gettext_noop("Name or service not known"),
    gettext_noop("Temporary failure in name resolution"),
    gettext_noop("Network is unreachable"),
    gettext_noop("No route to host"),
)
recorded_wordings(
    NO_ANSWER_IN_TIME,
    COULD_NOT_REACH,
    NO_CONNECTION,
    NETWORK_ERROR,
    SENT_NO_ANSWER,
    *NETWORK_REASONS,
)


class IntegrationError(Exception):
    """A failed external call, with what every provider has: the message in plain words, the
    HTTP status, the operation, and (`transient`) whether trying again later can help.

    What only one provider has (its own error codes and names) lives on that
    provider's subclass, in its `client.py`.
    """

    transient = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        operation: str = "",
    ):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after  # seconds the provider asked us to wait, if it did
        self.operation = operation


class TransientError(IntegrationError):
    """Rate limits, 5xx, network trouble: worth retrying with backoff."""

    transient = True


class PermanentError(IntegrationError):
    """Bad credentials, missing permission, not found: retrying cannot help; staff must act."""


class OutcomeUnknown(IntegrationError):
    """A non-idempotent request was sent but its response was lost: it may have been applied.

    Never repeated blindly; the caller marks the work for checking.
    """


class NotConfigured(PermanentError):
    """The integration's settings are missing; its work is skipped, not failed."""


Classifier = Callable[[requests.Response], IntegrationError | None]


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def default_classify(response: requests.Response) -> IntegrationError | None:
    """2xx is success; 408/425/429 and 5xx are transient; any other status is permanent."""
    if 200 <= response.status_code < 300:
        return None
    message = f"HTTP {response.status_code}: {response.text[:300]}"
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if response.status_code in (408, 425, 429) or response.status_code >= 500:
        return TransientError(message, status=response.status_code, retry_after=retry_after)
    return PermanentError(message, status=response.status_code)


def _never_connected(error: requests.RequestException) -> bool:
    """True when the request never left this machine, so even a POST is safe to send again."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = error.args[0] if error.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, NewConnectionError)


_ERRNO_TEXT = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


def network_problem(error: BaseException, url: str) -> str:
    """What went wrong on the network (in English, as recorded: `in_words` translates it for the
    reader), in the words staff can act on: the host and the reason
    ("Connection refused", "Name or service not known"), not the nested exception reprs of
    urllib3, httplib2 or google-auth (which also quote the query string).

    Every client's network failures are worded here, whichever library raised them.
    """
    host = urlsplit(url).hostname or url
    if any(isinstance(e, (requests.Timeout, TimeoutError)) for e in _causes(error)):
        return NO_ANSWER_IN_TIME % {"host": host}
    return COULD_NOT_REACH % {"host": host, "reason": _network_reason(error)}


def _causes(error: BaseException) -> list[BaseException]:
    """The error and what it wraps: its cause or context, and urllib3's nested `reason`."""
    found: list[BaseException] = []
    pending: list[object] = [error]
    while pending:
        current = pending.pop(0)
        if not isinstance(current, BaseException) or current in found or len(found) > 10:
            continue
        found.append(current)
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        pending.extend(current.args[:1])
    return found


def _network_reason(error: BaseException) -> str:
    for cause in _causes(error):
        if isinstance(cause, OSError) and isinstance(cause.strerror, str) and cause.strerror:
            return cause.strerror.strip().rstrip(".")
    found = _ERRNO_TEXT.search(" ".join(str(cause) for cause in _causes(error)))
    if found:
        return found.group(1).strip().rstrip(".")
    return NO_CONNECTION


def user_agent() -> str:
    return f"TDC-Integrations/1.0 (+{settings.SITE_URL})"


def _wait_seconds(retry_state: tenacity.RetryCallState) -> float:
    error = retry_state.outcome.exception() if retry_state.outcome else None
    max_wait = settings.INTEGRATION_HTTP_MAX_WAIT
    if isinstance(error, IntegrationError) and error.retry_after is not None:
        return min(error.retry_after, max_wait)
    base = settings.INTEGRATION_HTTP_BACKOFF
    backoff = tenacity.wait_exponential_jitter(multiplier=base, max=max_wait, jitter=base)
    return backoff(retry_state)


def _retry_after_too_long(retry_state: tenacity.RetryCallState) -> bool:
    # A provider asking for a long pause: give up now and let the task queue come back later.
    error = retry_state.outcome.exception() if retry_state.outcome else None
    max_wait = settings.INTEGRATION_HTTP_MAX_WAIT
    return (
        isinstance(error, IntegrationError)
        and error.retry_after is not None
        and max_wait > 0
        and error.retry_after > max_wait
    )


def retry_policy(*, attempts: int, sleep: Callable[[float], None]) -> tenacity.Retrying:
    """Our retry policy for one logical call: TransientError only, bounded, Retry-After first.

    Shared by this transport and by clients built on other libraries (googleapiclient).
    """
    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(attempts) | _retry_after_too_long,
        retry=tenacity.retry_if_exception(lambda e: isinstance(e, TransientError)),
        wait=_wait_seconds,
        sleep=sleep,
        reraise=True,
    )


@dataclass(frozen=True)
class Answer:
    """What one attempt came back with, before it is judged a success or an error."""

    value: Any
    status_code: int | None = None
    target: str = ""  # the URL that answered, when it differs from the one asked (redirects)


def run_with_retries(
    *,
    service: str,
    operation: str,
    method: str,
    target: str,
    attempt: Callable[[], Answer],
    classify: Callable[[Answer | Exception], IntegrationError | None],
    attempts: int | None = None,
    expected: tuple[type[IntegrationError], ...] = (),
    secrets: Iterable[str] = (),
) -> Any:
    """The one retry loop: run `attempt`, judge it, log it, retry what is transient.

    `attempt` makes one request and returns its `Answer`; `classify` turns an answer or the
    exception `attempt` raised into an `IntegrationError` (None: a success). An error of an
    `expected` type is an answer the caller handles (e.g. "already there"), logged as a success.
    Returns the successful answer's value or raises the last error. Secret values are
    redacted from the error message and the log row.
    """
    attempts = max(1, attempts or settings.INTEGRATION_HTTP_ATTEMPTS)
    secrets = tuple(s for s in secrets if s)

    def once(attempt_number: int) -> Any:
        started = time.monotonic()
        answer: Answer | None = None
        try:
            answer = attempt()
        except Exception as exc:
            error = classify(exc)
            if error is None:
                raise
        else:
            error = classify(answer)
        if error is not None:
            error.message = redact_text(error.message, secrets)
            error.args = (error.message,)
            error.operation = error.operation or operation
        last_attempt = attempt_number >= attempts
        if error is None or isinstance(error, expected):
            outcome = IntegrationLog.Outcome.OK
        elif isinstance(error, OutcomeUnknown):
            outcome = IntegrationLog.Outcome.UNKNOWN
        elif error.transient and not last_attempt:
            outcome = IntegrationLog.Outcome.RETRIED
        else:
            outcome = IntegrationLog.Outcome.FAILED
        if answer is not None:
            status_code = answer.status_code
        else:
            status_code = error.status if error is not None else None
        record_call(
            service=service,
            operation=operation,
            method=method,
            target=(answer.target if answer is not None else "") or target,
            status_code=status_code,
            duration_ms=int((time.monotonic() - started) * 1000),
            outcome=outcome,
            error="" if error is None or outcome == IntegrationLog.Outcome.OK else error.message,
            secrets=secrets,
        )
        if error is not None:
            raise error
        return answer.value if answer is not None else None

    # A lambda, so a test that replaces this module's `sleep` sees every wait.
    for retry in retry_policy(attempts=attempts, sleep=lambda seconds: sleep(seconds)):
        with retry:
            return once(retry.retry_state.attempt_number)
    raise AssertionError("unreachable: tenacity either returns or re-raises")  # pragma: no cover


def send(
    *,
    service: str,
    operation: str,
    method: str,
    url: str,
    params: dict | list | None = None,
    data: dict | bytes | str | None = None,
    json: Any = None,
    files: dict | None = None,
    headers: dict | None = None,
    timeout: float | None = None,
    attempts: int | None = None,
    idempotent: bool | None = None,
    classify: Classifier = default_classify,
    secrets: Iterable[str] = (),
    session: requests.Session | None = None,
) -> requests.Response:
    """Send one logical request, retrying transient failures a bounded number of times.

    Returns the successful response or raises an `IntegrationError` subclass. Secret values in
    `secrets` (tokens, client secrets) are redacted from every log row and error message.
    """
    method = method.upper()
    idempotent = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
    secrets = tuple(s for s in secrets if s)
    http = session or requests
    request_headers = {"User-Agent": user_agent(), **(headers or {})}

    def attempt() -> Answer:
        response = http.request(
            method,
            url,
            params=params,
            data=data,
            json=json,
            files=files,
            headers=request_headers,
            timeout=timeout or settings.INTEGRATION_HTTP_TIMEOUT,
        )
        return Answer(response, status_code=response.status_code, target=redact_url(response.url))

    def judge(outcome: Answer | Exception) -> IntegrationError | None:
        if isinstance(outcome, Answer):
            return classify(outcome.value)
        if not isinstance(outcome, requests.RequestException):
            return None  # not a failure of the call: a bug, raised as it is
        detail = redact_text(network_problem(outcome, url), secrets)
        if idempotent or _never_connected(outcome):
            return TransientError(NETWORK_ERROR % {"problem": detail})
        return OutcomeUnknown(SENT_NO_ANSWER % {"problem": detail})

    return run_with_retries(
        service=service,
        operation=operation,
        method=method,
        target=redact_url(url),
        attempt=attempt,
        classify=judge,
        attempts=attempts,
        secrets=secrets,
    )


def sleep(seconds: float) -> None:
    """The pause between attempts (a module attribute so a test can observe the waits)."""
    if seconds > 0:
        time.sleep(seconds)
