from django.apps import AppConfig


class SlApiConfig(AppConfig):
    name = "sl_api"
    verbose_name = "Second Life API"
