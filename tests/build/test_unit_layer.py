"""The JavaScript unit layer (tests/unit/, `npm test`): the extension's pure parts under
Node's own test runner, run here too so that the one test command covers it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_javascript_unit_tests_pass() -> None:
    node = shutil.which("node")
    assert node, "node is missing: install Node.js 20 (the README's first command needs it)"
    result = subprocess.run(
        [node, "--test", "--test-concurrency=2", "tests/unit/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout and "# pass 0" not in result.stdout, result.stdout
