from django.apps import AppConfig


class GoogleCalendarConfig(AppConfig):
    name = "integrations.google_calendar"
    label = "google_calendar"
    verbose_name = "Google Calendar"

    def ready(self) -> None:
        from integrations.google_calendar import signals

        signals.connect()
