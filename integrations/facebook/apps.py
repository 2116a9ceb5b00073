from django.apps import AppConfig


class FacebookConfig(AppConfig):
    name = "integrations.facebook"
    label = "facebook"
    verbose_name = "Facebook"

    def ready(self) -> None:
        from events.demo import register_demo_rows
        from integrations.facebook import signals
        from integrations.facebook.demo import add_demo_rows

        signals.connect()
        register_demo_rows(add_demo_rows)
