"""System checks (`manage.py check`) of the settings shared by every integration."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext as _


@register("integrations")
def check_call_log_retention(app_configs, **kwargs):
    days = settings.INTEGRATION_LOG_RETENTION_DAYS
    if days >= 1:
        return []
    return [
        Error(
            _(
                "INTEGRATION_LOG_RETENTION_DAYS is %(days)s: the daily pruning of the "
                "external-call log refuses to run with less than 1 day, so the log would grow "
                "without end."
            )
            % {"days": days},
            hint=_("Set it to the number of days of external calls to keep, e.g. 30."),
            id="tdc.E004",
        )
    ]
