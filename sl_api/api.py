"""Endpoints for in-world Second Life panels, mounted by tdc/api.py at /api/v1/sl/.

Read-only, public and scheduled events only. Built for `llHTTPRequest`: every body fits the
bytes the script reads, every answer (errors too) is JSON or plain text in UTF-8, and a request
costs one query while its panel is kept (three when it is rebuilt). The contract for scripters
is in docs/second-life.md.
"""

import logging

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.http import parse_etags
from ninja import Router

from sl_api import clock
from sl_api.bodies import json_bytes
from sl_api.panel_cache import BuildPanel, panel_for
from sl_api.panels import next_panel, today_panel, upcoming_panel
from sl_api.params import (
    LIMIT_DEFAULT,
    LIMIT_MAX,
    LIMIT_MIN,
    MAX_BYTES_DEFAULT,
    MAX_BYTES_MAX,
    MAX_BYTES_MIN,
    BadParameter,
    panel_query_for,
)

logger = logging.getLogger(__name__)

router = Router(tags=["second life"])

JSON = "application/json; charset=utf-8"
# Short: a browser or proxy may reuse an answer this long; panels in-world never cache.
CACHE_CONTROL = "public, max-age=10"


def _parameter(name: str, description: str, schema: dict) -> dict:
    return {"in": "query", "name": name, "required": False, "description": description,
            "schema": schema}  # fmt: skip


_TZ = _parameter(
    "tz",
    "IANA time zone for `date`, `time` and what counts as today; `SLT` is accepted.",
    {"type": "string", "default": "America/Los_Angeles"},
)
_LANG = _parameter(
    "lang", "`en` or `it`; a missing Italian title falls back to English.",
    {"type": "string", "enum": ["en", "it"], "default": "en"},
)  # fmt: skip
_LIMIT = _parameter(
    "limit", "Most events to list.",
    {"type": "integer", "minimum": LIMIT_MIN, "maximum": LIMIT_MAX, "default": LIMIT_DEFAULT},
)  # fmt: skip
_MAX_BYTES = _parameter(
    "max_bytes",
    "Largest body in UTF-8 bytes (the script's HTTP_BODY_MAXLENGTH); trailing events are "
    "dropped and over-long texts shortened with an ellipsis to fit.",
    {"type": "integer", "minimum": MAX_BYTES_MIN, "maximum": MAX_BYTES_MAX,
     "default": MAX_BYTES_DEFAULT},
)  # fmt: skip
_FORMAT = _parameter(
    "format",
    "`text`: `v1|<now>|<count>` then one line per event: "
    "start|end|date|time|title|location|type|slurl.",
    {"type": "string", "enum": ["json", "text"], "default": "json"},
)
# Integer keys, as django-ninja's own: its 200 is then completed, not doubled by a "200" that
# json.dumps would write beside it (a duplicated key Swagger UI refuses to parse).
_RESPONSES = {
    200: {"description": "The panel (JSON, or text/plain with format=text)."},
    304: {"description": "Unchanged since the ETag sent in If-None-Match."},
    400: {"description": 'A bad parameter: `{"error": "..."}`.'},
    503: {"description": 'The events cannot be read right now: `{"error": "..."}`.'},
}


def _docs(*parameters: dict) -> dict:
    return {"parameters": list(parameters), "responses": _RESPONSES}


@router.get(
    "events",
    summary="Upcoming events, soonest first",
    openapi_extra=_docs(_TZ, _LANG, _LIMIT, _MAX_BYTES, _FORMAT),
)
def upcoming_events(request: HttpRequest):
    return _answer(request, "upcoming", upcoming_panel)


@router.get(
    "events/next",
    summary="The next event (a running one until it ends), with a countdown",
    openapi_extra=_docs(_TZ, _LANG, _MAX_BYTES, _FORMAT),
)
def next_event(request: HttpRequest):
    return _answer(request, "next", next_panel, lists=False)


@router.get(
    "events/today",
    summary="Today's events in the panel's time zone",
    openapi_extra=_docs(_TZ, _LANG, _LIMIT, _MAX_BYTES, _FORMAT),
)
def todays_events(request: HttpRequest):
    return _answer(request, "today", today_panel)


# HEAD is GET without the body (gunicorn and runserver drop it): monitors and web clients use it.
@router.api_operation(["HEAD"], "events", include_in_schema=False)
def upcoming_events_head(request: HttpRequest):
    return upcoming_events(request)


@router.api_operation(["HEAD"], "events/next", include_in_schema=False)
def next_event_head(request: HttpRequest):
    return next_event(request)


@router.api_operation(["HEAD"], "events/today", include_in_schema=False)
def todays_events_head(request: HttpRequest):
    return todays_events(request)


_NOT_READS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
ENDPOINTS = "events, events/next or events/today"


# Panels read only; the refusal is JSON like every other answer a script may get.
@router.api_operation(_NOT_READS, "events", include_in_schema=False)
@router.api_operation(_NOT_READS, "events/next", include_in_schema=False)
@router.api_operation(_NOT_READS, "events/today", include_in_schema=False)
def read_only(request: HttpRequest):
    response = _error(405, "read-only: use GET")
    response["Allow"] = "GET, HEAD"
    return response


# Anything else under /api/v1/sl/ (a typo, a trailing slash) answers JSON too: an HTML 404
# would reach a script as "415 Unsupported or unknown Content-Type" and hide the real mistake.
@router.api_operation(["GET", "HEAD", *_NOT_READS], "{path:rest}", include_in_schema=False)
def unknown_endpoint(request: HttpRequest, rest: str):
    return _no_such_endpoint()


@router.api_operation(["GET", "HEAD", *_NOT_READS], "", include_in_schema=False)
def panels_root(request: HttpRequest):
    return _no_such_endpoint()


def _no_such_endpoint() -> HttpResponse:
    return _error(404, f"no such panel endpoint: use {ENDPOINTS}, without a trailing slash")


def _answer(
    request: HttpRequest, name: str, build: BuildPanel, *, lists: bool = True
) -> HttpResponse:
    try:
        query = panel_query_for(request.META.get("QUERY_STRING", ""), lists=lists)
    except BadParameter as error:
        return _error(400, str(error))
    now = clock.now()
    try:
        panel = panel_for(name, build, query, now=now)
    except DatabaseError:
        logger.exception("Second Life panel %s: the events could not be read", name)
        response = _error(503, "events unavailable, try again in a minute")
        response["Retry-After"] = "60"
        return response
    headers = {"ETag": panel.body.etag, "Cache-Control": CACHE_CONTROL}
    content_type = panel.body.content_type  # on a 304 too: the type of what is reused
    if _matches(request.headers.get("If-None-Match"), panel.body.etag):
        return HttpResponse(status=304, content_type=content_type, headers=headers)
    body = panel.body.at(int(now.timestamp()))
    return HttpResponse(body, content_type=content_type, headers=headers)


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison, `*` matches anything."""
    if not if_none_match:
        return False
    wanted = [tag.removeprefix("W/") for tag in parse_etags(if_none_match)]
    return "*" in wanted or etag.removeprefix("W/") in wanted


def _error(status: int, message: str) -> HttpResponse:
    response = HttpResponse(json_bytes({"error": message}), status=status, content_type=JSON)
    response["Cache-Control"] = "no-store"
    return response
