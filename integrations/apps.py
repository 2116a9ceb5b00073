from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from integrations.models import ActionOutcome, IntegrationLog
        from integrations.notices.channels import SERVICE as NOTICES
        from integrations.notices.queue import watch

        # A failed call (not one of the notices' own: no loop) or a button's answer may change
        # a verdict: staff hear of it right away, not at the next scheduled check.
        watch(
            IntegrationLog,
            when=lambda call: (
                call.service != NOTICES
                and call.outcome in (IntegrationLog.Outcome.FAILED, IntegrationLog.Outcome.UNKNOWN)
            ),
        )
        watch(ActionOutcome)
