"""Fixtures every layer may use: one Playwright, the browsers' executables, the fake LinkedIn
server; and the check that no browser process outlives the run.

The layers, fastest first: unit/ (JavaScript, `npm test`; tests/build runs it too), then,
each alone with `python -m pytest tests/<layer>`: build/ (build.py, the rule checks, the
release; no browser), page/ (the fake LinkedIn and the engine's waiting in Chromium's headless
shell, no extension), e2e/ (the built extension in Chromium and Firefox), bench/ (a short run of
the benchmark)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Playwright, sync_playwright

from harness import BrowserNotFound
from harness.chromium import find_chromium, find_headless_shell
from harness.fake_linkedin import FakeLinkedIn
from harness.firefox import find_firefox

# Lets Playwright report requests made by the extension's service worker too.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")


def pytest_configure(config: pytest.Config) -> None:
    """The base folder of temporary files (pyproject.toml's --basetemp) as an absolute path, so
    that every tmp_path is one, as it is under /tmp."""
    if config.option.basetemp:
        config.option.basetemp = str(Path(config.option.basetemp).resolve())


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The one Playwright of this process (two sync Playwrights cannot run side by side)."""
    with sync_playwright() as instance:
        yield instance


def found(find: Callable[[], str]) -> str:
    """What `find` finds; when it finds no browser, the test fails (never skips)."""
    try:
        return find()
    except BrowserNotFound as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def chromium_executable(playwright: Playwright) -> str:
    """The Chromium to test with."""
    return found(lambda: find_chromium(playwright))


@pytest.fixture(scope="session")
def headless_shell_executable() -> str:
    """Chromium's headless shell, for pages without the extension."""
    return found(find_headless_shell)


@pytest.fixture(scope="session")
def firefox_executable() -> str:
    """The Firefox to test with."""
    return found(find_firefox)


@pytest.fixture(scope="session")
def fake_linkedin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeLinkedIn]:
    server = FakeLinkedIn(tmp_path_factory.mktemp("fake-linkedin"))
    server.start()
    yield server
    server.stop()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """After every fixture has ended its browsers, no process of ours may be left running.
    (Checked where the browsers ran: in each xdist worker, or in a run without workers.)"""
    if is_xdist_controller(session.config):
        return
    leftovers = [
        f"{p.pid} {p.name()}"
        for p in psutil.Process().children(recursive=True)
        if p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    ]
    if leftovers:
        print(f"\nleftover browser processes after the suite: {', '.join(leftovers)}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def is_xdist_controller(config: pytest.Config) -> bool:
    return getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput")
