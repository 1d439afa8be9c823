"""What the build weighs and how long it takes."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import ROOT
from bench.stats import summary

POPUP_FILES = ("popup/popup.html", "popup/popup.css", "popup/popup.js")


def sizes(build_dir: Path) -> dict[str, dict[str, int]]:
    """Bytes of the content script, the background, the popup and each package, per browser."""
    result: dict[str, dict[str, int]] = {}
    for browser in ("chrome", "firefox"):
        tree = build_dir / browser
        packages = sorted(build_dir.glob(f"*-{browser}.zip"))
        result[browser] = {
            "content.js": (tree / "content.js").stat().st_size,
            "background.js": (tree / "background.js").stat().st_size,
            "popup": sum((tree / name).stat().st_size for name in POPUP_FILES),
            "zip": packages[0].stat().st_size if packages else 0,
        }
    return result


def build_times(count: int) -> dict:
    """Wall time of `python build.py` (both browsers, into a scratch folder), in seconds."""
    times = []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
        command = [sys.executable, "build.py", "--out", scratch]
        for _ in range(count):
            started = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return summary(times)
