"""The words of the notices, in the language active when they are composed (the caller sets
the recipient's). Plain words: what happened, since when, what to do, and the page's link."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.when import in_current_zone
from integrations.health import IntegrationReport
from integrations.status import Verdict


@dataclass(frozen=True)
class Message:
    subject: str
    body: str

    @property
    def chat_text(self) -> str:
        """One chat message: the subject in bold, then the body, within Discord's 2000."""
        text = f"**{self.subject}**\n{self.body}"
        return text if len(text) <= 2000 else text[:1997] + "..."


def page_url() -> str:
    return settings.SITE_URL + reverse("admin:integrations_health")


def _name(report: IntegrationReport) -> str:
    return str(report.status.name)


def _what_is_wrong(report: IntegrationReport) -> list[str]:
    """Each problem as the page words it (each says what to do), the last error when failing."""
    lines = [str(problem) for problem in report.status.problems]
    if report.verdict == Verdict.FAILING and report.status.last_error:
        lines.insert(0, _("Last error: %(error)s") % {"error": report.status.last_error})
    return lines


def _verdict_sentence(report: IntegrationReport) -> str:
    if report.broken:
        return _("%(name)s: its state cannot be read.") % {"name": _name(report)}
    if report.verdict == Verdict.FAILING:
        return _("%(name)s is failing: its last attempt failed.") % {"name": _name(report)}
    return _("%(name)s needs attention.") % {"name": _name(report)}


def _changes_line(changes: int, previous_notice_at: datetime | None) -> str:
    """A flapping integration is summarised in the next notice instead of one notice each."""
    if changes <= 1 or previous_notice_at is None:
        return ""
    return ngettext(
        "Its state changed %(count)d time since the last notice (%(when)s).",
        "Its state changed %(count)d times since the last notice (%(when)s).",
        changes,
    ) % {"count": changes, "when": in_current_zone(previous_notice_at)}


def problem_notice(
    report: IntegrationReport,
    *,
    since: datetime,
    changes: int = 1,
    previous_notice_at: datetime | None = None,
) -> Message:
    subject = (
        _("[TDC] %(name)s is failing") % {"name": _name(report)}
        if report.verdict == Verdict.FAILING
        else _("[TDC] %(name)s needs attention") % {"name": _name(report)}
    )
    lines = [_verdict_sentence(report), _("Since: %(when)s") % {"when": in_current_zone(since)}]
    if report.status.last_success_at:
        lines.append(
            _("Last worked: %(when)s") % {"when": in_current_zone(report.status.last_success_at)}
        )
    changed = _changes_line(changes, previous_notice_at)
    if changed:
        lines.append(changed)
    wrong = _what_is_wrong(report)
    lines += ["", _("What happened and what to do:")]
    lines += [f"- {line}" for line in wrong] or [
        "- " + _("Open the integrations page: it shows the details and the calls behind them.")
    ]
    lines += ["", _("The integrations page: %(url)s") % {"url": page_url()}]
    return Message(subject=subject, body="\n".join(lines))


def recovery_notice(
    report: IntegrationReport,
    *,
    since: datetime,
    changes: int = 1,
    previous_notice_at: datetime | None = None,
) -> Message:
    name = _name(report)
    if report.verdict == Verdict.WORKING:
        subject = _("[TDC] %(name)s works again") % {"name": name}
        first = _("%(name)s works again: nothing to do.") % {"name": name}
    else:
        subject = _("[TDC] %(name)s no longer needs attention") % {"name": name}
        first = _("%(name)s no longer needs attention; it is now “%(verdict)s”.") % {
            "name": name,
            "verdict": report.verdict.label if report.verdict else "",
        }
    lines = [first, _("Since: %(when)s") % {"when": in_current_zone(since)}]
    changed = _changes_line(changes, previous_notice_at)
    if changed:
        lines.append(changed)
    lines += ["", _("The integrations page: %(url)s") % {"url": page_url()}]
    return Message(subject=subject, body="\n".join(lines))


def digest(reports: list[IntegrationReport], *, day: datetime) -> Message:
    """What needs attention today, integration by integration."""
    subject = ngettext(
        "[TDC] %(count)d integration needs attention",
        "[TDC] %(count)d integrations need attention",
        len(reports),
    ) % {"count": len(reports)}
    lines = [
        _("What needs attention on %(day)s:")
        % {"day": formats.date_format(timezone.localtime(day), "DATE_FORMAT")}
    ]
    for report in reports:
        lines += ["", _verdict_sentence(report)]
        lines += [f"- {line}" for line in _what_is_wrong(report)]
    lines += ["", _("The integrations page: %(url)s") % {"url": page_url()}]
    return Message(subject=subject, body="\n".join(lines))


def test_notice(language: str) -> Message:
    """What the integrations page's "Send a test notice" button sends."""
    with translation.override(language):
        return Message(
            subject=_("[TDC] Test notice"),
            body="\n".join(
                [
                    _(
                        "This is a test of the staff notices: if you read it, they reach you. "
                        "You will hear from the site when an integration stops working, and "
                        "when it works again."
                    ),
                    "",
                    _("The integrations page: %(url)s") % {"url": page_url()},
                ]
            ),
        )
