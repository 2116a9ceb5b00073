from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoogleCalendarConfig(AppConfig):
    name = "integrations.google_calendar"
    label = "google_calendar"
    verbose_name = _("Google Calendar")

    def ready(self) -> None:
        from events.demo import register_demo_rows
        from integrations import registry
        from integrations.google_calendar import actions, checks, signals, status  # noqa: F401
        from integrations.google_calendar.demo import add_demo_rows

        signals.connect()
        register_demo_rows(add_demo_rows)
        registry.register(
            registry.StatusProvider(
                name=status.NAME,
                service=status.SERVICE,
                status=status.integration_status,
                actions=(
                    registry.ProviderAction(
                        "test_connection",
                        _("Test the connection"),
                        actions.test_connection,
                        help_text=_("Reads both calendars with the service account."),
                    ),
                    registry.ProviderAction(
                        "retry_failed",
                        _("Sync the failed events again"),
                        actions.retry_failed,
                        permission="google_calendar.change_calendarentry",
                    ),
                ),
            )
        )
