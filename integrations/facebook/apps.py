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
        _tell_staff_of_changes()


def _tell_staff_of_changes() -> None:
    """Saves after which the integrations page's verdict may have turned: staff are told now."""
    from integrations.facebook.models import FacebookPost, TokenCheck
    from integrations.notices.queue import watch

    fine = {FacebookPost.Status.QUEUED, FacebookPost.Status.SENDING, FacebookPost.Status.POSTED}
    watch(TokenCheck)
    watch(FacebookPost, when=lambda post: post.status not in fine)  # failed, to check, held
