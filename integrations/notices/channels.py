"""The two channels of the notices: e-mail (Django's mail) and a chat webhook (Discord's JSON).

Each send is logged in the call log like any external call (service `staff_notices`), so a
failing channel shows on the integrations page; neither ever raises to its caller.
"""

import logging
import smtplib
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext_noop

from integrations.call_log import record_call
from integrations.http import IntegrationError, network_problem, send
from integrations.in_words import recorded_wordings
from integrations.models import IntegrationLog

logger = logging.getLogger("integrations")

SERVICE = "staff_notices"
DISCORD_LIMIT = 2000

# Recorded in English in the call log, read through `in_words` in the reader's language.
MAIL_LOGIN_REFUSED = gettext_noop(
    "The mail server %(server)s refused the user name or password in EMAIL_URL."
)
MAIL_RECIPIENT_REFUSED = gettext_noop("The mail server %(server)s refused the recipient's address.")
MAIL_SENDER_REFUSED = gettext_noop(
    "The mail server %(server)s refused the sender DEFAULT_FROM_EMAIL."
)
MAIL_SERVER_ANSWERED = gettext_noop("The mail server %(server)s answered %(code)s: %(answer)s")
MAIL_BROKE_OFF = gettext_noop("The mail server %(server)s broke off the conversation.")
MAIL_NETWORK = gettext_noop("Could not send the e-mail: %(problem)s")
MAIL_UNEXPECTED = gettext_noop("Could not send the e-mail (%(error)s); see the server log.")
recorded_wordings(
    MAIL_LOGIN_REFUSED,
    MAIL_RECIPIENT_REFUSED,
    MAIL_SENDER_REFUSED,
    MAIL_SERVER_ANSWERED,
    MAIL_BROKE_OFF,
    MAIL_NETWORK,
    MAIL_UNEXPECTED,
)


def mail_send(*, to: str, subject: str, body: str) -> bool:
    """Send one e-mail; True when the mail backend accepted it."""
    started = time.monotonic()
    try:
        EmailMessage(subject=subject, body=body, to=[to]).send()
    except Exception as exc:  # any backend, any failure: recorded, never raised
        _record_mail(
            outcome=IntegrationLog.Outcome.FAILED, started=started, error=_mail_problem(exc)
        )
        return False
    _record_mail(outcome=IntegrationLog.Outcome.OK, started=started)
    return True


def _record_mail(*, outcome: str, started: float, error: str = "") -> None:
    record_call(
        service=SERVICE,
        operation="send e-mail",
        method="SMTP" if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") else "",
        target=_mail_server(),
        duration_ms=int((time.monotonic() - started) * 1000),
        outcome=outcome,
        error=error,
        secrets=[settings.EMAIL_HOST_PASSWORD or ""],
    )


def _mail_server() -> str:
    """Where the mail goes, without credentials (the recipient's address is no one's business
    in the log)."""
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]  # "smtp", "console", "locmem", ...
    if backend == "smtp":
        return f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return f"{backend} mail backend"


def _mail_problem(error: Exception) -> str:
    """Why the mail was not sent, in plain words (never an exception's repr)."""
    server = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return MAIL_LOGIN_REFUSED % {"server": server}
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return MAIL_RECIPIENT_REFUSED % {"server": server}
    if isinstance(error, smtplib.SMTPSenderRefused):
        return MAIL_SENDER_REFUSED % {"server": server}
    if isinstance(error, smtplib.SMTPResponseException):
        answer = error.smtp_error
        if isinstance(answer, bytes):
            answer = answer.decode("utf-8", "replace")
        return MAIL_SERVER_ANSWERED % {"server": server, "code": error.smtp_code, "answer": answer}
    if isinstance(error, smtplib.SMTPException):
        return MAIL_BROKE_OFF % {"server": server}
    if isinstance(error, OSError):
        return MAIL_NETWORK % {"problem": network_problem(error, f"smtp://{server}")}
    return MAIL_UNEXPECTED % {"error": type(error).__name__}


def chat_post(*, text: str) -> bool:
    """Post one message to the staff chat; True when it was accepted. Without a webhook set,
    nothing is sent (and nothing logged)."""
    url = settings.STAFF_CHAT_WEBHOOK_URL
    if not url:
        return False
    parts = urlsplit(url)
    # The path (and query) carry the webhook's token: only the host may reach the log.
    secret = url.split(parts.netloc, 1)[1] if parts.netloc else url
    try:
        send(
            service=SERVICE,
            operation="post to chat",
            method="POST",
            url=url,
            json={"content": text[:DISCORD_LIMIT], "allowed_mentions": {"parse": []}},
            idempotent=False,  # a repeated post would be a second message in the channel
            secrets=[secret, url],
        )
    except IntegrationError as exc:
        logger.warning("staff chat notice not posted: %s", exc.message)
        return False
    return True
