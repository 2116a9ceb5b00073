"""Errors are recorded in English (the call log, an integration's own rows, a button's last
answer) and shown in the reader's language: each client registers the wordings it records, and
`in_words` recognises a recorded text by them and says it again through the catalogue.

What a wording quotes (a provider's own words, a host, an id) stays as it is; a quoted wording of
ours (the network problem inside "Network error: …", say) is said again too. Text of no known
wording is shown as recorded.
"""

import re

from django.utils.translation import gettext

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_RECOGNISED: list[tuple[str, re.Pattern]] = []


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
    known = {template for template, _pattern in _RECOGNISED}
    _RECOGNISED.extend((t, _recognised(t)) for t in templates if t not in known)
    return templates


def in_words(text: str, *, depth: int = 0) -> str:
    """A recorded (English) error in the language of the moment."""
    for template, pattern in _RECOGNISED:
        found = pattern.fullmatch(text)
        if found:
            values = {
                name: in_words(value, depth=depth + 1) if depth < 3 else value
                for name, value in found.groupdict().items()
            }
            return gettext(template) % values
    return text
