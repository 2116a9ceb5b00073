"""Every setting `tdc/settings.py` reads is in the settings table of docs/operations.md and in
`.env.example`, and neither lists one that is not read: the three cannot drift apart."""

import re

from django.conf import settings

BASE = settings.BASE_DIR


def read_by_settings() -> set[str]:
    source = (BASE / "tdc" / "settings.py").read_text()
    return set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', source))


def in_operations_table() -> set[str]:
    guide = (BASE / "docs" / "operations.md").read_text()
    section = guide.partition("\n## Settings\n")[2].partition("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])}


def in_env_example() -> set[str]:
    example = (BASE / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))


def test_the_parsers_find_the_settings_they_look_for():
    for names in (read_by_settings(), in_operations_table(), in_env_example()):
        assert {"SECRET_KEY", "DATABASE_URL", "PATREON_WEBHOOK_SECRET"} <= names


def test_the_operations_guide_table_lists_exactly_the_settings_read():
    assert in_operations_table() == read_by_settings()


def test_env_example_lists_exactly_the_settings_read():
    assert in_env_example() == read_by_settings()
