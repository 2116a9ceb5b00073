"""Every message of ours has its Italian, and the catalogue cannot fall behind the code.

The catalogue is regenerated from the code (`makemessages -l it`, in a copy) and compared with
the committed one, for the files in `CHECKED_FOR_ITALIAN` (tdc/tests/catalogue.py).
"""

import gettext

import polib
import pytest
from django.conf import settings

from tdc.django_italian_gaps import ARTICLE_FREE
from tdc.tests.catalogue import (
    CATALOGUE,
    CHECKED_FOR_ITALIAN,
    MAKEMESSAGES,
    committed,
    django_key,
    english_in,
    key,
    problems,
    regenerated,
    show,
    translated_by_django,
)

FIX = (
    f"To fix: {MAKEMESSAGES}, then translate each message in locale/it/LC_MESSAGES/django.po "
    "(and remove its `#, fuzzy` line once checked); bash scripts/setup.sh compiles it."
)


@pytest.fixture(scope="module")
def from_the_code(tmp_path_factory):
    return regenerated(tmp_path_factory.mktemp("catalogue"))


def test_every_message_of_the_checked_files_is_in_the_catalogue_in_italian(from_the_code):
    found = problems(from_the_code, committed())

    assert not found, "\n".join(
        [f"{kind}: {', '.join(messages)}" for kind, messages in found.items()] + [FIX]
    )


def test_a_new_message_in_a_checked_file_fails_the_check_until_it_is_translated(tmp_path):
    added = {
        "tdc/new_screen.py": "from django.utils.translation import gettext as _\n"
        '_("Three events need a poster")\n'
    }
    scope = [*CHECKED_FOR_ITALIAN, "tdc/new_screen.py"]
    new = "'Three events need a poster'"
    from_the_code = regenerated(tmp_path, added=added)

    assert new in problems(from_the_code, committed(), scope)["missing from the catalogue"]

    # What the fix command does (it ran in the copy), then a translator's work.
    ours = polib.pofile(str(tmp_path / "locale" / "it" / "LC_MESSAGES" / "django.po"))
    # msgmerge leaves it empty, or marks it fuzzy with a guess from a similar message.
    found = problems(from_the_code, ours, scope)
    assert new in found.get("not translated", []) + found.get("fuzzy", [])
    entry = ours.find("Three events need a poster")
    entry.msgstr = "Tre eventi aspettano una locandina"
    entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    assert new not in str(problems(from_the_code, ours, scope))


def _catalogue(*entries: polib.POEntry) -> polib.POFile:
    catalogue = polib.POFile()
    catalogue.extend(entries)
    return catalogue


def _entry(msgid: str, msgstr: str = "", *, where: str = "tdc/admin.py", **fields) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[(where, "")], **fields)


def test_the_check_names_fuzzy_untranslated_and_vanished_messages():
    from_the_code = _catalogue(_entry("Upcoming"), _entry("Past"), _entry("Shown elsewhere"))
    ours = _catalogue(
        _entry("Upcoming", "In arrivo", flags=["fuzzy"]),
        _entry("Past"),
        _entry("Shown elsewhere", "Mostrato altrove"),
        _entry("Removed from the code", "Tolto dal codice"),
    )

    assert problems(from_the_code, ours) == {
        "fuzzy": ["'Upcoming'"],
        "not translated": ["'Past'"],
        "no longer in the code": ["'Removed from the code'"],
    }


def test_the_check_covers_only_the_files_listed_so_far():
    from_the_code = _catalogue(_entry("Not yet", where="an_app_not_translated_yet/admin.py"))
    ours = _catalogue(_entry("Not yet", where="an_app_not_translated_yet/admin.py"))

    assert problems(from_the_code, ours) == {}
    assert problems(from_the_code, ours, scope=[""]) == {"not translated": ["'Not yet'"]}


def test_a_message_django_already_translates_needs_no_translation_of_ours():
    from_the_code = _catalogue(_entry("Home", where="templates/includes/x.html"))
    ours = _catalogue(_entry("Home", where="templates/includes/x.html"))

    assert problems(from_the_code, ours) == {}


def test_every_file_the_check_covers_exists():
    # A file renamed or moved would otherwise silently leave the check.
    missing = [name for name in CHECKED_FOR_ITALIAN if not (settings.BASE_DIR / name).exists()]
    assert not missing, f"CHECKED_FOR_ITALIAN names files that do not exist: {missing}"


