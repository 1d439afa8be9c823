"""`build.py check-rules` on the command line: a saved page in, the strategies that match it
and the verdict out; a missing file named, without a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_rules_command_line(tmp_path: Path) -> None:
    page = tmp_path / "saved.html"
    page.write_text(
        '<main><h1>Data for Generative AI Improvement</h1><span id="k">Use my data for training'
        ' content creation AI models</span><input type="checkbox" role="switch"'
        ' aria-labelledby="k" checked></main>',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check-rules", str(page)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "label-text:en            1 match(es)" in result.stdout
    assert "verdict: label-text:en finds exactly one switch" in result.stdout

    # The key renamed and the label reworded: only the page-level step finds it.
    page.write_text(
        '<nav><input type="checkbox" id="nav-toggle"></nav><main><h1>Data for Generative AI'
        ' Improvement</h1><span id="new">Allow use of my data for training AI that generates'
        ' content</span><div role="switch" aria-checked="true" aria-labelledby="new"></div></main>',
        encoding="utf-8",
    )
    reworded = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check-rules", str(page)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert reworded.returncode == 0, reworded.stderr
    assert "label-text:en            0 match(es)" in reworded.stdout
    assert "verdict: only-switch finds exactly one switch: <div role=switch" in reworded.stdout

    missing = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check-rules", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 1
    assert "nope.txt: no such file" in missing.stderr
