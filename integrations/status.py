"""The shape in which every integration reports its health to the admin's integrations page.

Each integration (google_calendar, facebook, patreon_sync) exposes, in its own `status.py`,
`def integration_status() -> IntegrationStatus`: a read-only selector, cheap (a few queries,
no external call). Testing the connection is a separate, explicit action.
"""

from collections.abc import Callable
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
    name: str  # "Google Calendar", "Facebook", "Patreon"
    service: str  # the IntegrationLog.service value: "google_calendar", "facebook", "patreon"
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


# --- The registry the admin's integrations page reads -------------------------------------------
# Providers are named by dotted path so that `integrations` imports no integration (see
# docs/architecture.md) and one that is missing or broken shows as such, not a broken page.


@dataclass(frozen=True)
class ProviderAction:
    """A button on the integrations page.

    `function` (dotted path) takes no arguments and returns a plain-words outcome for staff;
    it raises an `integrations.http.IntegrationError` when the work could not be done.
    """

    key: str  # "test_connection", "retry_failed", "resume_webhook"; part of the button's URL
    label: str
    function: str
    permission: str = ""  # an extra permission the button needs (e.g. posting publicly)
    help_text: str = ""
    # Shown only when this returns True for the provider's current status (None: always shown).
    offered_when: Callable[[IntegrationStatus], bool] | None = None


@dataclass(frozen=True)
class StatusProvider:
    name: str
    service: str
    status: str  # dotted path to `integration_status() -> IntegrationStatus`
    actions: tuple[ProviderAction, ...] = ()

    def action(self, key: str) -> ProviderAction | None:
        return next((action for action in self.actions if action.key == key), None)


def status_providers() -> list[StatusProvider]:
    """Google Calendar, Facebook and Patreon, in the order staff see them."""
    return list(STATUS_PROVIDERS)


STATUS_PROVIDERS: tuple[StatusProvider, ...] = (
    StatusProvider(
        name="Google Calendar",
        service="google_calendar",
        status="integrations.google_calendar.status.integration_status",
        actions=(
            ProviderAction(
                "test_connection",
                "Test the connection",
                "integrations.google_calendar.status.test_connection",
                help_text="Reads both calendars with the service account.",
            ),
            ProviderAction(
                "retry_failed",
                "Sync the failed events again",
                "integrations.google_calendar.status.retry_failed",
                permission="google_calendar.change_calendarentry",
            ),
        ),
    ),
    StatusProvider(
        name="Facebook",
        service="facebook",
        status="integrations.facebook.status.integration_status",
        # No "retry" button: each Page post is a staff decision, re-announced from the events
        # list through its confirmation page (the "Failed posts" link leads there).
        actions=(
            ProviderAction(
                "test_connection",
                "Check the Page token",
                "integrations.facebook.token_check.page_token_check_answer",
                permission="facebook.announce_on_facebook",
                help_text="Asks Facebook whether the Page token works and when it expires.",
            ),
        ),
    ),
    StatusProvider(
        name="Patreon",
        service="patreon",
        status="patreon_sync.status.integration_status",
        actions=(
            ProviderAction(
                "test_connection",
                "Test the connection",
                "patreon_sync.services.connection_check",
                help_text="One call to Patreon with the creator token.",
            ),
            ProviderAction(
                "retry_failed",
                "Reprocess failed deliveries",
                "patreon_sync.services.deliveries_retry_failed",
                permission="patreon_sync.change_webhookdelivery",
            ),
            ProviderAction(
                "webhook_state",
                "Is our webhook paused?",
                "patreon_sync.services.webhook_state",
                help_text=(
                    "Patreon pauses our webhook after repeated failed deliveries and tells no "
                    "one: this page only knows by asking Patreon, which this button does. "
                    "While paused, supporter changes reach the site only through sync_patrons."
                ),
            ),
            ProviderAction(
                "resume_webhook",
                "Resume the webhook",
                "patreon_sync.services.webhook_resume",
                permission="patreon_sync.change_webhookdelivery",  # it changes Patreon's state
                help_text=(
                    "Unpauses our webhook (harmless if it is not paused); Patreon then sends "
                    "what it held back."
                ),
            ),
        ),
    ),
)
