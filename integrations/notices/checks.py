"""System checks (`manage.py check`) of the staff notices' settings. Never print the chat
webhook's address: it is a secret."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.translation import gettext as _


@register("integrations")
def check_staff_chat_webhook(app_configs, **kwargs):
    url = settings.STAFF_CHAT_WEBHOOK_URL
    if not url:
        return []
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc:
        return []
    return [
        Error(
            _("STAFF_CHAT_WEBHOOK_URL is not an https:// address, so no chat notice can be sent."),
            hint=_("Paste the channel webhook's address as Discord shows it (Copy webhook URL)."),
            id="tdc.E005",
        )
    ]


@register("integrations", deploy=True)
def check_notices_reach_someone(app_configs, **kwargs):
    if not settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        return []
    return [
        Warning(
            _(
                "EMAIL_URL is consolemail:// (the default): the staff notices are only printed "
                "in the task worker's output, no one receives them by e-mail."
            ),
            hint=_("Set EMAIL_URL to your mail server, e.g. smtp+tls://USER:PASSWORD@HOST:587."),
            id="tdc.W003",
        )
    ]
