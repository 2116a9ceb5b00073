"""The only code that talks to the Facebook Graph API (over `integrations.http`).

It builds requests (version in the URL, the Page token, `appsecret_proof` when the app secret
is set) and translates Graph's error object - code, error_subcode, message, fbtrace_id - into
our typed errors, following Meta's "Handling Errors" guide.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

import requests
from django.conf import settings
from django.utils.translation import gettext_noop

from integrations import http
from integrations.call_log import redact_text
from integrations.facebook import documents
from integrations.http import (
    IntegrationError,
    NotConfigured,
    OutcomeUnknown,
    PermanentError,
    TransientError,
)
from integrations.in_words import recorded_wordings

SERVICE = "facebook"

TOKEN_CODES = frozenset({102, 190})
PERMISSION_CODES = frozenset({3, 10, *range(200, 300)})
RATE_LIMIT_CODES = frozenset({4, 17, 32, 341, 613, 80001})
SERVER_TROUBLE_CODES = frozenset({1, 2})
DUPLICATE_POST_CODE = 506
POLICY_BLOCK_CODE = 368
LINK_SCRAPE_CODE = 1609005

# Errors and advice are recorded in English, the words staff meet them in (the task worker has
# no reader's language), and shown in the reader's through `integrations.in_words.in_words`.
NOT_CONFIGURED = gettext_noop("Facebook is not configured: set %(settings)s.")
GRAPH_ERROR = gettext_noop("Graph API error %(code)s: %(message)s")
WITH_ADVICE = gettext_noop("%(error)s — %(advice)s")
NO_ANSWER_FROM_GRAPH = gettext_noop(
    "HTTP 504 (gateway timeout) without an answer from Graph: %(body)s"
)
NOT_JSON = gettext_noop("Graph answered with something that is not JSON: %(error)s")
POST_WITHOUT_ID = gettext_noop("Graph accepted the post but sent no id: %(body)s")
PHOTO_WITHOUT_ID = gettext_noop("Graph accepted the photo but sent no id: %(body)s")
CANNOT_READ_EVENT_PAGE = gettext_noop(
    "Facebook could not read the event's page: check that SITE_URL is public."
)
TOKEN_EXPIRED = gettext_noop(
    "The Page token has expired: renew the Page token (FACEBOOK_PAGE_ACCESS_TOKEN)."
)
TOKEN_PASSWORD_CHANGED = gettext_noop(
    "The token was invalidated by a password change: renew the Page token "
    "(FACEBOOK_PAGE_ACCESS_TOKEN)."
)
TOKEN_INVALID = gettext_noop(
    "The Page token is invalid or was revoked: renew the Page token "
    "(FACEBOOK_PAGE_ACCESS_TOKEN) and run the token check."
)
LACKS_PERMISSION = gettext_noop(
    "The token lacks a permission: renew the Page token with pages_manage_posts and "
    "pages_read_engagement, from an account that can create content on the Page."
)
RATE_LIMITED = gettext_noop("Facebook is rate limiting us; the post is tried again later.")
SERVER_TROUBLE = gettext_noop("A temporary problem at Facebook; the post is tried again later.")
DUPLICATE = gettext_noop("The same text is already on the Page, so it counts as posted.")
POLICY_BLOCK = gettext_noop(
    "Facebook has temporarily blocked posting for a policy reason: check the Page's "
    "notifications and Support Inbox, wait, and then announce again."
)
PARAMETER_REFUSED = gettext_noop(
    "Facebook refused a parameter (its message says which): check FACEBOOK_PAGE_ID, "
    "FACEBOOK_APP_SECRET and the post's text."
)
ERROR_WORDINGS = (
    NOT_CONFIGURED,
    WITH_ADVICE,
    GRAPH_ERROR,
    NO_ANSWER_FROM_GRAPH,
    NOT_JSON,
    POST_WITHOUT_ID,
    PHOTO_WITHOUT_ID,
    CANNOT_READ_EVENT_PAGE,
    TOKEN_EXPIRED,
    TOKEN_PASSWORD_CHANGED,
    TOKEN_INVALID,
    LACKS_PERMISSION,
    RATE_LIMITED,
    SERVER_TROUBLE,
    DUPLICATE,
    POLICY_BLOCK,
    PARAMETER_REFUSED,
)
recorded_wordings(*ERROR_WORDINGS)


class GraphError(IntegrationError):
    """A Graph API error object: its `code`, `error_subcode` and `fbtrace_id` (for Meta support)."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        subcode: int | None = None,
        trace_id: str = "",
        **fields,
    ):
        super().__init__(message, **fields)
        self.code = code
        self.subcode = subcode
        self.trace_id = trace_id


class GraphTransientError(GraphError, TransientError):
    """A Graph error worth retrying (rate limits, Graph's own trouble)."""


class GraphPermanentError(GraphError, PermanentError):
    """A Graph error that retrying cannot fix (token, permission, policy)."""


