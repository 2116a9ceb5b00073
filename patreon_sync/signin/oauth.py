"""The mechanics of "Sign in with Patreon" (OAuth2 authorization code): URLs and `state`.

Plain code, not django-allauth: allauth's Patreon provider speaks API v1 unless configured and
fixes Patreon's host, while ours must follow PATREON_API_URL (staging, a local stand-in) and
every Patreon call must go through `client.py` and `integrations/http.py` (one seam, one log).
The flow needs only a redirect, a `state` check and two calls.

`state` is bound to the session: a random value kept there, compared in constant time and
removed (the session saved at once) on first use whatever the outcome, so a callback forged or
replayed in another browser is refused. A few may wait at once (sign-in started in two tabs);
each expires after STATE_MAX_AGE.
"""

import hmac
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "patreon_signin"
SCOPES = "identity identity[email]"
STATE_MAX_AGE = 15 * 60  # seconds a visitor may spend on Patreon's consent page
MAX_PENDING = 5


@dataclass(frozen=True)
class PendingSignin:
    next_url: str


def is_configured() -> bool:
    return bool(settings.PATREON_CLIENT_ID and settings.PATREON_CLIENT_SECRET)


def redirect_uri() -> str:
    """Fixed, from SITE_URL: it must equal one registered with our Patreon client."""
    return settings.SITE_URL + reverse("patreon_sync:callback")


def safe_next(request, candidate: str | None, *, default: str) -> str:
    """`candidate` if it stays on this site, else `default`: no open redirects."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def begin(session, *, next_url: str) -> str:
    """Remember a new `state` in the session and return Patreon's authorize URL for it."""
    state = secrets.token_urlsafe(32)
    now = time.time()
    pending = {
        key: value
        for key, value in _pending(session).items()
        if now - value.get("at", 0) < STATE_MAX_AGE
    }
    # Keep only the newest few: a session cannot be filled with states.
    newest = sorted(pending.items(), key=lambda item: item[1].get("at", 0))[-(MAX_PENDING - 1) :]
    session[SESSION_KEY] = {**dict(newest), state: {"next": next_url, "at": now}}
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.PATREON_CLIENT_ID,
            "redirect_uri": redirect_uri(),
            "scope": SCOPES,
            "state": state,
        }
    )
    return f"{settings.PATREON_API_URL}/oauth2/authorize?{query}"


def consume(session, state: str | None) -> PendingSignin | None:
    """The sign-in this `state` belongs to, removed from the session; None if it is not ours."""
    pending = _pending(session)
    if not state or not pending:
        return None
    match = None
    for key in list(pending):
        # Compare every key (no early exit) so timing says nothing about near misses.
        if hmac.compare_digest(key.encode(), state.encode()):
            match = key
    if match is None:
        return None
    entry = pending.pop(match)
    session[SESSION_KEY] = pending
    # Single use, whatever happens next: saved now, as the session middleware saves nothing
    # when the answer is a 5xx (Patreon refusing or down).
    session.save()
    if time.time() - entry.get("at", 0) >= STATE_MAX_AGE:
        return None
    return PendingSignin(next_url=str(entry.get("next") or ""))


def _pending(session) -> dict:
    value = session.get(SESSION_KEY)
    return (
        {k: v for k, v in value.items() if isinstance(v, dict)} if isinstance(value, dict) else {}
    )
