from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacebookConfig(AppConfig):
    name = "integrations.facebook"
    label = "facebook"
    verbose_name = "Facebook"

    def ready(self) -> None:
        # The modules with recorded wordings are imported here, so `in_words` knows them in
        # every process.
        from events.demo import register_demo_rows
        from integrations import registry
        from integrations.facebook import (  # noqa: F401
            actions,
            checks,
            publish,
            services,
            signals,
            status,
        )
        from integrations.facebook.demo import add_demo_rows

        signals.connect()
        register_demo_rows(add_demo_rows)
        registry.register(
            registry.StatusProvider(
                name="Facebook",
                service="facebook",
                status=status.integration_status,
                # No "retry" button: each Page post is a staff decision, re-announced from the
                # events list through its confirmation page (the "Failed posts" link leads there).
                actions=(
                    registry.ProviderAction(
                        "test_connection",
                        _("Check the Page token"),
                        actions.page_token_check_answer,
                        permission="facebook.announce_on_facebook",
                        help_text=_(
                            "Asks Facebook whether the Page token works and when it expires."
                        ),
                    ),
                ),
            )
        )
        _tell_staff_of_changes()


def _tell_staff_of_changes() -> None:
    """Saves after which the integrations page's verdict may have turned: staff are told now."""
    from integrations.facebook.models import FacebookPost, TokenCheck
    from integrations.notices.queue import watch

    fine = {FacebookPost.Status.QUEUED, FacebookPost.Status.SENDING, FacebookPost.Status.POSTED}
    watch(TokenCheck)
    watch(FacebookPost, when=lambda post: post.status not in fine)  # failed, to check, held
