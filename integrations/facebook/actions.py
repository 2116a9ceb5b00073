"""The integrations page's button for Facebook: the on-demand Page token check (ask Facebook,
store the verdict in plain words).

Reusable from any admin page; the stored result is what `status.py` reads (no call there).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import formats, timezone

from integrations.facebook import client
from integrations.facebook.models import TokenCheck
from integrations.http import IntegrationError, NotConfigured, PermanentError

# Meta's documented permissions for publishing to a Page as the Page.
REQUIRED_SCOPES = ("pages_manage_posts", "pages_read_engagement")
EXPIRY_WARNING = timedelta(days=14)


def _day(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j M Y")


def _verdict(info: client.TokenInfo, now: datetime) -> tuple[bool, str]:
    renew = "Renew the Page token (FACEBOOK_PAGE_ACCESS_TOKEN)"
    if not info.is_valid:
        reason = f": {info.error.rstrip('.')}" if info.error else ""
        return False, f"The Page token does not work{reason}. {renew}."
    if info.method == "debug_token":
        if info.token_type and info.token_type != "PAGE":
            return False, (
                f"This is a {info.token_type} token, not a Page token. {renew} with a Page "
                "access token for the venue's Page."
            )
        if info.profile_id and info.profile_id != settings.FACEBOOK_PAGE_ID:
            return False, (
                f"The token belongs to Page {info.profile_id}, not FACEBOOK_PAGE_ID "
                f"{settings.FACEBOOK_PAGE_ID}. {renew} for the right Page, or fix the id."
            )
        missing = [scope for scope in REQUIRED_SCOPES if scope not in info.scopes]
        if missing:
            return False, f"The token lacks {', '.join(missing)}. {renew} with those permissions."
        if info.expires_at and info.expires_at <= now:
            return False, f"The Page token expired on {_day(info.expires_at)}. {renew}."
        parts = [
            f"Page token valid until {_day(info.expires_at)}"
            if info.expires_at
            else "Page token valid, does not expire"
        ]
        if info.data_access_expires_at:
            parts.append(f"data access until {_day(info.data_access_expires_at)}")
        summary = "; ".join(parts) + "."
        soonest = min(
            (d for d in (info.expires_at, info.data_access_expires_at) if d), default=None
        )
        if soonest and soonest - now < EXPIRY_WARNING:
            summary += f" It runs out soon: {renew.lower()} before {_day(soonest)}."
        return True, summary
    if info.profile_id and info.profile_id != settings.FACEBOOK_PAGE_ID:
        return False, (
            f"The token answers for Page {info.profile_id}, not FACEBOOK_PAGE_ID "
            f"{settings.FACEBOOK_PAGE_ID}. {renew} or fix the id."
        )
    return True, (
        "Page token works. Its expiry is unknown: set FACEBOOK_APP_ID and FACEBOOK_APP_SECRET "
        "so the check can ask /debug_token."
    )


def _asked_debug_token() -> bool:
    return bool(settings.FACEBOOK_APP_ID and settings.FACEBOOK_APP_SECRET)


def page_token_check(*, user=None, now: datetime | None = None) -> TokenCheck:
    """Ask Facebook about the Page token and store the result (also when the call fails)."""
    now = now or timezone.now()
    try:
        info = client.inspect_page_token()
    except NotConfigured as exc:
        return TokenCheck.objects.create(
            checked_by=user, ok=False, method="not configured", summary=exc.message
        )
    except IntegrationError as exc:
        code = exc.code if isinstance(exc, client.GraphError) else None
        if _asked_debug_token() and code in (*client.TOKEN_CODES, 100):
            # /debug_token is authorised by the app token: its refusal is about the app's
            # credentials; a bad Page token is reported inside a successful answer instead.
            advice = (
                "Facebook refused the app credentials the check uses: check FACEBOOK_APP_ID "
                "and FACEBOOK_APP_SECRET (App settings > Basic in the Meta developer dashboard)."
            )
        else:
            advice = client.advice_for(code)
        summary = f"The check itself failed: {exc.message}"
        if advice:
            summary += f" {advice}"
        return TokenCheck.objects.create(
            checked_by=user, ok=False, method="failed", summary=summary
        )
    ok, summary = _verdict(info, now)
    return TokenCheck.objects.create(
        checked_by=user,
        ok=ok,
        method=info.method,
        expires_at=info.expires_at,
        data_access_expires_at=info.data_access_expires_at,
        scopes=", ".join(info.scopes),
        summary=summary,
    )


def page_token_check_answer(*, user) -> str:
    """The integrations page's "Check the Page token" button: the verdict in plain words.

    A token that does not work raises, so the page shows the answer as a failure.
    """
    check = page_token_check(user=user)
    if not check.ok:
        raise PermanentError(check.summary)
    return check.summary
