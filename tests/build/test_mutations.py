"""The mutation check (tests/unit/mutate.js): every guard in the background's message handling,
result cleaning, storage checks, sign-in attribution and fresh-load verification, removed in
turn from a copy of the extension, makes the unit layer fail."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_guard_removed_fails_a_unit_test() -> None:
    node = shutil.which("node")
    assert node, "node is missing: install Node.js 20 (the README's first command needs it)"
    result = subprocess.run(
        [node, "tests/unit/mutate.js"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    output = result.stdout + result.stderr
    counts = re.search(r"guards mutated: (\d+), caught: (\d+)", result.stdout)
    assert counts, output
    mutated, caught = map(int, counts.groups())
    print(f"guards mutated: {mutated}, caught: {caught}")
    assert result.returncode == 0, output
    assert mutated == caught and mutated >= 40, output
