"""The staff notices' button on the integrations page: send a test notice through both channels."""

from django.conf import settings
from django.utils.translation import gettext as _

from integrations.http import PermanentError
from integrations.notices import compose
from integrations.notices.channels import chat_post, mail_send
from integrations.notices.selectors import notice_language, notice_recipients


def test_notice() -> str:
    """One test message to each recipient (in their language) and to the chat; plain words.

    Raises a PermanentError when no channel took it (the reasons are in the call log).
    """
    recipients = notice_recipients()
    reached = [
        recipient.email
        for recipient in recipients
        if _send_mail(recipient.email, recipient.language)
    ]
    chat = bool(settings.STAFF_CHAT_WEBHOOK_URL) and chat_post(
        text=compose.test_notice(notice_language(settings.STAFF_CHAT_LANGUAGE)).chat_text
    )
    if not reached and not chat:
        if not recipients and not settings.STAFF_CHAT_WEBHOOK_URL:
            raise PermanentError(_("No one to send it to: no recipient and no chat webhook."))
        raise PermanentError(
            _("Nothing could be sent: the reason is in the external calls (staff_notices).")
        )
    parts = [_("E-mail sent to %(who)s.") % {"who": ", ".join(reached)}] if reached else []
    if recipients and len(reached) < len(recipients):
        parts.append(_("Some e-mails failed: see the external calls (staff_notices)."))
    if settings.STAFF_CHAT_WEBHOOK_URL:
        parts.append(_("Posted in the chat.") if chat else _("The chat refused it."))
    return " ".join(parts)


def _send_mail(email: str, language: str) -> bool:
    message = compose.test_notice(language)
    return mail_send(to=email, subject=message.subject, body=message.body)
