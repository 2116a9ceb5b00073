"""The project's documentation stays inside the project: every Markdown link resolves here.

A clone has only this repository, so a link to a file outside it, or to a heading that was
renamed, leaves the reader at a dead end. Links are checked as GitHub renders them: a relative
path from the Markdown file's folder, and an anchor against the target's headings (GitHub's
slugs).
"""

import re
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".git", ".venv", "node_modules"}

# Written in two halves so this file does not match its own check.
FORBIDDEN_MENTIONS = ("../" + "shared", "ARCHITECTURE" + ".md")

FENCE = re.compile(r"^ {0,3}(```|~~~)")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
LINK_TEXT = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def project_files() -> list[Path]:
    """Every file of the project: tracked ones and new ones not ignored by .gitignore."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    paths = (REPO / name for name in listed.split("\0") if name)
    return sorted(
        path
        for path in paths
        if path.is_file() and not SKIPPED_DIRS.intersection(path.relative_to(REPO).parts)
    )


def markdown_files() -> list[Path]:
    return [path for path in project_files() if path.suffix.lower() == ".md"]


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks (links and headings in code are not links)."""
    lines, fenced = [], None
    for line in text.splitlines():
        fence = FENCE.match(line)
        if fence and (fenced is None or fence.group(1) == fenced):
            fenced = fence.group(1) if fenced is None else None
            continue
        if fenced is None:
            lines.append(line)
    return lines


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: the rendered text, lower case, punctuation dropped."""
    text = LINK_TEXT.sub(r"\1", heading)
    text = CODE_SPAN.sub(r"\2", text)
    text = re.sub(r"<[^>]+>", "", text).replace("*", "").replace("~", "").strip().lower()
    kept = "".join(char for char in text if char in " -_" or unicodedata.category(char)[0] in "LNM")
    return kept.replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    seen: dict[str, int] = {}
    found = set()
    for line in prose_lines(path.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        slug = github_slug(match.group(1))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return frozenset(found)


def links(path: Path) -> list[str]:
    found = []
    for line in prose_lines(path.read_text(encoding="utf-8")):
        line = CODE_SPAN.sub("", line)
        found.extend(match.group(1) for match in INLINE_LINK.finditer(line))
    return found


def broken_link(source: Path, target: str) -> str | None:
    """Why `target`, written in `source`, leads nowhere; None when it resolves."""
    if EXTERNAL.match(target):
        return None
    location, _, anchor = target.partition("#")
    destination = (source.parent / location).resolve() if location else source
    if REPO not in destination.parents and destination != REPO:
        return "points outside the repository"
    if not destination.exists():
        return "no such file"
    is_markdown = destination.suffix.lower() == ".md"
    if anchor and is_markdown and anchor.lower() not in anchors(destination):
        return f"no heading #{anchor} in {destination.relative_to(REPO)}"
    return None


def test_every_markdown_link_resolves_inside_the_repository():
    problems = [
        f"{source.relative_to(REPO)}: ({target}) {reason}"
        for source in markdown_files()
        for target in links(source)
        if (reason := broken_link(source, target))
    ]
    assert problems == []


def test_the_documentation_is_found_and_its_links_are_read():
    documents = {path.relative_to(REPO).as_posix() for path in markdown_files()}
    for expected in (
        "README.md",
        "docs/architecture.md",
        "docs/staff-guide.md",
        "docs/second-life.md",
        "docs/integrations-setup.md",
        "docs/operations.md",
    ):
        assert expected in documents
    readme_links = links(REPO / "README.md")
    assert "docs/architecture.md" in readme_links
    assert "docs/operations.md" in readme_links


def test_no_file_of_the_project_refers_to_notes_outside_it():
    mentions = []
    for path in project_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        mentions.extend(
            f"{path.relative_to(REPO)} mentions {needle!r}"
            for needle in FORBIDDEN_MENTIONS
            if needle in text
        )
    assert mentions == []


def test_every_file_that_names_a_document_names_one_that_exists():
    mentioned = re.compile(r"\bdocs/[\w.-]+\.md\b")
    missing = []
    for path in project_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        missing.extend(
            f"{path.relative_to(REPO)} names {name}"
            for name in sorted(set(mentioned.findall(text)))
            if not (REPO / name).is_file()
        )
    assert missing == []


def test_the_readme_stays_short_and_names_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 80
    assert "scripts/run.sh" in readme
    assert "scripts/test.sh" in readme


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Quick start", "quick-start"),
        ("For the audience: subscribe", "for-the-audience-subscribe"),
        ("Series (residencies)", "series-residencies"),
        ("The `format=text` answer", "the-formattext-answer"),
        ("Sign in with Patreon and access", "sign-in-with-patreon-and-access"),
        ("Calendar sync: convergence, not replay", "calendar-sync-convergence-not-replay"),
        ("What's on", "whats-on"),
        ("Speed — and how to re-measure it", "speed--and-how-to-re-measure-it"),
    ],
)
def test_anchors_follow_githubs_slugs(heading, slug):
    assert github_slug(heading) == slug


def test_a_link_to_a_missing_heading_or_outside_the_repository_is_reported():
    readme = REPO / "README.md"
    assert broken_link(readme, "docs/architecture.md#no-such-heading-anywhere") is not None
    assert broken_link(readme, "../outside/NOTES.md") == "points outside the repository"
    assert broken_link(readme, "docs/no-such-file.txt") == "no such file"
    assert broken_link(readme, "https://example.org/#anything") is None
