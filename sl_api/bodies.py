"""Rendered panel bodies, with the clock left out so they can be kept and reused.

A kept body is completed at answer time: `at(now)` splices in `now` and `starts_in`, so a
countdown is right to the second even when everything else comes from the panel cache.
"""

import hashlib
import json

# `now` and `starts_in` are written into space reserved up front: 12 digits each is enough
# for any unix time (and any countdown) before the year 33658.
_NUMBER_RESERVE = 12
COUNTDOWN_RESERVE = len(b',"now":,"starts_in":}') + 2 * _NUMBER_RESERVE
TEXT_HEADER_RESERVE = len(b"v1||\n") + _NUMBER_RESERVE + 2  # count <= 50: two digits


def json_bytes(value) -> bytes:
    # Raw UTF-8, not \u escapes: "è" costs 2 bytes instead of 6, an emoji 4 instead of 12.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _digest(*parts: bytes) -> str:
    hasher = hashlib.blake2b(digest_size=12)
    for part in parts:
        hasher.update(len(part).to_bytes(4, "big"))
        hasher.update(part)
    return hasher.hexdigest()


class JsonBody:
    """A JSON body with no clock in it: the same bytes every time, so a strong ETag."""

    content_type = "application/json; charset=utf-8"

    def __init__(self, payload: bytes):
        self.payload = payload
        self.etag = f'"{_digest(b"json", payload)}"'

    def at(self, now: int) -> bytes:
        return self.payload


class CountdownBody:
    """A JSON object ending in `"now"` and `"starts_in"`, written at answer time.

    The ETag is weak: two answers with the same ETag describe the same event, and differ only
    in the clock fields a client can recompute from `start`.
    """

    content_type = "application/json; charset=utf-8"

    def __init__(self, fields: bytes, *, start: int):
        if not (fields.startswith(b"{") and fields.endswith(b"}") and len(fields) > 2):
            raise ValueError("fields must be a non-empty JSON object")
        self.head = fields[:-1]
        self.start = start
        self.etag = f'W/"{_digest(b"countdown", fields)}"'

    def at(self, now: int) -> bytes:
        return self.head + b',"now":%d,"starts_in":%d}' % (now, max(0, self.start - now))


class TextBody:
    """`v1|<now>|<count>`, then one line per event; the header is written at answer time."""

    content_type = "text/plain; charset=utf-8"

    def __init__(self, lines: list[bytes]):
        self.count = len(lines)
        self.lines = b"\n".join(lines)
        self.etag = f'W/"{_digest(b"text", str(self.count).encode(), self.lines)}"'

    def at(self, now: int) -> bytes:
        header = b"v1|%d|%d" % (now, self.count)
        return header + b"\n" + self.lines if self.count else header


Body = JsonBody | CountdownBody | TextBody
