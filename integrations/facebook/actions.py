"""The integrations page's button for Facebook: the on-demand Page token check (ask Facebook,
store the verdict in plain words).

Reusable from any admin page; the stored result is what `status.py` reads (no call there).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from integrations.facebook import client
from integrations.facebook.models import TokenCheck
from integrations.http import IntegrationError, NotConfigured, PermanentError
from integrations.in_words import recorded_day, recorded_wordings

# Meta's documented permissions for publishing to a Page as the Page.
REQUIRED_SCOPES = ("pages_manage_posts", "pages_read_engagement")
EXPIRY_WARNING = timedelta(days=14)

# The verdicts are recorded in English (the integrations page keeps its button's last answer,
# the token check its summary) with their days in ISO 8601, and shown through `in_words`, so
# each reader reads them, days included, in their own language.
DOES_NOT_WORK = gettext_noop(
    "The Page token does not work. Renew the Page token (FACEBOOK_PAGE_ACCESS_TOKEN)."
)
DOES_NOT_WORK_BECAUSE = gettext_noop(
    "The Page token does not work: %(reason)s. Renew the Page token (FACEBOOK_PAGE_ACCESS_TOKEN)."
)
NOT_A_PAGE_TOKEN = gettext_noop(
    "This is a %(type)s token, not a Page token. Renew the Page token "
    "(FACEBOOK_PAGE_ACCESS_TOKEN) with a Page access token for the venue's Page."
)
ANOTHER_PAGES_TOKEN = gettext_noop(
    "The token belongs to Page %(page)s, not FACEBOOK_PAGE_ID %(our_page)s. Renew the Page "
    "token (FACEBOOK_PAGE_ACCESS_TOKEN) for the right Page, or fix the id."
)
LACKS_SCOPES = gettext_noop(
    "The token lacks %(scopes)s. Renew the Page token (FACEBOOK_PAGE_ACCESS_TOKEN) with those "
    "permissions."
)
EXPIRED_ON = gettext_noop(
    "The Page token expired on %(day)s. Renew the Page token (FACEBOOK_PAGE_ACCESS_TOKEN)."
)
VALID_UNTIL = gettext_noop("Page token valid until %(day)s.")
VALID_UNTIL_DATA_ACCESS_UNTIL = gettext_noop(
    "Page token valid until %(day)s; data access until %(data_day)s."
)
VALID_FOR_EVER = gettext_noop("Page token valid, does not expire.")
VALID_FOR_EVER_DATA_ACCESS_UNTIL = gettext_noop(
    "Page token valid, does not expire; data access until %(data_day)s."
)
RUNS_OUT_SOON = gettext_noop(
    "%(verdict)s It runs out soon: renew the Page token (FACEBOOK_PAGE_ACCESS_TOKEN) before "
    "%(day)s."
)
ANSWERS_FOR_ANOTHER_PAGE = gettext_noop(
    "The token answers for Page %(page)s, not FACEBOOK_PAGE_ID %(our_page)s. Renew the Page "
    "token (FACEBOOK_PAGE_ACCESS_TOKEN) or fix the id."
)
EXPIRY_UNKNOWN = gettext_noop(
    "Page token works. Its expiry is unknown: set FACEBOOK_APP_ID and FACEBOOK_APP_SECRET so "
    "the check can ask /debug_token."
)
CHECK_FAILED = gettext_noop("The check itself failed: %(error)s")
APP_CREDENTIALS_REFUSED = gettext_noop(
    "Facebook refused the app credentials the check uses: check FACEBOOK_APP_ID and "
    "FACEBOOK_APP_SECRET (App settings > Basic in the Meta developer dashboard)."
)
recorded_wordings(
    DOES_NOT_WORK,
    DOES_NOT_WORK_BECAUSE,
    NOT_A_PAGE_TOKEN,
    ANOTHER_PAGES_TOKEN,
    LACKS_SCOPES,
    EXPIRED_ON,
    VALID_UNTIL,
    VALID_UNTIL_DATA_ACCESS_UNTIL,
    VALID_FOR_EVER,
    VALID_FOR_EVER_DATA_ACCESS_UNTIL,
    RUNS_OUT_SOON,
    ANSWERS_FOR_ANOTHER_PAGE,
    EXPIRY_UNKNOWN,
    CHECK_FAILED,
    APP_CREDENTIALS_REFUSED,
)


def _day(value: datetime) -> str:
    """The venue's day of `value`, as recorded."""
    return recorded_day(timezone.localtime(value).date())


def _valid_until(info: client.TokenInfo) -> str:
    if info.expires_at and info.data_access_expires_at:
        return VALID_UNTIL_DATA_ACCESS_UNTIL % {
            "day": _day(info.expires_at),
            "data_day": _day(info.data_access_expires_at),
        }
    if info.expires_at:
        return VALID_UNTIL % {"day": _day(info.expires_at)}
    if info.data_access_expires_at:
        return VALID_FOR_EVER_DATA_ACCESS_UNTIL % {"data_day": _day(info.data_access_expires_at)}
    return VALID_FOR_EVER


def _verdict(info: client.TokenInfo, now: datetime) -> tuple[bool, str]:
    """Whether the token can post to our Page, and the verdict in words (recorded English)."""
    pages = {"page": info.profile_id, "our_page": settings.FACEBOOK_PAGE_ID}
    if not info.is_valid:
        if info.error:
            return False, DOES_NOT_WORK_BECAUSE % {"reason": info.error.rstrip(".")}
        return False, DOES_NOT_WORK
    if info.method == "debug_token":
        if info.token_type and info.token_type != "PAGE":
            return False, NOT_A_PAGE_TOKEN % {"type": info.token_type}
        if info.profile_id and info.profile_id != settings.FACEBOOK_PAGE_ID:
            return False, ANOTHER_PAGES_TOKEN % pages
        missing = [scope for scope in REQUIRED_SCOPES if scope not in info.scopes]
        if missing:
            return False, LACKS_SCOPES % {"scopes": ", ".join(missing)}
        if info.expires_at and info.expires_at <= now:
            return False, EXPIRED_ON % {"day": _day(info.expires_at)}
        summary = _valid_until(info)
        soonest = min(
            (d for d in (info.expires_at, info.data_access_expires_at) if d), default=None
        )
        if soonest and soonest - now < EXPIRY_WARNING:
            summary = RUNS_OUT_SOON % {"verdict": summary, "day": _day(soonest)}
        return True, summary
    if info.profile_id and info.profile_id != settings.FACEBOOK_PAGE_ID:
        return False, ANSWERS_FOR_ANOTHER_PAGE % pages
    return True, EXPIRY_UNKNOWN


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
            advice = APP_CREDENTIALS_REFUSED
        else:
            advice = client.advice_for(code)
        error = exc.message
        if advice:
            error = client.WITH_ADVICE % {"error": error, "advice": advice}
        summary = CHECK_FAILED % {"error": error}
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
    """The integrations page's "Check the Page token" button: the verdict in plain words
    (recorded English, as the page keeps it; the page says it in the reader's language).

    A token that does not work raises, so the page shows the answer as a failure.
    """
    check = page_token_check(user=user)
    if not check.ok:
        raise PermanentError(check.summary)
    return check.summary
