from django.apps import AppConfig


class SlApiConfig(AppConfig):
    name = "sl_api"
    verbose_name = "Second Life API"

    def ready(self) -> None:
        from sl_api import signals

        signals.connect()
