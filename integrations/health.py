"""What the integrations page shows: each provider's status, completed from the call log.

A read-only selector: a few queries per integration, never an external call.
"""

import logging
import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy, ngettext

from integrations.action_outcomes import action_outcomes
from integrations.in_words import in_words
from integrations.models import ActionOutcome, IntegrationLog
from integrations.registry import ProviderAction, StatusProvider, providers
from integrations.status import IntegrationStatus, Verdict

logger = logging.getLogger("integrations")

TOKEN_EXPIRY_WARNING = timedelta(days=7)
NOT_AVAILABLE = gettext_lazy("This integration is not installed in this version of the site.")


@dataclass
class IntegrationReport:
    provider: StatusProvider
    status: IntegrationStatus
    available: bool = True  # False: not installed, or its status could not be read
    broken: bool = False  # its status code raised: a bug for the developer, shown as a problem
    actions: list[ProviderAction] = field(default_factory=list)
    calls_url: str = ""
    failed_calls_url: str = ""
    last_answers: dict[str, ActionOutcome] = field(default_factory=dict)  # by action key

    @property
    def buttons(self) -> list[tuple[ProviderAction, ActionOutcome | None]]:
        """Each offered button with what it last answered (None: never pressed)."""
        return [(action, self.last_answers.get(action.key)) for action in self.actions]

    @property
    def verdict(self) -> Verdict | None:
        """The status's verdict; None when the status itself could not be read."""
        return None if not self.available else self.status.verdict

    @property
    def needs_attention(self) -> bool:
        return self.broken or (self.verdict is not None and self.verdict.needs_attention)


def integration_reports() -> list[IntegrationReport]:
    answers = action_outcomes()
    reports = [integration_report(provider) for provider in providers()]
    for report in reports:
        report.last_answers = {
            key: outcome
            for (service, key), outcome in answers.items()
            if service == report.provider.service
        }
    return reports


def integration_report(provider: StatusProvider) -> IntegrationReport:
    try:
        status = provider.status()
    except ImportError:  # what it needs is not installed on this server
        return _unavailable(provider, NOT_AVAILABLE)
    except Exception as exc:  # one broken integration must not hide the others' health
        logger.exception("integrations page: reading the %s status failed", provider.name)
        return _unavailable(
            provider,
            gettext(
                "Its status could not be read (%(error)s). "
                "The error is in the server log; tell the site's developer."
            )
            % {"error": type(exc).__name__},
            broken=True,
        )
    _fill_from_call_log(status)
    _warn_of_token_expiry(status)
    return IntegrationReport(
        provider=provider,
        status=status,
        actions=[a for a in provider.actions if _offered(a, status)],
        calls_url=_calls_url(provider.service),
        failed_calls_url=_calls_url(provider.service, outcome__exact=IntegrationLog.Outcome.FAILED),
    )


def _unavailable(
    provider: StatusProvider, problem: str, *, broken: bool = False
) -> IntegrationReport:
    status = IntegrationStatus(
        name=provider.name, service=provider.service, configured=False, problems=[problem]
    )
    _fill_from_call_log(status)
    return IntegrationReport(
        provider=provider,
        status=status,
        available=False,
        broken=broken,
        calls_url=_calls_url(provider.service),
        failed_calls_url=_calls_url(provider.service, outcome__exact=IntegrationLog.Outcome.FAILED),
    )


def _offered(action: ProviderAction, status: IntegrationStatus) -> bool:
    if not status.configured:
        return False
    return action.offered_when is None or bool(action.offered_when(status))


def _fill_from_call_log(status: IntegrationStatus) -> None:
    """The log of its external calls completes what an integration reports: its last success
    and last failure are the later of the two (a button's call counts as much as a sync)."""
    calls = IntegrationLog.objects.filter(service=status.service)
    success = (
        calls.filter(outcome=IntegrationLog.Outcome.OK)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if success is not None and (status.last_success_at is None or success > status.last_success_at):
        status.last_success_at = success
    failure = (
        calls.filter(outcome__in=[IntegrationLog.Outcome.FAILED, IntegrationLog.Outcome.UNKNOWN])
        .order_by("-created_at")
        .only("created_at", "operation", "error")
        .first()
    )
    if failure is not None and (
        status.last_error_at is None or failure.created_at > status.last_error_at
    ):
        status.last_error_at = failure.created_at
        status.last_error = f"{failure.operation}: {in_words(failure.error)}"


def _warn_of_token_expiry(status: IntegrationStatus) -> None:
    """A token that stops working within TOKEN_EXPIRY_WARNING is a problem today, so staff
    renew it before posts or syncs fail."""
    expires_at = status.token_expires_at
    now = timezone.now()
    if expires_at is None or status.token_ok is False or expires_at <= now:
        return  # an expired token is the provider's own problem (token_ok False)
    if expires_at - now <= TOKEN_EXPIRY_WARNING:
        days = math.ceil((expires_at - now) / timedelta(days=1))
        status.problems.append(
            ngettext(
                "The token stops working on %(day)s, in %(days)d day: renew it before then.",
                "The token stops working on %(day)s, in %(days)d days: renew it before then.",
                days,
            )
            % {
                "day": formats.date_format(timezone.localtime(expires_at), "DATE_FORMAT"),
                "days": days,
            }
        )


def _calls_url(service: str, **filters: str) -> str:
    url = reverse("admin:integrations_integrationlog_changelist")
    return f"{url}?{urlencode({'service': service, **filters})}"
