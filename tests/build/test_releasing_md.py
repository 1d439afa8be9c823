"""RELEASING.md stays true: every file it points to exists, it names every secret the release
workflow reads, and its hotfix recipe gives the measured time, under the 15-minute target."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RELEASING = (ROOT / "RELEASING.md").read_text(encoding="utf-8")
# Paths in the repository as RELEASING.md writes them, in backticks.
PATH = re.compile(r"`((?:tests|scripts|\.ci|store|harness|extension)/[\w./-]+|[\w-]+\.(?:py|md))`")


def test_every_file_it_names_exists() -> None:
    named = {name for name in PATH.findall(RELEASING) if "<" not in name and "*" not in name}
    named.discard("BUILDING.md")  # in the source package, written by the release
    assert "tests/build/test_listing.py" in named
    missing = sorted(name for name in named if not (ROOT / name).exists())
    assert not missing


def test_it_names_every_secret_the_release_workflow_reads() -> None:
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    secrets = set(re.findall(r"\$\{\{\s*secrets\.(\w+)", workflow))
    assert secrets
    assert {name for name in secrets if f"`{name}`" not in RELEASING} == set()


def test_the_hotfix_recipe_gives_its_time_under_15_minutes() -> None:
    recipe = RELEASING.split("## 5. Hotfix recipe", 1)[1]
    for command in ("python build.py check-rules", "extension/rules/linkedin.json", "VARIANTS"):
        assert command in recipe
    total = re.search(r"\*\*about (\d+) min (\d+) s\*\*", recipe)
    assert total, "the hotfix recipe's total time"
    assert int(total[1]) * 60 + int(total[2]) < 15 * 60