def test_our_italian_keeps_djangos_own_words():
    # Our catalogue wins over Django's, so a message that is also Django's would change its
    # wording on every admin page (e.g. "Change", which Django's admin says as "Modifica").
    django = translated_by_django()
    differ = [
        f"{show(key(entry))}: ours {entry.msgstr!r}, Django's {django[django_key(key(entry))]!r}"
        for entry in committed()
        if entry.translated()
        and entry.msgid not in ARTICLE_FREE
        and django_key(key(entry)) in django
        and django[django_key(key(entry))] != entry.msgstr
    ]
    assert not differ, "Use a context (pgettext) or other words: " + "; ".join(differ)


def test_the_compiled_catalogue_matches_its_source():
    compiled_path = CATALOGUE.with_suffix(".mo")
    assert compiled_path.is_file(), (
        f"{compiled_path} is missing: bash scripts/setup.sh compiles it (or: msgfmt --check-format "
        f"-o {compiled_path} {CATALOGUE})."
    )
    with compiled_path.open("rb") as file:
        compiled = gettext.GNUTranslations(file)._catalog
    expected = {}
    for entry in committed():
        if not entry.translated():
            continue
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(django_key(key(entry)), int(index))] = text
        else:
            expected[django_key(key(entry))] = entry.msgstr
    compiled.pop("", None)  # the header

    assert compiled == expected, (
        f"{compiled_path} was compiled from another version of {CATALOGUE.name}: "
        "run bash scripts/setup.sh (it compiles the catalogues)."
    )


def _italian(msgid: str, msgstr: str = "", **fields) -> polib.POEntry:
    return _entry(msgid, msgstr, where="tdc/screen.py", **fields)


SCREEN = ["tdc/screen.py"]
SHOWN = _catalogue(
    _italian("Event", "Evento"),
    _italian("All", "Tutti"),
    _italian("Add %(name)s", "Aggiungi %(name)s"),
    _italian("Patreon", "Patreon"),
    _italian("Calendar", "Calendario"),
    _italian("%(count)s", "%(count)s"),
    _italian("second", "secondo"),
    _italian("Weekly", "Ogni settimana"),
    _italian(
        "%(count)s event needs attention",
        msgid_plural="%(count)s events need attention",
        msgstr_plural={
            0: "%(count)s evento richiede attenzione",
            1: "%(count)s eventi richiedono attenzione",
        },
    ),
    _italian(
        "Read <a href='%(url)s'>the guide</a> first", "Leggi prima <a href='%(url)s'>la guida</a>"
    ),
)


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Scegli event da modificare", ["Event"]),
        ("AGGIUNGI EVENT", ["Event"]),  # the admin's captions are upper case
        ("Add Luna Sparrow", ["Add %(name)s"]),
        ("3 EVENTS NEED\n ATTENTION: Facebook", ["%(count)s events need attention"]),
        ("Read the guide first", ["Read <a href='%(url)s'>the guide</a> first"]),
        ("Scegli evento da modificare", []),  # "Event" inside an Italian word is not English
        ("Eventi: 3. Sostieni su Patreon", []),  # the same in both languages
        ("Aggiungi Luna Sparrow", []),
        ("Sincronizza con Google Calendar", []),  # a name, not our "Calendar"
        ("AGGIUNGI VOCE DI GOOGLE CALENDAR", []),
        ("Calendar: Google Calendar", ["Calendar"]),
        ("Non condiviso con public-cal@group.calendar.google.com", []),  # an address
        ("Errore di event.insert", []),  # a dotted name (an API's operation)
        ("Pagina pubblica: /events/1/", []),  # a path (an event's public page)
        ("Event: /events/1/", ["Event"]),  # the word is still English
        ("Link: http://127.0.0.1:8000/events/1/", []),  # an address
        ("Imposta SITE_URL all'indirizzo pubblico", []),  # Italian "all'", not "All"
        ("All: 3", ["All"]),
        ("Orari in SLT (l'ora di Second Life)", []),  # a name, not the English "second"
        ("Ogni settimana: venerdì (FREQ=WEEKLY;BYDAY=FR)", []),  # a rule's code
    ],
)
def test_the_check_for_english_on_italian_pages_finds_our_words_only(text, english):
    assert english_in(text, SCREEN, SHOWN) == english
