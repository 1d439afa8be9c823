"""The built extension in real browsers: Chromium (Playwright, the unpacked build) and Firefox
ESR (Marionette, the packed zip). Each browser starts once per xdist worker, when a test of
the worker first needs it, and is reset between tests; a test that asks for `browser` runs
once in each."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from harness.chromium import ChromiumSession
from harness.e2e_rules import (
    E2E_LIMIT_MS,
    E2E_SETTLE_MS,
    SHIPPED_SETTLE,
    SHORT_LIMIT_MS,
    rules_with_timing,
)
from harness.fake_linkedin import FakeLinkedIn
from harness.firefox import FirefoxSession
from harness.session import Session
from tools.build import make

BROWSERS = ("chromium", "firefox")
# The front ends LinkedIn serves its settings pages with (harness/fake_linkedin.py): a test
# marked `both_stacks` runs on each, in each browser.
PAGE_STACKS = ("ember", "new")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_stacks: run on each page stack (Ember and LinkedIn's new front end)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_stacks"):
        if "page_stack" not in metafunc.fixturenames:
            metafunc.fixturenames.append("page_stack")  # a parameter the test need not take
        metafunc.parametrize("page_stack", PAGE_STACKS)


@pytest.fixture(autouse=True)
def page_stack_of_the_test(request: pytest.FixtureRequest, fake_linkedin: FakeLinkedIn) -> None:
    """The fake LinkedIn serves the test's page stack from every reset (Ember unless the test
    runs on both stacks)."""
    callspec = getattr(request.node, "callspec", None)
    stack = callspec.params.get("page_stack") if callspec else None
    fake_linkedin.defaults = {"stack": stack} if stack else {}


def build_with_timing(
    tmp_path_factory: pytest.TempPathFactory, limit_ms: int, settle_ms: int | None
) -> Path:
    """Both browsers, built from the sources under test, with the overall time limit of a
    visit at `limit_ms` and the settle at `settle_ms` (tests/build checks the shipped ones)."""
    rules = rules_with_timing(tmp_path_factory.mktemp("rules"), limit_ms, settle_ms)
    out = tmp_path_factory.mktemp("dist")
    make.build(out=out, rules_dir=rules)
    return out


@pytest.fixture(scope="session")
def extension_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ for this run: a visit's limit at E2E_LIMIT_MS, its settle at E2E_SETTLE_MS."""
    return build_with_timing(tmp_path_factory, E2E_LIMIT_MS, E2E_SETTLE_MS)


@pytest.fixture(scope="session")
def short_limit_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same at SHORT_LIMIT_MS: for tests whose every visit waits the limit out, as on a
    page where no rule finds the switch."""
    return build_with_timing(tmp_path_factory, SHORT_LIMIT_MS, E2E_SETTLE_MS)


@pytest.fixture(scope="session")
def shipped_settle_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same with the shipped settle: for pages timed against it."""
    return build_with_timing(tmp_path_factory, E2E_LIMIT_MS, SHIPPED_SETTLE)


def firefox_package_in(out: Path) -> Path:
    """The packed file a Firefox user installs, in a build's folder."""
    return out / make.package_name(make.read_version(), "firefox")


@pytest.fixture(scope="session")
def firefox_package(extension_build: Path) -> Path:
    return firefox_package_in(extension_build)


@pytest.fixture
def linkedin(fake_linkedin: FakeLinkedIn) -> FakeLinkedIn:
    """The fake server, reset to the canonical page with the setting on."""
    fake_linkedin.reset()
    return fake_linkedin


def chromium_build_for(
    request: pytest.FixtureRequest, profile: Path, built: str = "extension_build"
) -> Path:
    """The Chromium build, copied for the browser on `profile` alone (the same folder each time
    it starts on that profile, so its extension keeps its id and storage). In 2 of 4 CI runs one
    worker's Chromium showed every text of the extension's pages empty after other Chromiums of
    that worker had loaded the same unpacked folder; a folder per browser shares nothing."""
    copy = profile.with_name(f"{profile.name}-extension")
    if not copy.exists():
        shutil.copytree(request.getfixturevalue(built) / "chrome", copy)
    return copy


