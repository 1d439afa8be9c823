"""The machine a run measured: CPU, cores, browser and Python versions, load."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from bench.browser import chromium_version


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def machine(chromium: str) -> dict:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "chromium": chromium_version(chromium),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }
