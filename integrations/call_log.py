"""Recording external calls, with secrets redacted, for the admin's call log."""

import logging
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import DatabaseError, transaction

from integrations.models import IntegrationLog

logger = logging.getLogger("integrations")

REDACTED = "***"
# Query/body parameter names whose values are credentials, whoever's API it is.
SECRET_PARAMS = frozenset(
    {
        "access_token",
        "appsecret_proof",
        "client_secret",
        "refresh_token",
        "code",
        "input_token",
        "token",
        "password",
        "key",
        "assertion",
    }
)
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)


def redact_url(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [
        (name, REDACTED if name.lower() in SECRET_PARAMS else value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove known secret values and bearer tokens from free text (error messages, bodies)."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return _BEARER.sub(rf"\1{REDACTED}", text)


def record_call(
    *,
    service: str,
    operation: str,
    method: str = "",
    target: str = "",
    status_code: int | None = None,
    duration_ms: int = 0,
    outcome: str,
    error: str = "",
    secrets: Iterable[str] = (),
) -> IntegrationLog | None:
    """Write the log row; never raise: the log is a record, not the call's outcome.

    A post that went out must not turn into an error (and be sent again) because its log row
    could not be written, so the insert runs in its own savepoint and a failure is only logged.
    """
    secrets = tuple(secrets)
    entry = IntegrationLog(
        service=service,
        operation=operation[:60],
        method=method[:10],
        target=redact_text(redact_url(target), secrets)[:500],
        status_code=status_code,
        duration_ms=max(0, int(duration_ms)),
        outcome=outcome,
        error=redact_text(error, secrets)[:4000],
    )
    log = logger.info if outcome == IntegrationLog.Outcome.OK else logger.warning
    log(
        "%s %s %s -> %s %s %s",
        service,
        operation,
        entry.target,
        status_code,
        outcome,
        entry.error[:300],
    )
    try:
        with transaction.atomic():
            entry.save()
    except DatabaseError:
        logger.exception("Could not record the %s %s call in the call log", service, operation)
        return None
    return entry
