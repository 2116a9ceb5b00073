from django.apps import AppConfig


class PatreonSyncConfig(AppConfig):
    name = "patreon_sync"
    verbose_name = "Patreon"

    def ready(self) -> None:
        from events.demo import register_demo_rows
        from integrations import registry
        from patreon_sync import actions, checks, status  # noqa: F401
        from patreon_sync.demo import add_demo_rows

        register_demo_rows(add_demo_rows)
        registry.register(
            registry.StatusProvider(
                name="Patreon",
                service="patreon",
                status=status.integration_status,
                actions=(
                    registry.ProviderAction(
                        "test_connection",
                        "Test the connection",
                        actions.connection_check,
                        help_text="One call to Patreon with the creator token.",
                    ),
                    registry.ProviderAction(
                        "retry_failed",
                        "Reprocess failed deliveries",
                        actions.deliveries_retry_failed,
                        permission="patreon_sync.change_webhookdelivery",
                    ),
                    registry.ProviderAction(
                        "webhook_state",
                        "Is our webhook paused?",
                        actions.webhook_state,
                        help_text=(
                            "Patreon pauses our webhook after repeated failed deliveries and "
                            "tells no one: this page only knows by asking Patreon, which this "
                            "button does. While paused, supporter changes reach the site only "
                            "through sync_patrons."
                        ),
                    ),
                    registry.ProviderAction(
                        "resume_webhook",
                        "Resume the webhook",
                        actions.webhook_resume,
                        permission="patreon_sync.change_webhookdelivery",  # changes Patreon's state
                        help_text=(
                            "Unpauses our webhook (harmless if it is not paused); Patreon then "
                            "sends what it held back."
                        ),
                    ),
                ),
            )
        )
        _tell_staff_of_changes()


def _tell_staff_of_changes() -> None:
    """Saves after which the integrations page's verdict may have turned: staff are told now."""
    from integrations.notices.queue import watch
    from patreon_sync.models import WebhookDelivery

    watch(WebhookDelivery, when=lambda delivery: delivery.status == WebhookDelivery.Status.FAILED)
