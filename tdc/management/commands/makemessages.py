"""`makemessages` with this project's defaults, so the one documented command is always right.

Compared with Django's: our tests, migrations, benchmarks and generated folders are skipped,
messages no longer in the code are dropped (--no-obsolete), and references name the file without
a line number (--add-location file), so moving code does not rewrite the whole catalogue.
The catalogue test (tdc/tests/test_translations.py) runs this same command.
"""

from django.core.management.commands import makemessages

NOT_OURS_OR_NOT_SHOWN = [
    ".venv",
    "var",
    "bench",
    "tests",
    "migrations",
    "conftest.py",
    "staticfiles",
    "media",
    "node_modules",
    "test-artifacts",
]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *NOT_OURS_OR_NOT_SHOWN]
        options["no_obsolete"] = True
        if options["add_location"] is None:
            options["add_location"] = "file"
        return super().handle(*args, **options)
