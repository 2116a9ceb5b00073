"""System checks for the Patreon app (run by `manage.py check` and at start-up)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@register()
def check_exclusive_files_root(app_configs, **kwargs):
    # The web server hands out MEDIA_ROOT and STATIC_ROOT to anyone: supporters' files there
    # would bypass the tier check of the download view.
    root = Path(settings.EXCLUSIVE_FILES_ROOT).resolve()
    public = {"MEDIA_ROOT": settings.MEDIA_ROOT, "STATIC_ROOT": settings.STATIC_ROOT}
    return [
        Error(
            f"EXCLUSIVE_FILES_ROOT ({root}) is inside {name}, which the web server serves to "
            "anyone: supporters' files would open without the tier check.",
            hint="Set EXCLUSIVE_FILES_ROOT to a folder outside MEDIA_ROOT and STATIC_ROOT "
            "(default var/exclusive/).",
            id="patreon_sync.E001",
        )
        for name, folder in public.items()
        if folder and _inside(root, Path(folder).resolve())
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
            "Patreon is configured but PATREON_WEBHOOK_SECRET is not: every webhook delivery "
            "will be refused, so supporters change only when sync_patrons runs.",
            hint="Copy the secret of the webhook from the Patreon developer portal "
            "(My clients > the client > Webhooks) into PATREON_WEBHOOK_SECRET.",
            id="tdc.W002",
        )
    ]
