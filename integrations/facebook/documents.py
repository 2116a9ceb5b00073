"""Graph's answers, read in one place: pydantic models tolerant of unknown, missing and
mistyped fields (Graph adds fields freely and leaves out those that do not apply)."""

import json
from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter, ValidationError


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _timestamp(value) -> datetime | None:
    seconds = _as_int(value)
    return datetime.fromtimestamp(seconds, tz=UTC) if seconds else None


def _object(value) -> dict:
    return value if isinstance(value, dict) else {}


def _text(limit: int | None = None):
    return BeforeValidator(lambda value: str(value or "")[:limit])


Int = Annotated[int | None, BeforeValidator(_as_int)]
Text = Annotated[str, _text()]
Timestamp = Annotated[datetime | None, BeforeValidator(_timestamp)]


class Document(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class GraphErrorObject(Document):
    """Graph's `error` object: what went wrong, in Meta's codes and words."""

    code: Int = None
    error_subcode: Int = None
    message: Annotated[str, _text(1000)] = ""
    error_user_msg: Annotated[str, _text(1000)] = ""  # Meta's explanation for people
    fbtrace_id: Text = ""
    is_transient: Annotated[bool, BeforeValidator(lambda value: value is True)] = False


class DebugTokenData(Document):
    """`GET /debug_token`'s `data`: what Facebook knows about a token."""

    is_valid: Annotated[bool, BeforeValidator(bool)] = False
    expires_at: Timestamp = None
    data_access_expires_at: Timestamp = None
    scopes: Annotated[
        tuple[str, ...],
        BeforeValidator(lambda v: [str(scope) for scope in v] if isinstance(v, list) else []),
    ] = ()
    type: Text = ""
    profile_id: Text = ""
    error: Annotated[GraphErrorObject, BeforeValidator(_object)] = GraphErrorObject()


class PostAnswer(Document):
    """What a publishing call answers: a post's `id` (a photo's id, with the post's `post_id`),
    or a Page's `id` and a post's `permalink_url` for the reads."""

    id: Text = ""
    post_id: Text = ""
    permalink_url: Text = ""


class _Usage(Document):
    estimated_time_to_regain_access: Annotated[int, BeforeValidator(lambda v: int(v or 0))] = 0


_USAGE = TypeAdapter(dict[str, list[_Usage]])


def parse_error(body) -> GraphErrorObject | None:
    """The `error` object of an answer; None when there is none with a code (not Graph's)."""
    error = _object(body).get("error")
    if not isinstance(error, dict) or "code" not in error:
        return None
    return GraphErrorObject.model_validate(error)


def parse_debug_token(body) -> DebugTokenData:
    return DebugTokenData.model_validate(_object(_object(body).get("data")))


def parse_answer(body) -> PostAnswer:
    return PostAnswer.model_validate(_object(body))


def minutes_to_regain_access(header: str) -> int | None:
    """The longest wait the X-Business-Use-Case-Usage header announces (None: unreadable)."""
    try:
        usage = _USAGE.validate_python(json.loads(header))
        return max(
            entry.estimated_time_to_regain_access for entries in usage.values() for entry in entries
        )
    except (ValueError, ValidationError):
        return None
