"""Errors are recorded in English (the call log, an integration's own rows, a button's last
answer) and shown in the reader's language: each client registers the wordings it records, and
`in_words` recognises a recorded text by them and says it again through the catalogue.

What a wording quotes (a provider's own words, a host, an id) stays as it is; a quoted wording of
ours (the network problem inside "Network error: …", say) is said again too. A day or a moment
is recorded in ISO 8601 (`recorded_day`, `recorded_moment`) and said again in the reader's
formats, as every screen writes one. Text of no known wording is shown as recorded.
"""

import re
from datetime import UTC, date, datetime

from django.utils import formats
from django.utils.translation import gettext

from events.when import in_current_zone

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_RECOGNISED: list[tuple[str, re.Pattern, int]] = []
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})")


def _recognised(template: str) -> re.Pattern:
    """The English of `template` with its placeholders as groups (a repeated one must repeat)."""
    pieces, seen, start = [], set(), 0
    for placeholder in _PLACEHOLDER.finditer(template):
        pieces.append(re.escape(template[start : placeholder.start()]))
        name = placeholder.group(1)
        pieces.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        start = placeholder.end()
    pieces.append(re.escape(template[start:]))
    return re.compile("".join(pieces), re.DOTALL)


def recorded_wordings(*templates: str) -> tuple[str, ...]:
    """Register wordings (marked with `gettext_noop`) that are recorded in English."""
    known = {template for template, _pattern, _words in _RECOGNISED}
    for template in dict.fromkeys(templates):
        if template not in known:
            words = len(_PLACEHOLDER.sub("", template))
            _RECOGNISED.append((template, _recognised(template), words))
    _RECOGNISED.sort(key=lambda wording: -wording[2])  # the first that fits has the most words
    return templates


def recorded_day(day: date) -> str:
    """A day as a recorded text holds it (2027-01-12), for `in_words` to say in any language."""
    return day.isoformat()


def recorded_moment(moment: datetime) -> str:
    """A moment as a recorded text holds it (2026-12-05T20:00+00:00), to the minute."""
    return moment.astimezone(UTC).isoformat(timespec="minutes")


def in_words(text: str, *, depth: int = 0) -> str:
    """A recorded (English) error in the language of the moment.

    When more than one wording fits (one quoting another, say "%(error)s — %(advice)s" and
    "%(error)s (gave up after %(tries)s tries)"), the one with the most words of its own wins:
    it is the one that was written, whatever order the wordings were registered in.
    """
    if not text:
        return text  # most calls went well: nothing to recognise
    fitting = (
        (t, found) for t, pattern, _words in _RECOGNISED if (found := pattern.fullmatch(text))
    )
    template, found = next(fitting, (None, None))
    if found is None:
        return text
    values = {
        name: _said_again(value, depth=depth + 1) if depth < 3 else value
        for name, value in found.groupdict().items()
    }
    return gettext(template) % values


def _said_again(value: str, *, depth: int) -> str:
    """A placeholder's recorded value in the language of the moment."""
    try:
        if _DAY.fullmatch(value):
            return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
        if _MOMENT.fullmatch(value):
            return in_current_zone(datetime.fromisoformat(value))
    except ValueError:
        return value  # shaped like a date, yet none (2026-13-45): shown as recorded
    return in_words(value, depth=depth)
