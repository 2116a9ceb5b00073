"""System checks (`manage.py check`) of the Google Calendar settings.

Errors: a credentials file that can only fail. Warnings: half a configuration, which leaves
calendar sync off.
"""

from django.conf import settings
from django.core.checks import Error, Warning, register

from integrations.google_calendar.client import read_key_file


@register("integrations")
def check_google_calendar_credentials(app_configs, **kwargs):
    path = settings.GOOGLE_CALENDAR_CREDENTIALS_PATH
    if not path:
        return []
    setting = "GOOGLE_CALENDAR_CREDENTIALS_PATH"
    hint = (
        "In Google Cloud console: IAM & Admin > Service accounts > (the account) > Keys > "
        "Add key > JSON; put that file on the server and point the setting at it."
    )
    file = read_key_file(path)
    if file.problem == "missing":
        return [Error(f"{setting}: no file at {path}.", hint=hint, id="tdc.E001")]
    if file.problem == "folder":
        return [Error(f"{setting}: {path} is a folder, not a file.", hint=hint, id="tdc.E001")]
    if file.problem == "unreadable":
        return [
            Error(
                f"{setting}: {path} cannot be read by this user.",
                hint="Let the user that runs the site and the worker read it (and nobody else).",
                id="tdc.E001",
            )
        ]
    if file.problem == "not-json":
        return [Error(f"{setting}: {path} is not a JSON file.", hint=hint, id="tdc.E002")]
    # Never quote the file's values: it holds a private key.
    if file.kind != "service_account":
        oauth = file.kind == "oauth_client"
        what = "an OAuth client file" if oauth else "not a service account key"
        return [Error(f"{setting}: {path} is {what}.", hint=hint, id="tdc.E002")]
    if file.missing_keys:
        return [
            Error(
                f"{setting}: the service account key in {path} lacks "
                f"{', '.join(file.missing_keys)}.",
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
    return [
        Warning(
            f"{given} is set but {missing} is not: calendar sync stays off until both are.",
            hint=f"Set {missing} to the other calendar's id (Google Calendar > Settings > "
            "the calendar > Integrate calendar > Calendar ID).",
            id="tdc.W001",
        )
    ]
