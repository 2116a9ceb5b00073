"""The integrations the admin's integrations page shows, and their buttons.

Each integration registers itself from its `AppConfig.ready()`, so this package names none of
them; they appear in `INSTALLED_APPS` order. See docs/architecture.md.
"""

from collections.abc import Callable
from dataclasses import dataclass

from integrations.status import IntegrationStatus


@dataclass(frozen=True)
class ProviderAction:
    """A button on the integrations page.

    `function` takes no arguments (or only `user`, the staff member who pressed it) and returns
    a plain-words outcome for staff; it raises an `integrations.http.IntegrationError` when the
    work could not be done.
    """

    key: str  # "test_connection", "retry_failed", "resume_webhook"; part of the button's URL
    label: str
    function: Callable[..., str]
    permission: str = ""  # an extra permission the button needs (e.g. posting publicly)
    help_text: str = ""
    # Shown only when this returns True for the provider's current status (None: always shown).
    offered_when: Callable[[IntegrationStatus], bool] | None = None


@dataclass(frozen=True)
class StatusProvider:
    name: str
    service: str  # the IntegrationLog.service value, and the button URLs' part
    status: Callable[[], IntegrationStatus]
    actions: tuple[ProviderAction, ...] = ()

    def action(self, key: str) -> ProviderAction | None:
        return next((action for action in self.actions if action.key == key), None)


_providers: list[StatusProvider] = []


def register(provider: StatusProvider) -> None:
    """Add `provider` to the page; registering a service again replaces it (ready() may run
    more than once in one process, e.g. under a test runner)."""
    for index, known in enumerate(_providers):
        if known.service == provider.service:
            _providers[index] = provider
            return
    _providers.append(provider)


def providers() -> list[StatusProvider]:
    """The registered integrations, in the order staff see them."""
    return list(_providers)