def start_chromium(
    request: pytest.FixtureRequest, profile: Path, locale: str, built: str = "extension_build"
) -> ChromiumSession:
    """Chromium on `profile` with the build of the fixture named `built` (unpacked)."""
    return ChromiumSession(
        request.getfixturevalue("playwright"),
        request.getfixturevalue("chromium_executable"),
        chromium_build_for(request, profile, built),
        profile,
        request.getfixturevalue("fake_linkedin").chromium_args,
        locale=locale,
    )


def start_firefox(
    request: pytest.FixtureRequest, profile: Path, locale: str, built: str = "extension_build"
) -> FirefoxSession:
    """Firefox on `profile` with the build of the fixture named `built` (its packed file)."""
    return FirefoxSession(
        request.getfixturevalue("firefox_executable"),
        firefox_package_in(request.getfixturevalue(built)),
        profile,
        request.getfixturevalue("fake_linkedin").firefox_prefs,
        locale=locale,
    )


STARTERS = {"chromium": start_chromium, "firefox": start_firefox}


class WorkerBrowsers:
    """This worker's browsers, one per browser and build, each started when a test first needs
    it and reset between tests; all closed when the worker ends."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.request = request
        self.sessions: dict[tuple[str, str], Session] = {}

    def get(self, name: str, built: str) -> Session:
        """The browser `name` with the build of the fixture `built`."""
        if (name, built) not in self.sessions:
            profile = self.request.getfixturevalue("tmp_path_factory").mktemp(f"{name}-{built}")
            self.sessions[name, built] = STARTERS[name](self.request, profile, "en-US", built=built)
        return self.sessions[name, built]

    def close(self) -> None:
        for session in self.sessions.values():
            session.close()


@pytest.fixture(scope="session")
def worker_browsers(
    request: pytest.FixtureRequest, playwright: Playwright, fake_linkedin: FakeLinkedIn
) -> Iterator[WorkerBrowsers]:
    """Asks for Playwright and the server itself, so that both end after the browsers do."""
    browsers = WorkerBrowsers(request)
    yield browsers
    browsers.close()


@pytest.fixture
def chromium_browser(worker_browsers: WorkerBrowsers) -> Session:
    """This worker's Chromium with the e2e build, as the last test left it."""
    return worker_browsers.get("chromium", "extension_build")


def worker_browser(request: pytest.FixtureRequest, built: str) -> Session:
    """This worker's browser of the test's param with the build of the fixture `built`, as
    after a fresh install, with the server reset after the last test's tabs are closed (so
    none of them can still reach it)."""
    session = request.getfixturevalue("worker_browsers").get(request.param, built)
    session.reset()
    request.getfixturevalue("fake_linkedin").reset()
    return session


@pytest.fixture(params=BROWSERS)
def browser(request: pytest.FixtureRequest) -> Session:
    """The browser for this run of the test (the e2e build), as after a fresh install."""
    return worker_browser(request, "extension_build")


@pytest.fixture(params=BROWSERS)
def shipped_settle_browser(request: pytest.FixtureRequest) -> Session:
    """The same with the shipped settle, for pages timed against it (harness/e2e_rules.py)."""
    return worker_browser(request, "shipped_settle_build")


@pytest.fixture(params=BROWSERS)
def short_limit_browser(request: pytest.FixtureRequest) -> Session:
    """The same with the short-limit build, for pages where every visit waits the limit out."""
    return worker_browser(request, "short_limit_build")


@pytest.fixture(params=BROWSERS)
def german_browser(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Session]:
    """A fresh browser whose interface language is German."""
    session = STARTERS[request.param](request, tmp_path / "profile-de", "de")
    yield session
    session.close()
