"""Shared fixtures: the extension built from the current sources, the fake LinkedIn server,
and browsers with the extension installed: Chromium (Playwright, the unpacked build) and
Firefox ESR (Marionette, the packed zip). Each browser starts once per test run and is reset
between tests; a test that asks for `browser` runs once in each."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Playwright, sync_playwright

import build
from tests.chromium import ChromiumSession, find_chromium
from tests.fake_linkedin import FakeLinkedIn
from tests.firefox import FirefoxSession, find_firefox
from tests.session import Session

# Lets Playwright report requests made by the extension's service worker too.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

BROWSERS = ("chromium", "firefox")
# With `-n 2` (pytest-xdist, `--dist loadgroup`), each browser's tests run in a worker of
# their own, so one browser per worker starts once and the two run side by side.
BROWSER_PARAMS = [pytest.param(name, marks=pytest.mark.xdist_group(name)) for name in BROWSERS]


@pytest.fixture(scope="session")
def extension_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ for this run: both browsers, built from the sources under test."""
    out = tmp_path_factory.mktemp("dist")
    build.build(out=out)
    return out


@pytest.fixture(scope="session")
def firefox_package(extension_build: Path) -> Path:
    """The packed file a Firefox user installs."""
    return extension_build / build.package_name(build.read_version(), "firefox")


@pytest.fixture(scope="session")
def fake_linkedin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeLinkedIn]:
    server = FakeLinkedIn(tmp_path_factory.mktemp("fake-linkedin"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def linkedin(fake_linkedin: FakeLinkedIn) -> FakeLinkedIn:
    """The fake server, reset to the canonical page with the setting on."""
    fake_linkedin.reset()
    return fake_linkedin


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def chromium_executable(playwright: Playwright) -> str:
    return find_chromium(playwright)


@pytest.fixture(scope="session")
def firefox_executable() -> str:
    return find_firefox()


def start_chromium(request: pytest.FixtureRequest, profile: Path, locale: str) -> ChromiumSession:
    return ChromiumSession(
        request.getfixturevalue("playwright"),
        request.getfixturevalue("chromium_executable"),
        request.getfixturevalue("extension_build") / "chrome",
        profile,
        request.getfixturevalue("fake_linkedin").chromium_args,
        locale=locale,
    )


def start_firefox(request: pytest.FixtureRequest, profile: Path, locale: str) -> FirefoxSession:
    return FirefoxSession(
        request.getfixturevalue("firefox_executable"),
        request.getfixturevalue("firefox_package"),
        profile,
        request.getfixturevalue("fake_linkedin").firefox_prefs,
        locale=locale,
    )


STARTERS = {"chromium": start_chromium, "firefox": start_firefox}


@pytest.fixture(scope="session")
def chromium_browser(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ChromiumSession]:
    session = start_chromium(request, tmp_path_factory.mktemp("chromium-profile"), "en-US")
    yield session
    session.close()


@pytest.fixture(scope="session")
def firefox_browser(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FirefoxSession]:
    session = start_firefox(request, tmp_path_factory.mktemp("firefox-profile"), "en-US")
    yield session
    session.close()


@pytest.fixture(params=BROWSER_PARAMS)
def browser(request: pytest.FixtureRequest, fake_linkedin: FakeLinkedIn) -> Session:
    """The browser for this run of the test, as after a fresh install, with the server reset
    after the last test's tabs are closed (so none of them can still reach it)."""
    session = request.getfixturevalue(f"{request.param}_browser")
    session.reset()
    fake_linkedin.reset()
    return session


@pytest.fixture(params=BROWSER_PARAMS)
def german_browser(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Session]:
    """A fresh browser whose interface language is German."""
    session = STARTERS[request.param](request, tmp_path / "profile-de", "de")
    yield session
    session.close()


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
