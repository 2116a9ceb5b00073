from django.apps import AppConfig


class TdcConfig(AppConfig):
    name = "tdc"
    verbose_name = "The Dreamer's Cave"
