"""System checks (`manage.py check`) for the integration settings.

Errors: a setting that can only fail (a missing or wrong credentials file, a malformed Graph
version). Warnings: an incomplete configuration that leaves part of an integration off.
"""

import json
import re

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.translation import gettext as _

# The keys google-auth needs to build service-account credentials from the file.
SERVICE_ACCOUNT_KEYS = ("client_email", "private_key", "token_uri")
GRAPH_VERSION = re.compile(r"v\d+\.\d+")


@register("integrations")
def check_google_calendar_credentials(app_configs, **kwargs):
    path = settings.GOOGLE_CALENDAR_CREDENTIALS_PATH
    if not path:
        return []
    setting = "GOOGLE_CALENDAR_CREDENTIALS_PATH"
    hint = _(
        "In Google Cloud console: IAM & Admin > Service accounts > (the account) > Keys > "
        "Add key > JSON; put that file on the server and point the setting at it."
    )
    names = {"setting": setting, "path": path}
    try:
        with open(path, encoding="utf-8") as file:
            content = json.load(file)
    except FileNotFoundError:
        return [Error(_("%(setting)s: no file at %(path)s.") % names, hint=hint, id="tdc.E001")]
    except IsADirectoryError:
        message = _("%(setting)s: %(path)s is a folder, not a file.") % names
        return [Error(message, hint=hint, id="tdc.E001")]
    except PermissionError:
        return [
            Error(
                _("%(setting)s: %(path)s cannot be read by this user.") % names,
                hint=_("Let the user that runs the site and the worker read it (and nobody else)."),
                id="tdc.E001",
            )
        ]
    except (UnicodeDecodeError, json.JSONDecodeError):
        message = _("%(setting)s: %(path)s is not a JSON file.") % names
        return [Error(message, hint=hint, id="tdc.E002")]
    # Never quote the file's values: it holds a private key.
    if not isinstance(content, dict) or content.get("type") != "service_account":
        if isinstance(content, dict) and ("installed" in content or "web" in content):
            message = _("%(setting)s: %(path)s is an OAuth client file.") % names
        else:
            message = _("%(setting)s: %(path)s is not a service account key.") % names
        return [Error(message, hint=hint, id="tdc.E002")]
    missing = [key for key in SERVICE_ACCOUNT_KEYS if not content.get(key)]
    if missing:
        return [
            Error(
                _("%(setting)s: the service account key in %(path)s lacks %(keys)s.")
                % {**names, "keys": ", ".join(missing)},
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
            _("%(given)s is set but %(missing)s is not: calendar sync stays off until both are.")
            % {"given": given, "missing": missing},
            hint=_(
                "Set %(missing)s to the other calendar's id (Google Calendar > Settings > "
                "the calendar > Integrate calendar > Calendar ID)."
            )
            % {"missing": missing},
            id="tdc.W001",
        )
    ]


@register("integrations")
def check_patreon_webhook_secret(app_configs, **kwargs):
    configured = any(
        (
            settings.PATREON_CREATOR_ACCESS_TOKEN,
            settings.PATREON_CREATOR_REFRESH_TOKEN,
            settings.PATREON_CLIENT_ID,
        )
    )
    if not configured or settings.PATREON_WEBHOOK_SECRET:
        return []
    return [
        Warning(
            _(
                "Patreon is configured but PATREON_WEBHOOK_SECRET is not: every webhook delivery "
                "will be refused, so supporters change only when sync_patrons runs."
            ),
            hint=_(
                "Copy the secret of the webhook from the Patreon developer portal "
                "(My clients > the client > Webhooks) into PATREON_WEBHOOK_SECRET."
            ),
            id="tdc.W002",
        )
    ]


@register("integrations")
def check_facebook_graph_version(app_configs, **kwargs):
    version = settings.FACEBOOK_GRAPH_VERSION
    if GRAPH_VERSION.fullmatch(version):
        return []
    return [
        Error(
            _("FACEBOOK_GRAPH_VERSION is %(version)s, not a Graph API version like v24.0.")
            % {"version": repr(version)},
            hint=_(
                "Use the form vN.N (a 'v', the major version, a dot, the minor), "
                "e.g. FACEBOOK_GRAPH_VERSION=v24.0."
            ),
            id="tdc.E003",
        )
    ]


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
