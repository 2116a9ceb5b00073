"""The Italian catalogue (locale/it/LC_MESSAGES/django.po) as the tests read it.

`CHECKED_FOR_ITALIAN` lists the files whose messages must all be in Italian: the catalogue test
fails for any of their messages that is missing from the catalogue, untranslated or fuzzy, and
the browser tests look for their English on Italian pages. Messages from other files are in the
catalogue too, waiting for their translation.
"""

import contextlib
import gettext
import re
import shutil
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from tdc.management.commands.makemessages import NOT_OURS_OR_NOT_SHOWN

LANGUAGE = "it"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
MAKEMESSAGES = "DEBUG=true .venv/bin/python manage.py makemessages -l it"

# Every file of ours: what CHECKED_FOR_ITALIAN becomes once every screen is translated.
EVERY_FILE_OF_OURS = [""]
# Files (or folders, ending in "/") whose messages must be in Italian. Translating a screen means
# adding its files here; the list grows app by app until it is EVERY_FILE_OF_OURS.
CHECKED_FOR_ITALIAN = [
    "events/",
    "tdc/",
    "integrations/action_outcomes.py",
    "integrations/admin.py",
    "integrations/admin_search.py",
    "integrations/apps.py",
    "integrations/call_log.py",
    "integrations/checks.py",
    "integrations/facebook/",
    "integrations/google_calendar/",
    "integrations/health.py",
    "integrations/http.py",
    "integrations/in_words.py",
    "integrations/log_retention.py",
    "integrations/management/",
    "integrations/models.py",
    "integrations/notices/",
    "integrations/registry.py",
    "integrations/status.py",
    "integrations/tasks.py",
    "integrations/templatetags/",
    "integrations/views.py",
    "patreon_sync/",
    "templates/admin/base_site.html",
    "templates/admin/events/",
    "templates/admin/index.html",
    "templates/admin/integrations/",
    "templates/admin/locked_out.html",
    "templates/events/",
    "templates/facebook/",
    "templates/includes/",
    "templates/patreon_sync/",
    "templates/public/",
]

Key = tuple[str, str]  # (context, msgid)


def key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid)


def show(message: Key) -> str:
    context, msgid = message
    return f"{msgid!r} (context {context!r})" if context else repr(msgid)


def in_scope(entry: polib.POEntry, scope: list[str] = CHECKED_FOR_ITALIAN) -> bool:
    """Whether any file the message comes from is one whose messages must be in Italian."""
    return any(path.startswith(prefix) for path, _line in entry.occurrences for prefix in scope)


def committed() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def regenerated(workdir: Path, *, added: dict[str, str] | None = None) -> polib.POFile:
    """The catalogue as `makemessages -l it` makes it from the code now, without touching ours.

    The command reads the folder it runs in, so it runs in a copy of our source files (plus any
    `added` ones, path: text) with a copy of the catalogue.
    """
    base = Path(settings.BASE_DIR)
    skipped = {".git", *NOT_OURS_OR_NOT_SHOWN}
    for source in _source_files(base, skipped):
        target = workdir / source.relative_to(base)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for name, text in (added or {}).items():
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / name).write_text(text, encoding="utf-8")
    locale = workdir / "locale"
    shutil.copytree(base / "locale", locale)
    with override_settings(LOCALE_PATHS=[locale]), contextlib.chdir(workdir):
        call_command("makemessages", locale=[LANGUAGE], verbosity=0)
    return polib.pofile(str(locale / LANGUAGE / "LC_MESSAGES" / "django.po"))


def _source_files(folder: Path, skipped: set[str]):
    for path in folder.iterdir():
        if path.name in skipped or path.name.startswith(".") or path.is_symlink():
            continue
        if path.is_dir():
            yield from _source_files(path, skipped)
        elif path.suffix in (".py", ".html", ".txt"):
            yield path


def problems(
    from_the_code: polib.POFile, ours: polib.POFile, scope: list[str] = CHECKED_FOR_ITALIAN
) -> dict[str, list[str]]:
    """What is wrong with our catalogue for the messages of the files in scope, by kind."""
    django = translated_by_django()
    in_code = {key(entry) for entry in from_the_code}
    catalogue = {key(entry): entry for entry in ours if not entry.obsolete}
    found: dict[str, list[str]] = {
        "missing from the catalogue": [],
        "fuzzy": [],
        "not translated": [],
        "no longer in the code": [],
    }
    for entry in from_the_code:
        if not in_scope(entry, scope):
            continue
        mine = catalogue.get(key(entry))
        if mine is None:
            found["missing from the catalogue"].append(show(key(entry)))
        elif mine.fuzzy:
            found["fuzzy"].append(show(key(entry)))
        elif not mine.translated() and not _translated_by(django, key(entry)):
            found["not translated"].append(show(key(entry)))
    found["no longer in the code"] = [
        show(key(entry))
        for entry in ours
        if entry.obsolete or (in_scope(entry, scope) and key(entry) not in in_code)
    ]
    return {kind: messages for kind, messages in found.items() if messages}


