"""Google Calendar's answers, read in one place: pydantic models tolerant of unknown, missing
and mistyped fields."""

import json
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict


class Document(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _objects(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


class ErrorItem(Document):
    reason: Annotated[str, BeforeValidator(lambda v: str(v or ""))] = ""


class ErrorBody(Document):
    """The `error` of an error answer: Google's reasons (e.g. rateLimitExceeded), its words."""

    message: Annotated[str, BeforeValidator(lambda v: str(v or "")[:300])] = ""
    errors: Annotated[list[ErrorItem], BeforeValidator(_objects)] = []

    @property
    def reasons(self) -> list[str]:
        return [item.reason for item in self.errors if item.reason]


class EventsPage(Document):
    """One page of `events.list`: the events (as Google sent them) and the next page's token."""

    items: Annotated[list[dict[str, Any]], BeforeValidator(_objects)] = []
    nextPageToken: Annotated[str, BeforeValidator(lambda v: v if isinstance(v, str) else "")] = ""


def parse_error_body(content: bytes | None) -> tuple[list[str], str]:
    """Google's error reasons and message from an error answer's body."""
    try:
        payload = json.loads(content.decode("utf-8") if content else "{}")
    except (ValueError, UnicodeDecodeError):
        return [], (content or b"")[:300].decode("utf-8", "replace")
    error = payload.get("error", {}) if isinstance(payload, dict) else {}
    if not isinstance(error, dict):
        return [], str(error)[:300]
    body = ErrorBody.model_validate(error)
    return body.reasons, body.message


def parse_events_page(page) -> EventsPage:
    return EventsPage.model_validate(page if isinstance(page, dict) else {})
