from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffNoticesConfig(AppConfig):
    """The staff notices, an app of their own only so that they come after the integrations
    in INSTALLED_APPS (their row follows the integrations' rows on the integrations page).
    Their models live in `integrations` (its migrations)."""

    name = "integrations.notices"
    label = "staff_notices"
    verbose_name = _("Staff notices")

    def ready(self) -> None:
        from integrations import registry
        from integrations.models import ActionOutcome, IntegrationLog
        from integrations.notices import actions, checks, status  # noqa: F401 (checks register)
        from integrations.notices.channels import SERVICE
        from integrations.notices.queue import watch

        registry.register(
            registry.StatusProvider(
                name=_("Staff notices"),
                service=SERVICE,
                status=status.integration_status,
                actions=(
                    registry.ProviderAction(
                        "test_connection",
                        _("Send a test notice"),
                        actions.test_notice,
                        help_text=_(
                            "An e-mail to each recipient, and a message in the staff chat."
                        ),
                    ),
                ),
            )
        )

        # A failed call (not one of the notices' own: no loop) or a button's answer may change
        # a verdict: staff hear of it right away, not at the next scheduled check.
        watch(
            IntegrationLog,
            when=lambda call: (
                call.service != SERVICE
                and call.outcome in (IntegrationLog.Outcome.FAILED, IntegrationLog.Outcome.UNKNOWN)
            ),
        )
        watch(ActionOutcome)
