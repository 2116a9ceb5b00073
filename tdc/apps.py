from django.apps import AppConfig


class TdcConfig(AppConfig):
    name = "tdc"
    verbose_name = "The Dreamer's Cave"

    def ready(self):
        from tdc import checks  # noqa: F401  (registers the integration settings checks)
