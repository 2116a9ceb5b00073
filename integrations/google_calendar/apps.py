from django.apps import AppConfig


class GoogleCalendarConfig(AppConfig):
    name = "integrations.google_calendar"
    label = "google_calendar"
    verbose_name = "Google Calendar"

    def ready(self) -> None:
        from integrations.google_calendar import signals

        signals.connect()
        from events.demo import register_demo_rows
        from integrations.google_calendar.demo import add_demo_rows

        register_demo_rows(add_demo_rows)