class DuplicatePost(GraphPermanentError):
    """Graph refused the post as a duplicate of one already on the Page (code 506)."""


def advice_for(code: int | None, subcode: int | None = None) -> str:
    """What staff should do about a Graph error code, in one sentence."""
    # Meta lists 1609005 as a code; Graph sends it as the subcode of a code 100.
    if LINK_SCRAPE_CODE in (code, subcode):
        return CANNOT_READ_EVENT_PAGE
    if code in TOKEN_CODES:
        if subcode == 463:
            return TOKEN_EXPIRED
        if subcode == 460:
            return TOKEN_PASSWORD_CHANGED
        return TOKEN_INVALID
    if code in PERMISSION_CODES:
        return LACKS_PERMISSION
    if code in RATE_LIMIT_CODES:
        return RATE_LIMITED
    if code in SERVER_TROUBLE_CODES:
        return SERVER_TROUBLE
    if code == DUPLICATE_POST_CODE:
        return DUPLICATE
    if code == POLICY_BLOCK_CODE:
        return POLICY_BLOCK
    if code == 100:
        # Also how Graph reports a wrong appsecret_proof ("Invalid appsecret_proof ...").
        return PARAMETER_REFUSED
    return ""


def _retry_after_from_usage(response: requests.Response) -> float | None:
    """Seconds until a throttled Page may call again, from Graph's usage headers."""
    header = response.headers.get("X-Business-Use-Case-Usage")
    if not header:
        return http.parse_retry_after(response.headers.get("Retry-After"))
    minutes = documents.minutes_to_regain_access(header)
    return minutes * 60.0 if minutes else None


def classify(response: requests.Response) -> IntegrationError | None:
    """Graph's answer as one of our error types (None for success)."""
    if 200 <= response.status_code < 300:
        return None
    try:
        error = documents.parse_error(response.json())
    except ValueError:
        error = None
    if error is None:
        if response.status_code == 504 and response.request.method == "POST":
            # A gateway gave up waiting for Graph: the post may have been made.
            return OutcomeUnknown(NO_ANSWER_FROM_GRAPH % {"body": response.text[:200]}, status=504)
        return http.default_classify(response)

    code, subcode, text, trace_id = error.code, error.error_subcode, error.message, error.fbtrace_id
    fields = {
        "status": response.status_code,
        "code": code,
        "subcode": subcode,
        "trace_id": trace_id,
    }
    number = f"{code}/{subcode}" if subcode else f"{code}"
    message = GRAPH_ERROR % {"code": number, "message": text}
    # The explanation Meta writes for people (e.g. why posting is blocked), when there is one.
    user_text = error.error_user_msg
    if user_text and user_text not in text:
        message += f" ({user_text})"

    if code == DUPLICATE_POST_CODE:
        return DuplicatePost(message, **fields)
    if code in RATE_LIMIT_CODES:
        return GraphTransientError(message, retry_after=_retry_after_from_usage(response), **fields)
    if code in SERVER_TROUBLE_CODES:
        return GraphTransientError(message, **fields)
    if code in TOKEN_CODES or code in PERMISSION_CODES or code == POLICY_BLOCK_CODE:
        return GraphPermanentError(message, **fields)
    if error.is_transient or response.status_code >= 500:
        return GraphTransientError(message, **fields)
    return GraphPermanentError(message, **fields)


def appsecret_proof(access_token: str, app_secret: str) -> str:
    """HMAC-SHA256 of the access token keyed by the app secret (Graph's "Securing Requests")."""
    return hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


REQUIRED_SETTINGS = ("FACEBOOK_PAGE_ID", "FACEBOOK_PAGE_ACCESS_TOKEN")


def missing_settings() -> list[str]:
    """The settings posting to the Page needs that are not set."""
    return [name for name in REQUIRED_SETTINGS if not getattr(settings, name)]


def _page_credentials() -> tuple[str, str]:
    missing = missing_settings()
    if missing:
        raise NotConfigured(NOT_CONFIGURED % {"settings": ", ".join(missing)})
    return settings.FACEBOOK_PAGE_ID, settings.FACEBOOK_PAGE_ACCESS_TOKEN


def graph_url(path: str) -> str:
    return f"{settings.FACEBOOK_GRAPH_URL}/{settings.FACEBOOK_GRAPH_VERSION}/{path.lstrip('/')}"


def _auth_params(access_token: str) -> dict[str, str]:
    params = {"access_token": access_token}
    if settings.FACEBOOK_APP_SECRET:
        params["appsecret_proof"] = appsecret_proof(access_token, settings.FACEBOOK_APP_SECRET)
    return params


def _secrets(*extra: str) -> tuple[str, ...]:
    return (settings.FACEBOOK_PAGE_ACCESS_TOKEN, settings.FACEBOOK_APP_SECRET, *extra)