def _translated_by(django: dict, message: Key) -> bool:
    return django_key(message) in django or (django_key(message), 0) in django


def translated_by_django() -> dict[str, str]:
    """Django's own Italian (its core and contrib apps): our catalogue need not repeat it."""
    folders = [Path(__import__("django").__file__).parent / "conf" / "locale"]
    folders += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    catalog: dict = {}
    for folder in folders:
        if (folder / LANGUAGE / "LC_MESSAGES" / "django.mo").is_file():
            found = gettext.translation("django", str(folder), languages=[LANGUAGE])
            catalog.update(found._catalog)
    return catalog


def django_key(message: Key) -> str:
    context, msgid = message
    return f"{context}\x04{msgid}" if context else msgid


def english_in(text: str, scope: list[str] = CHECKED_FOR_ITALIAN, catalogue=None) -> list[str]:
    """Our English source strings (from the files in scope) found in a text meant to be Italian."""
    patterns = english_on_italian_pages(scope, catalogue)
    text = _words(_SAME_IN_EVERY_LANGUAGE.sub("\0", text))
    found = [english for english, pattern in patterns.items() if pattern.search(text)]
    return sorted(found)


# Names and codes an Italian page shows as they are, whose words are not ours to translate: the
# "second" of Second Life, the "calendar" of Google Calendar (upper case in the admin's
# captions), the "WEEKLY" of a repeat rule (FREQ=WEEKLY;BYDAY=FR), the "public" and "calendar"
# of an address (public-cal@group.calendar.google.com, a calendar's id), the "events" of a
# dotted name (the API operation events.insert, a file's name), a file's path
# (docs/integrations-setup.md), what Patreon's portal calls the creator's token, the "events" of
# a path (/events/1/, an event's public page) or of an address (http://tdc.example/events/1/).
_SAME_IN_EVERY_LANGUAGE = re.compile(
    r"Second Life|(?i:Google Calendar)|\bFREQ=[A-Z0-9=;,+-]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|https?://\S+|\b[a-z_]+(?:\.[a-z_]+)+\b|\b[\w-]+(?:/[\w-]+)*/[\w.-]+\.[a-z]+\b"
    r"|Creator's Access Token|(?<![\w/])/(?:[\w.-]+/)+[\w.-]*"
)


def english_on_italian_pages(
    scope: list[str] = CHECKED_FOR_ITALIAN, catalogue: polib.POFile | None = None
) -> dict[str, re.Pattern]:
    """Our English source strings (from the files in scope) that an Italian page must not show,
    each with the pattern that finds it in a page's text, whatever its case.

    A string the translation leaves as it is ("Patreon") is left out, and so is a string with no
    words of its own (just placeholders or punctuation).
    """
    django = translated_by_django()
    found = {}
    for entry in committed() if catalogue is None else catalogue:
        if entry.obsolete or not in_scope(entry, scope):
            continue
        italian = [entry.msgstr, *entry.msgstr_plural.values()]
        italian = [text for text in italian if text] or [django.get(django_key(key(entry)), "")]
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            if any(_words(text).casefold() == _words(english).casefold() for text in italian):
                continue
            if pattern := _pattern(english):
                found[english] = pattern
    return found


# %(name)s, %s, %d, {name}: what a message leaves for the code to fill in; tags and line breaks.
_PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-z]|%[-#0 +]*\d*[sdfir]|\{[^{}]*\}")
_TAG = re.compile(r"<[^>]+>")


def _words(text: str) -> str:
    return " ".join(text.split())


def _pattern(english: str) -> re.Pattern | None:
    gaps = _TAG.sub("\0", _PLACEHOLDER.sub("\0", english)).replace("%%", "%")
    pieces = [_words(piece) for piece in gaps.split("\0")]
    pieces = [piece for piece in pieces if re.search(r"[^\W\d_]{2}", piece)]
    if not pieces:
        return None
    joined = r".{0,200}?".join(r"\s+".join(map(re.escape, piece.split())) for piece in pieces)
    start = r"(?<!\w)" if re.match(r"\w", pieces[0]) else ""
    # Not a word cut short by an apostrophe: the Italian "all'indirizzo" is no English "All".
    end = r"(?!\w|['\u2019]\w)" if re.search(r"\w$", pieces[-1]) else ""
    return re.compile(start + joined + end, re.IGNORECASE | re.DOTALL)
