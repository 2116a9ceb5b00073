from django.apps import AppConfig


class PatreonSyncConfig(AppConfig):
    name = "patreon_sync"
    verbose_name = "Patreon"

    def ready(self):
        from events.demo import register_demo_rows
        from patreon_sync import checks  # noqa: F401  (registers the system checks)
        from patreon_sync.demo import add_demo_rows

        register_demo_rows(add_demo_rows)
        _tell_staff_of_changes()


def _tell_staff_of_changes() -> None:
    """Saves after which the integrations page's verdict may have turned: staff are told now."""
    from integrations.notices.queue import watch
    from patreon_sync.models import WebhookDelivery

    watch(WebhookDelivery, when=lambda delivery: delivery.status == WebhookDelivery.Status.FAILED)
