"""System checks (`manage.py check`) of the Google Calendar settings.

Errors: a credentials file that can only fail. Warnings: half a configuration, which leaves
calendar sync off.
"""

import json

from django.conf import settings
from django.core.checks import Error, Warning, register

# The keys google-auth needs to build service-account credentials from the file.
SERVICE_ACCOUNT_KEYS = ("client_email", "private_key", "token_uri")


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
    try:
        with open(path, encoding="utf-8") as file:
            content = json.load(file)
    except FileNotFoundError:
        return [Error(f"{setting}: no file at {path}.", hint=hint, id="tdc.E001")]
    except IsADirectoryError:
        return [Error(f"{setting}: {path} is a folder, not a file.", hint=hint, id="tdc.E001")]
    except PermissionError:
        return [
            Error(
                f"{setting}: {path} cannot be read by this user.",
                hint="Let the user that runs the site and the worker read it (and nobody else).",
                id="tdc.E001",
            )
        ]
    except (UnicodeDecodeError, json.JSONDecodeError):
        return [Error(f"{setting}: {path} is not a JSON file.", hint=hint, id="tdc.E002")]
    # Never quote the file's values: it holds a private key.
    if not isinstance(content, dict) or content.get("type") != "service_account":
        if isinstance(content, dict) and ("installed" in content or "web" in content):
            what = "an OAuth client file"
        else:
            what = "not a service account key"
        return [Error(f"{setting}: {path} is {what}.", hint=hint, id="tdc.E002")]
    missing = [key for key in SERVICE_ACCOUNT_KEYS if not content.get(key)]
    if missing:
        return [
            Error(
                f"{setting}: the service account key in {path} lacks {', '.join(missing)}.",
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
