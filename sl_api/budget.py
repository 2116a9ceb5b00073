"""Fitting a panel's answer into the bytes `llHTTPRequest` will read.

LSL silently cuts a body at its byte limit (2048 UTF-8 bytes by default) and a cut JSON document
no longer parses, so we never cut the document: we drop trailing events, and shorten the text
of an event only when it cannot fit on its own.
"""

import unicodedata
from collections.abc import Callable, Sequence

ELLIPSIS = "…"
_ELLIPSIS_BYTES = len(ELLIPSIS.encode())
# Left dangling at a cut, these would glue onto the ellipsis or show as a broken glyph.
_JOINERS = {"\u200d", "\u034f", "\u2060"}


def utf8_len(text: str) -> int:
    return len(text.encode())


def shorten(text: str, max_bytes: int) -> str:
    """`text` itself if it fits in `max_bytes` UTF-8 bytes, else a prefix ending in an ellipsis."""
    if utf8_len(text) <= max_bytes:
        return text
    room = max_bytes - _ELLIPSIS_BYTES
    if room <= 0:
        return ""
    # errors="ignore" drops a character the byte cut split in two.
    prefix = text.encode()[:room].decode(errors="ignore")
    return _without_dangling_marks(prefix) + ELLIPSIS


def _without_dangling_marks(prefix: str) -> str:
    """Drop what cannot end a text: combining marks, variation selectors, joiners, spaces.

    A symbol whose mark or joined partner was cut goes too (and so on back), since half an
    emoji sequence, a "family" without its members, reads as a different picture.
    """
    end = len(prefix)
    while True:
        stripped = end
        while end and _cannot_end_a_text(prefix[end - 1]):
            end -= 1
        if end < stripped and end and unicodedata.category(prefix[end - 1]) == "So":
            end -= 1
            continue
        break
    # A flag is two regional indicators; one alone shows as a boxed letter.
    indicators = 0
    while indicators < end and _is_regional_indicator(prefix[end - 1 - indicators]):
        indicators += 1
    if indicators % 2:
        end -= 1
    return prefix[:end].rstrip()


def _cannot_end_a_text(char: str) -> bool:
    return (
        unicodedata.category(char) in ("Mn", "Me")
        or "\ufe00" <= char <= "\ufe0f"
        or char in _JOINERS
        or char.isspace()
    )


def _is_regional_indicator(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


Render = Callable[[dict], bytes]


def fit_records(
    records: Sequence[dict],
    *,
    render: Render,
    budget: int,
    separator_bytes: int,
    shortenable: Sequence[str],
    expendable: Sequence[str] = (),
) -> list[bytes]:
    """Render `records` in order while they fit in `budget` bytes, separators included.

    Events are dropped from the end, never skipped: a panel shows the soonest ones. When not
    even the first fits, it is shortened (see `fit_record`) and comes alone.
    """
    parts: list[bytes] = []
    used = 0
    for record in records:
        part = render(record)
        needed = len(part) + (separator_bytes if parts else 0)
        if used + needed > budget:
            break
        parts.append(part)
        used += needed
    if not parts and records:
        alone = fit_record(
            records[0],
            render=render,
            budget=budget,
            shortenable=shortenable,
            expendable=expendable,
        )
        if alone is not None:
            parts.append(alone)
    return parts


def fit_record(
    record: dict,
    *,
    render: Render,
    budget: int,
    shortenable: Sequence[str],
    expendable: Sequence[str] = (),
) -> bytes | None:
    """The record rendered within `budget`, its longest texts shortened first.

    Every shortenable field is capped at the same byte length, the largest cap that fits, so a
    huge title is cut before a short location is touched. Expendable fields (a link: half a URL
    is worse than none) are emptied only if shortening alone cannot fit. None if nothing fits.
    """
    part = render(record)
    if len(part) <= budget:
        return part
    fitted = _fit_by_capping(record, render=render, budget=budget, fields=shortenable)
    if fitted is None and expendable:
        emptied = {**record, **{name: "" for name in expendable}}
        fitted = _fit_by_capping(emptied, render=render, budget=budget, fields=shortenable)
    return fitted


def _fit_by_capping(
    record: dict, *, render: Render, budget: int, fields: Sequence[str]
) -> bytes | None:
    # Output length grows with the cap, so a binary search finds the largest cap that fits.
    longest = max((utf8_len(record[name]) for name in fields), default=0)
    low, high = 0, longest
    best = None
    while low <= high:
        cap = (low + high) // 2
        part = render({**record, **{name: shorten(record[name], cap) for name in fields}})
        if len(part) <= budget:
            best, low = part, cap + 1
        else:
            high = cap - 1
    return best
