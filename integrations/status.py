"""The shape in which every integration reports its health to the admin's integrations page.

Each integration (google_calendar, facebook, patreon_sync) exposes, in its own `status.py`,
`def integration_status() -> IntegrationStatus`: a read-only selector, cheap (a few queries,
no external call). Testing the connection is a separate, explicit action.
"""

from dataclasses import dataclass, field
from datetime import datetime


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
    # Admin links for staff: (label, url), e.g. ("Failed sync records", "/admin/…?state=failed").
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return self.configured and not self.problems and not self.failed
