"""Browsers are started in their own process group and always ended, leaving nothing behind."""

from __future__ import annotations

import os
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Playwright

from harness.chromium import ChromiumSession
from harness.fake_linkedin import FakeLinkedIn
from harness.firefox import FirefoxProcess
from tests.e2e.conftest import chromium_build_for

# Seconds the processes a closed browser leaves get to end on their own.
ENDS_WITHIN = 5


def processes_on(profile: Path) -> list[psutil.Process]:
    """The live processes of the browser started on `profile`: the one whose command line
    names it, and everything under it (not the other browsers this worker runs meanwhile).
    A psutil.Process is never mistaken for a later process given the same pid."""
    roots = [p for p in psutil.Process().children(recursive=True) if _names(p, profile)]
    family = {q.pid: q for root in roots for q in (root, *_children(root))}
    return [q for q in family.values() if _alive(q)]


def test_firefox_runs_in_its_own_process_group_and_ends_whole(
    firefox_executable: str, tmp_path: Path
) -> None:
    firefox = FirefoxProcess(firefox_executable, tmp_path / "profile", {}, "en-US")
    try:
        assert os.getpgid(firefox.pid) == firefox.pid != os.getpgid(0)
        group = [p for p in psutil.process_iter() if _pgid(p) == firefox.pid]
        assert len(group) >= 1
    finally:
        firefox.stop()
    assert not [p for p in psutil.process_iter() if _pgid(p) == firefox.pid and _alive(p)]


def test_chromium_ends_with_its_session(
    request: pytest.FixtureRequest,
    playwright: Playwright,
    chromium_executable: str,
    fake_linkedin: FakeLinkedIn,
    tmp_path: Path,
) -> None:
    session = ChromiumSession(
        playwright,
        chromium_executable,
        chromium_build_for(request, tmp_path / "profile"),
        tmp_path / "profile",
        fake_linkedin.chromium_args,
    )
    started = processes_on(tmp_path / "profile")
    assert started, "Chromium started no process"
    session.close()
    # The browser's child processes end when they see it gone: a moment after it.
    psutil.wait_procs(started, timeout=ENDS_WITHIN)
    assert not [f"{p.pid} {p.name()}" for p in started if _alive(p)]


def _pgid(process: psutil.Process) -> int | None:
    try:
        return os.getpgid(process.pid)
    except (ProcessLookupError, psutil.Error):
        return None


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _names(process: psutil.Process, profile: Path) -> bool:
    try:
        return any(str(profile) in argument for argument in process.cmdline())
    except psutil.Error:
        return False


def _children(process: psutil.Process) -> list[psutil.Process]:
    try:
        return process.children(recursive=True)
    except psutil.Error:
        return []
