"""The README is a front door and the docs say what the code does (issue 25):

- README.md stays short (at most 130 lines);
- every relative link in README.md and docs/*.md names a file that exists, and an anchor names
  a heading of that file;
- docs/architecture.md's message catalogue names every message type the code sends and
  handles, each under its direction, and no other; the code handles every type it defines;
- docs/architecture.md has one line per JavaScript module under extension/, and none for a
  module that does not exist; every other file under extension/ (bar the messages) is named;
- the texts moved out of the README into docs/ keep the README's promises: no "keeps it off"
  without the re-check, no claim wider than LinkedIn's switch.

Text only, no build and no browser: well under a second."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.build import test_off_state_words, test_promises

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EXTENSION = ROOT / "extension"
README_MAX_LINES = 130
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def unfenced(text: str) -> str:
    """The text without its fenced code blocks."""
    return re.sub(r"(?ms)^(```|~~~).*?^\1[^\n]*$", "", text)


def prose(text: str) -> str:
    """The text without its code, fenced or inline: where a link is a link."""
    return re.sub(r"`[^`\n]*`", "", unfenced(text))


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().replace("`", "").lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings (a repeated heading gets -1, -2, …)."""
    seen: dict[str, int] = {}
    found = set()
    for line in unfenced(read(path)).splitlines():
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not heading:
            continue
        base = slug(heading.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> list[str]:
    """The targets of a Markdown file's links and images, outside code."""
    text = prose(read(path))
    return re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r"<img[^>]*\ssrc=\"([^\"]+)\"", text)


def section(text: str, heading: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    start = text.index(f"\n{heading}\n")
    end = re.search(rf"(?m)^#{{1,{level}}} ", text[start + len(heading) + 2 :])
    return text[start : start + len(heading) + 2 + end.start()] if end else text[start:]


# ---------------------------------------------------------------- the README and the links


def test_readme_is_a_front_door() -> None:
    lines = read(ROOT / "README.md").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:, …
            continue
        file_part, _, anchor = target.partition("#")
        file = (page.parent / file_part).resolve() if file_part else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no heading #{anchor} in {file.relative_to(ROOT)}")
    assert not broken, broken


def test_the_link_check_sees_links_anchors_and_code(tmp_path: Path) -> None:
    page = tmp_path / "sample.md"
    page.write_text(
        "# A `b` c, d!\n\n## Same\n## Same\n\n[x](y.md#a-b-c-d) `[no](z.md)`\n```\n[no](w)\n```\n",
        encoding="utf-8",
    )
    assert anchors(page) == {"a-b-c-d", "same", "same-1"}
    assert links(page) == ["y.md#a-b-c-d"]


# ---------------------------------------------------------------- the message catalogue


def message_names(name: str) -> dict[str, str]:
    """One map of lib/messages.js (FROM_CONTENT, TO_CONTENT, FROM_PAGES): key -> message type."""
    source = read(EXTENSION / "lib" / "messages.js")
    body = re.search(rf"export const {name} = \{{(.*?)\}};", source, re.DOTALL)
    assert body, f"lib/messages.js: no {name}"
    return dict(re.findall(r"(\w+)\s*:\s*\"([^\"]+)\"", body.group(1)))


def handled(path: str, table: str, names: str) -> set[str]:
    """The message keys (`[NAMES.key]`) of a handler table in one module."""
    source = read(EXTENSION / path)
    body = re.search(rf"const {table} = \{{(.*?)\n?\}};", source, re.DOTALL)
    assert body, f"{path}: no {table}"
    return set(re.findall(rf"\[{names}\.(\w+)\]", body.group(1)))


# Each direction: the map in lib/messages.js, the handler table that takes it, and the heading
# of its part of the catalogue.
DIRECTIONS = {
    "FROM_CONTENT": (
        "background/main.js",
        "CONTENT_SCRIPT_MESSAGES",
        "### From the content script to the background",
    ),
    "TO_CONTENT": (
        "engine/main.js",
        "BACKGROUND_MESSAGES",
        "### From the background to a content script",
    ),
    "FROM_PAGES": (
        "background/main.js",
        "PAGE_MESSAGES",
        "### From the extension's pages to the background",
    ),
}


@pytest.mark.parametrize("names", DIRECTIONS)
def test_the_code_handles_every_message_it_defines(names: str) -> None:
    path, table, _ = DIRECTIONS[names]
    assert handled(path, table, names) == set(message_names(names)), (path, table)


@pytest.mark.parametrize("names", DIRECTIONS)
def test_the_catalogue_names_every_message_and_no_other(names: str) -> None:
    _, _, heading = DIRECTIONS[names]
    catalogue = section(read(DOCS / "architecture.md"), "## Message catalogue")
    rows = re.findall(r"(?m)^\| `([^`]+)` \|", section(catalogue, heading))
    assert sorted(rows) == sorted(message_names(names).values())


def test_every_message_the_code_names_is_defined() -> None:
    """Every use of FROM_CONTENT.x, TO_CONTENT.x or FROM_PAGES.x names a message of
    lib/messages.js, and no message is sent by a literal name."""
    used = 0
    for path in EXTENSION.rglob("*.js"):
        source = read(path)
        for names, key in re.findall(rf"\b({'|'.join(DIRECTIONS)})\.(\w+)", source):
            assert key in message_names(names), (str(path), f"{names}.{key}")
            used += 1
        assert not re.search(r"sendMessage\([^)]*?\{\s*type:\s*[\"']", source), str(path)
    assert used >= sum(len(message_names(names)) for names in DIRECTIONS)


# ---------------------------------------------------------------- the modules


def test_architecture_has_one_line_per_module() -> None:
    modules = section(read(DOCS / "architecture.md"), "## Modules")
    lines = re.findall(r"(?m)^- `([\w/.-]+\.js)`", modules)
    shipped = sorted(str(p.relative_to(EXTENSION)) for p in EXTENSION.rglob("*.js"))
    assert sorted(set(lines)) == shipped
    assert len(lines) == len(set(lines)), "a module with two lines"


def test_architecture_has_one_line_per_build_module() -> None:
    """tools/: each module of the build's package, and build.py, its command line."""
    layout = section(read(DOCS / "architecture.md"), "### tools/")
    lines = re.findall(r"(?m)^- `(tools/[\w/]+\.py)`", layout)
    modules = sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "tools").rglob("*.py") if p.stem != "__init__"
    )
    assert sorted(set(lines)) == modules
    assert len(lines) == len(set(lines)), "a module with two lines"
    assert "| `build.py` |" in read(DOCS / "architecture.md")


def test_architecture_names_every_other_file_of_the_extension() -> None:
    named = re.findall(r"`([^`\s]+)`", read(DOCS / "architecture.md"))
    missing = []
    for path in sorted(EXTENSION.rglob("*")):
        relative = str(path.relative_to(ROOT))
        if path.is_dir() or path.suffix == ".js" or "/_locales/" in relative:
            continue
        if not any(relative == name or relative.endswith(f"/{name}") for name in named):
            missing.append(relative)
    assert not missing


# ---------------------------------------------------------------- the promises, moved


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_docs_keep_it_off_only_with_the_recheck(page: Path) -> None:
    recheck = test_promises.messages("en")["recheckLegend"]
    for paragraph in read(page).split("\n\n"):
        flat = " ".join(paragraph.replace("*", "").split())
        assert test_promises.listing.keeps_off_promise(flat, "en", recheck) is None, flat


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_docs_claim_no_more_than_the_switch(page: Path) -> None:
    assert test_off_state_words.overclaims(read(page)) == []