def _call(
    operation: str, method: str, path: str, *, access_token: str, **kwargs
) -> requests.Response:
    auth = _auth_params(access_token)
    # POSTs carry the token in the form body, GETs in the query (redacted in the call log).
    if method == "POST":
        kwargs["data"] = {**kwargs.get("data", {}), **auth}
    else:
        kwargs["params"] = {**kwargs.get("params", {}), **auth}
    return http.send(
        service=SERVICE,
        operation=operation,
        method=method,
        url=graph_url(path),
        classify=classify,
        secrets=_secrets(access_token),
        **kwargs,
    )


@dataclass(frozen=True)
class PublishedPost:
    post_id: str


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError as exc:
        raise PermanentError(NOT_JSON % {"error": exc}) from exc
    return body if isinstance(body, dict) else {}


def publish_link_post(*, message: str, link: str) -> PublishedPost:
    """POST /{page-id}/feed with the text and the link whose preview Facebook shows."""
    page_id, token = _page_credentials()
    data = {"message": message}
    if link:
        data["link"] = link
    body = _json(_call("page.feed", "POST", f"{page_id}/feed", access_token=token, data=data))
    answer = documents.parse_answer(body)
    if not answer.id:
        raise PermanentError(POST_WITHOUT_ID % {"body": body})
    return PublishedPost(post_id=answer.id)


def publish_photo_post(
    *, caption: str, image: bytes, filename: str, content_type: str
) -> PublishedPost:
    """POST /{page-id}/photos uploading the poster (`source`) with the text as its caption."""
    page_id, token = _page_credentials()
    response = _call(
        "page.photos",
        "POST",
        f"{page_id}/photos",
        access_token=token,
        data={"caption": caption},
        files={"source": (filename, image, content_type)},
    )
    body = _json(response)
    # The photo has its own id; the Page post that shows it is `post_id`.
    answer = documents.parse_answer(body)
    if not (answer.post_id or answer.id):
        raise PermanentError(PHOTO_WITHOUT_ID % {"body": body})
    return PublishedPost(post_id=answer.post_id or answer.id)


def fetch_permalink(post_id: str) -> str:
    """The post's public address (GET /{post-id}?fields=permalink_url)."""
    _page_id, token = _page_credentials()
    response = _call(
        "post.permalink",
        "GET",
        post_id,
        access_token=token,
        params={"fields": "permalink_url"},
    )
    return documents.parse_answer(_json(response)).permalink_url


@dataclass(frozen=True)
class TokenInfo:
    method: str  # "debug_token" or "page lookup"
    is_valid: bool
    expires_at: datetime | None = None  # None: does not expire (or unknown with page lookup)
    data_access_expires_at: datetime | None = None
    scopes: tuple[str, ...] = ()
    token_type: str = ""
    profile_id: str = ""  # the Page a Page token belongs to
    error: str = ""


def inspect_page_token() -> TokenInfo:
    """What Facebook says about the Page token.

    With the app id and secret: GET /debug_token (validity, expiry, scopes), authorised by the
    app access token. Without them: GET /{page-id}?fields=id,name with the Page token, which
    proves the token works but cannot tell when it expires.
    """
    page_id, token = _page_credentials()
    if settings.FACEBOOK_APP_ID and settings.FACEBOOK_APP_SECRET:
        app_token = f"{settings.FACEBOOK_APP_ID}|{settings.FACEBOOK_APP_SECRET}"
        response = _call(
            "token.debug",
            "GET",
            "debug_token",
            access_token=app_token,
            params={"input_token": token},
        )
        data = documents.parse_debug_token(_json(response))
        return TokenInfo(
            method="debug_token",
            is_valid=data.is_valid,
            expires_at=data.expires_at,
            data_access_expires_at=data.data_access_expires_at,
            scopes=data.scopes,
            token_type=data.type,
            profile_id=data.profile_id,
            # Read from a 200 body, so the transport did not redact it; Graph may quote a
            # malformed token in its message ("Malformed access token EAAB...").
            error=redact_text(data.error.message, _secrets(app_token)),
        )
    try:
        body = _json(
            _call("token.page", "GET", page_id, access_token=token, params={"fields": "id,name"})
        )
    except PermanentError as exc:
        if isinstance(exc, GraphError) and exc.code in TOKEN_CODES:
            return TokenInfo(method="page lookup", is_valid=False, error=exc.message)
        raise
    return TokenInfo(
        method="page lookup", is_valid=True, profile_id=documents.parse_answer(body).id
    )


def rescrape_link(url: str) -> None:
    """POST /?id=<url>&scrape=true: Facebook reads the page again and refreshes its preview."""
    _page_id, token = _page_credentials()
    # Asking twice is harmless, so a lost answer is simply retried.
    http_kwargs = {"data": {"id": url, "scrape": "true"}, "idempotent": True}
    _call("link.rescrape", "POST", "", access_token=token, **http_kwargs)
