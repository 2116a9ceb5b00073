from django.apps import AppConfig


class FacebookConfig(AppConfig):
    name = "integrations.facebook"
    label = "facebook"
    verbose_name = "Facebook"

    def ready(self) -> None:
        from integrations.facebook import signals

        signals.connect()
