from django.apps import AppConfig


class PatreonSyncConfig(AppConfig):
    name = "patreon_sync"
    verbose_name = "Patreon"
