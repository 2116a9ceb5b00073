"""The shape in which every integration reports its health to the admin's integrations page.

Each integration exposes, in its own `status.py`, `def integration_status() -> IntegrationStatus`:
a read-only selector, cheap (a few queries, no external call), which its `apps.py` registers
with `integrations.registry`. Testing the connection is a separate, explicit action.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Verdict(StrEnum):
    """What an integration is doing, in one word, judged from what last happened."""

    NOT_CONFIGURED = "not-configured"
    FAILING = "failing"  # its last call failed, later than its last success
    ATTENTION = "attention"  # it works, but something staff must act on is waiting
    NOT_VERIFIED = "not-verified"  # configured, never reached successfully
    WORKING = "ok"  # its latest outcome was a success and nothing is waiting on staff

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS[self])

    @property
    def needs_attention(self) -> bool:
        return self in (Verdict.FAILING, Verdict.ATTENTION)


VERDICT_LABELS = {
    Verdict.NOT_CONFIGURED: _("not configured"),
    Verdict.FAILING: _("failing"),
    Verdict.ATTENTION: _("needs attention"),
    Verdict.NOT_VERIFIED: _("not verified yet"),
    Verdict.WORKING: _("working"),
}


@dataclass
class IntegrationStatus:
    name: str  # the integration as staff know it
    service: str  # the IntegrationLog.service value its client logs under
    configured: bool
    missing_settings: list[str] = field(default_factory=list)
    last_success_at: datetime | None = None
    last_error_at: datetime | None = None
    last_error: str = ""
    waiting: int = 0  # records queued / pending
    failed: int = 0  # records in a failed state that staff should look at
    # Token health in plain words, e.g. "Page token valid until 12 Jan 2027" or "expired".
    token: str = ""
    token_ok: bool | None = None  # None: unknown / not applicable
    # When a token that does not renew itself stops working: staff are warned a week ahead.
    token_expires_at: datetime | None = None
    # Plain-words problems, each with what to do ("Share calendar X with sa@…").
    problems: list[str] = field(default_factory=list)
    # What staff might like to know that is no fault ("the first scheduled sync runs at 03:00").
    notes: list[str] = field(default_factory=list)
    # Admin links for staff: (label, url), e.g. ("Failed sync records", "/admin/…?state=failed").
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        """Configured, with no problem or failed record waiting on staff."""
        return self.configured and not self.problems and not self.failed

    @property
    def failing(self) -> bool:
        """Its last failure is later than its last success (or it never succeeded)."""
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at > self.last_success_at

    @property
    def verdict(self) -> Verdict:
        """The one verdict the integrations page, the admin index (and anything that tells staff
        about a change) show: from what happened, never from the settings alone."""
        if not self.configured:
            return Verdict.NOT_CONFIGURED
        if self.failing:
            return Verdict.FAILING
        if not self.healthy or self.token_ok is False:
            return Verdict.ATTENTION
        if self.last_success_at is None:
            return Verdict.NOT_VERIFIED
        return Verdict.WORKING
