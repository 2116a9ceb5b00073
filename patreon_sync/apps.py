from django.apps import AppConfig


class PatreonSyncConfig(AppConfig):
    name = "patreon_sync"
    verbose_name = "Patreon"

    def ready(self):
        from patreon_sync import checks  # noqa: F401  (registers the system checks)
