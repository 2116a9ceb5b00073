"""The staff notices' own health on the integrations page: whether anyone receives them, and
(from the call log) whether the last e-mail or chat post went through."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from integrations.notices.channels import SERVICE
from integrations.notices.selectors import notice_recipients
from integrations.status import IntegrationStatus


def integration_status() -> IntegrationStatus:
    status = IntegrationStatus(name=_("Staff notices"), service=SERVICE, configured=True)
    recipients = notice_recipients()
    if recipients:
        status.notes.append(
            _("E-mail to: %(who)s.") % {"who": ", ".join(r.email for r in recipients)}
        )
    else:
        status.problems.append(
            _(
                "No one receives the notices by e-mail: tick “Tell me about integration "
                "problems” on your user page (with an e-mail address), or give a superuser "
                "an e-mail address."
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        printed = _(
            "E-mail is only printed by the task worker (EMAIL_URL is consolemail://): set "
            "EMAIL_URL to a mail server so staff receive it."
        )
        (status.notes if settings.DEBUG else status.problems).append(printed)
    status.notes.append(
        _("Chat notices: on.") if settings.STAFF_CHAT_WEBHOOK_URL else _("Chat notices: off.")
    )
    status.links = [(_("Staff accounts"), reverse("admin:auth_user_changelist"))]
    return status
