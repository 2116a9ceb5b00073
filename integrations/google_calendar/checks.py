"""System checks (`manage.py check`) of the Google Calendar settings.

Errors: a credentials file that can only fail. Warnings: half a configuration, which leaves
calendar sync off.
"""

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.translation import gettext as _

from integrations.google_calendar.client import read_key_file


@register("integrations")
def check_google_calendar_credentials(app_configs, **kwargs):
    path = settings.GOOGLE_CALENDAR_CREDENTIALS_PATH
    if not path:
        return []
    where = {"setting": "GOOGLE_CALENDAR_CREDENTIALS_PATH", "path": path}
    hint = _(
        "In Google Cloud console: IAM & Admin > Service accounts > (the account) > Keys > "
        "Add key > JSON; put that file on the server and point the setting at it."
    )
    file = read_key_file(path)
    if file.problem == "missing":
        return [Error(_("%(setting)s: no file at %(path)s.") % where, hint=hint, id="tdc.E001")]
    if file.problem == "folder":
        message = _("%(setting)s: %(path)s is a folder, not a file.") % where
        return [Error(message, hint=hint, id="tdc.E001")]
    if file.problem == "unreadable":
        return [
            Error(
                _("%(setting)s: %(path)s cannot be read by this user.") % where,
                hint=_("Let the user that runs the site and the worker read it (and nobody else)."),
                id="tdc.E001",
            )
        ]
    if file.problem == "not-json":
        message = _("%(setting)s: %(path)s is not a JSON file.") % where
        return [Error(message, hint=hint, id="tdc.E002")]
    # Never quote the file's values: it holds a private key.
    if file.kind == "oauth_client":
        message = _("%(setting)s: %(path)s is an OAuth client file.") % where
        return [Error(message, hint=hint, id="tdc.E002")]
    if file.kind != "service_account":
        message = _("%(setting)s: %(path)s is not a service account key.") % where
        return [Error(message, hint=hint, id="tdc.E002")]
    if file.missing_keys:
        return [
            Error(
                _("%(setting)s: the service account key in %(path)s lacks %(keys)s.")
                % {**where, "keys": ", ".join(file.missing_keys)},
                hint=hint,
                id="tdc.E002",
            )
        ]
    return []


@register("integrations")
def check_google_calendar_ids(app_configs, **kwargs):
    internal = settings.GOOGLE_CALENDAR_INTERNAL_ID
    public = settings.GOOGLE_CALENDAR_PUBLIC_ID
    if bool(internal) == bool(public):
        return []
    given, missing = (
        ("GOOGLE_CALENDAR_INTERNAL_ID", "GOOGLE_CALENDAR_PUBLIC_ID")
        if internal
        else ("GOOGLE_CALENDAR_PUBLIC_ID", "GOOGLE_CALENDAR_INTERNAL_ID")
    )
    names = {"given": given, "missing": missing}
    return [
        Warning(
            _("%(given)s is set but %(missing)s is not: calendar sync stays off until both are.")
            % names,
            hint=_(
                "Set %(missing)s to the other calendar's id (Google Calendar > Settings > "
                "the calendar > Integrate calendar > Calendar ID)."
            )
            % names,
            id="tdc.W001",
        )
    ]
