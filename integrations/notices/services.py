"""Deciding and sending the staff notices: the one check the schedule, the events that change
a verdict and `manage.py notify_staff` all run.

A notice goes out when an integration's state (its verdict and the problems the page lists,
counts and dates aside) differs from the one staff were last told about; at most one per
integration per STAFF_NOTICE_INTERVAL_MINUTES, the next one summing up what happened meanwhile.
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from integrations.health import IntegrationReport
from integrations.models import NoticeDigest, NoticeState
from integrations.notices import compose
from integrations.notices.channels import chat_post, mail_send
from integrations.notices.selectors import (
    Recipient,
    digest_recipients,
    notice_language,
    notice_recipients,
    reports_in,
)

logger = logging.getLogger("integrations")

PROBLEM, RECOVERY, DIGEST = "problem", "recovery", "digest"
_NUMBERS = re.compile(r"\d+")


@dataclass
class Sent:
    """What one notice was and where it went, for the command's output and the tests."""

    kind: str
    service: str
    subject: str
    emails: list[str] = field(default_factory=list)
    chat: bool = False

    def __str__(self) -> str:
        where = [", ".join(self.emails)] if self.emails else []
        if self.chat:
            where.append("chat")
        return f"{self.subject} -> {'; '.join(where) or 'nobody (no recipient, no chat)'}"


@dataclass(frozen=True)
class _Due:
    kind: str
    service: str
    since: datetime
    changes: int
    previous_notice_at: datetime | None


def state_of(report: IntegrationReport) -> tuple[str, bool]:
    """(fingerprint, needs attention) of what the page shows. Numbers are left out, so that
    "3 posts failed" becoming "4 posts failed" is the same state, not a new notice."""
    bad = report.needs_attention
    problems = sorted(_NUMBERS.sub("#", str(problem)) for problem in report.status.problems)
    described = "\n".join([str(report.verdict), "broken" if report.broken else "", *problems])
    return hashlib.sha256(described.encode()).hexdigest(), bad


def staff_notices_check(*, now: datetime | None = None) -> list[Sent]:
    """Compare every integration's state with what staff were told, send what is due (and the
    daily digest when its hour has come). Returns what was sent."""
    now = now or timezone.now()
    interval = timedelta(minutes=settings.STAFF_NOTICE_INTERVAL_MINUTES)
    reports = reports_in(settings.LANGUAGE_CODE)
    due = []
    for service, report in reports.items():
        fingerprint, bad = state_of(report)
        found = _due(service, fingerprint=fingerprint, bad=bad, now=now, interval=interval)
        if found is not None:
            due.append(found)
    sent = [_send(notice) for notice in due]
    return sent + daily_digest_if_due(now=now)


def _due(
    service: str, *, fingerprint: str, bad: bool, now: datetime, interval: timedelta
) -> _Due | None:
    """Record what is observed and claim the notice it calls for, if any (in one transaction,
    so two checks running at once never send the same notice twice)."""
    try:
        with transaction.atomic():
            return _due_locked(
                service, fingerprint=fingerprint, bad=bad, now=now, interval=interval
            )
    except IntegrityError:  # another check created this row at the same moment: it decides
        return None


def _due_locked(
    service: str, *, fingerprint: str, bad: bool, now: datetime, interval: timedelta
) -> _Due | None:
    row = NoticeState.objects.select_for_update().filter(service=service).first()
    if row is None:
        row = NoticeState(
            service=service, observed=fingerprint, observed_since=now, observed_bad=bad
        )
        if not bad:  # first sight of a service that is fine: nothing to tell
            row.notified, row.notified_bad = fingerprint, False
            row.save()
            return None
        row.changes_since_notice = 1
    elif row.observed != fingerprint:
        row.observed, row.observed_since, row.observed_bad = fingerprint, now, bad
        row.changes_since_notice += 1
    elif row.notified == row.observed:
        return None  # the usual case: nothing changed, nothing to write
    if row.notified == row.observed:
        # Back to what staff were last told (a flap that settled): nothing new to say; the
        # changes stay counted for the next notice's summary.
        row.save()
        return None
    if not row.observed_bad and not row.notified_bad:
        # From one fine state to another (working, not verified yet): no one needs to act.
        row.notified, row.changes_since_notice = row.observed, 0
        row.save()
        return None
    if row.notified_at is not None and now - row.notified_at < interval:
        row.save()  # owed: the next check after the interval sends it, summarised
        return None
    found = _Due(
        kind=PROBLEM if row.observed_bad else RECOVERY,
        service=service,
        since=row.observed_since,
        changes=row.changes_since_notice,
        previous_notice_at=row.notified_at,
    )
    row.notified, row.notified_bad, row.notified_at = row.observed, row.observed_bad, now
    row.changes_since_notice = 0
    row.save()
    return found


def _send(notice: _Due) -> Sent:
    compose_notice = compose.problem_notice if notice.kind == PROBLEM else compose.recovery_notice

    def message_in(language: str) -> compose.Message | None:
        report = reports_in(language).get(notice.service)
        if report is None:
            return None
        with translation.override(language):
            return compose_notice(
                report,
                since=notice.since,
                changes=notice.changes,
                previous_notice_at=notice.previous_notice_at,
            )

    return _deliver(
        kind=notice.kind,
        service=notice.service,
        recipients=notice_recipients(),
        message_in=message_in,
        chat=True,
    )


def _deliver(
    *, kind: str, service: str, recipients: list[Recipient], message_in, chat: bool
) -> Sent:
    messages: dict[str, compose.Message | None] = {}

    def message(language: str) -> compose.Message | None:
        if language not in messages:
            messages[language] = message_in(language)
        return messages[language]

    default = message(settings.LANGUAGE_CODE)
    sent = Sent(kind=kind, service=service, subject=default.subject if default else service)
    for recipient in recipients:
        found = message(recipient.language)
        if found is not None and mail_send(
            to=recipient.email, subject=found.subject, body=found.body
        ):
            sent.emails.append(recipient.email)
    if chat and settings.STAFF_CHAT_WEBHOOK_URL:
        found = message(notice_language(settings.STAFF_CHAT_LANGUAGE))
        sent.chat = found is not None and chat_post(text=found.chat_text)
    logger.info("staff notice: %s", sent)
    return sent


def daily_digest_if_due(*, now: datetime) -> list[Sent]:
    """The digest of what needs attention, once a venue day, from STAFF_DIGEST_HOUR on, to
    those who asked for it, only when something does."""
    local = timezone.localtime(now)
    if local.hour < settings.STAFF_DIGEST_HOUR:
        return []
    try:
        with transaction.atomic():
            day, created = NoticeDigest.objects.get_or_create(
                day=local.date(), defaults={"done_at": now}
            )
    except IntegrityError:
        return []  # another check is doing today's
    if not created:
        return []
    recipients = digest_recipients()
    if not recipients:
        return []

    def message_in(language: str) -> compose.Message | None:
        attention = [r for r in reports_in(language).values() if r.needs_attention]
        if not attention:
            return None
        with translation.override(language):
            return compose.digest(attention, day=now)

    if message_in(settings.LANGUAGE_CODE) is None:
        return []  # nothing needs attention: no digest today
    sent = _deliver(
        kind=DIGEST, service="", recipients=recipients, message_in=message_in, chat=False
    )
    NoticeDigest.objects.filter(pk=day.pk).update(sent=bool(sent.emails))
    return [sent]
