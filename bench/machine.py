"""The machine a run measured: CPU, cores, browser and Python versions, load."""

from __future__ import annotations

import os
import platform
import statistics
import threading
from pathlib import Path
from types import TracebackType

from bench.browser import chromium_version


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine(chromium: str) -> dict:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "chromium": chromium_version(chromium),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


class LoadSampler:
    """The 1-minute load average, sampled every `every_s` seconds while a run goes on: other
    work on the machine disturbs the figures, and this says how much of it there was."""

    def __init__(self, every_s: float = 5.0) -> None:
        self.every_s = every_s
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="load-sampler", daemon=True)

    def _sample(self) -> None:
        while True:
            self.samples.append(round(os.getloadavg()[0], 2))
            if self._stop.wait(self.every_s):
                return

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, float | list[float]]:
        return {
            "min": min(self.samples),
            "median": statistics.median(self.samples),
            "max": max(self.samples),
            "samples": self.samples,
        }
