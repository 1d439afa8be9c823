"""The browser the field check drives, started as the test harness starts it (harness/): the
built extension loaded (Chromium: unpacked; Firefox: the packed file as a temporary add-on) on
the given profile, with www.linkedin.com sent to a local server when asked (`--map-linkedin`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from harness.chromium import ChromiumSession, find_chromium
from harness.fake_linkedin import HOST, chromium_server_args, firefox_server_prefs
from harness.firefox import FirefoxSession, find_firefox
from harness.session import Session
from tools.build import make

BROWSERS = ("chromium", "firefox")
# Addresses Firefox can be sent to: network.dns.localDomains resolves to this machine only.
LOCAL_ADDRESSES = ("127.0.0.1", "localhost")
# Firefox prefs as they are without a mapping: a profile once used with --map-linkedin keeps
# its prefs in prefs.js, so a run without one sets them back.
UNMAPPED_FIREFOX_PREFS = {"network.dns.localDomains": "", "network.socket.forcePort": ""}


class UsageError(Exception):
    """A mistake in how the field check was called: one line, exit status 2."""


@dataclass(frozen=True)
class Mapping:
    """Where www.linkedin.com is sent instead of the internet (`--map-linkedin HOST:PORT`)."""

    address: str
    port: int


def parse_mapping(value: str) -> Mapping:
    address, _, port = value.rpartition(":")
    if not address or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--map-linkedin {value}: expected HOST:PORT, e.g. 127.0.0.1:8443")
    return Mapping(address, int(port))


@dataclass(frozen=True)
class Launch:
    """Everything needed to start the browser."""

    browser: str
    extension: Path  # a build's folder (python build.py --out): chrome/, firefox/, packages
    profile: Path
    headless: bool
    mapping: Mapping | None
    page_limit: float


def chromium_extension(out: Path) -> Path:
    folder = out / "chrome"
    if not (folder / "manifest.json").is_file():
        raise UsageError(f"{out}: no Chromium build (chrome/manifest.json); run python build.py")
    return folder.resolve()


def firefox_package(out: Path) -> Path:
    package = out / make.package_name(make.read_version(), "firefox")
    found = [package] if package.is_file() else sorted(out.glob("linkedin-ai-optout-*-firefox.zip"))
    if not found:
        raise UsageError(f"{out}: no Firefox package (*-firefox.zip); run python build.py")
    return found[-1].resolve()


def check_launch(launch: Launch) -> None:
    """Usage errors found before anything starts."""
    if not launch.extension.is_dir():
        raise UsageError(f"--extension {launch.extension}: no such folder")
    if launch.browser == "firefox":
        firefox_package(launch.extension)
        if launch.mapping and launch.mapping.address not in LOCAL_ADDRESSES:
            raise UsageError("Firefox can send www.linkedin.com to this machine only (127.0.0.1)")
    else:
        chromium_extension(launch.extension)


def start_chromium(playwright, launch: Launch) -> ChromiumSession:
    mapping = launch.mapping
    args = chromium_server_args((HOST,), mapping.address, mapping.port) if mapping else []
    session = ChromiumSession(
        playwright,
        find_chromium(playwright),
        chromium_extension(launch.extension),
        launch.profile,
        args,
        headless=launch.headless,
        first_run_wait=0,
        accept_insecure_certs=mapping is not None,
    )
    # A page's load counts within its limit: a load that does not end in time fails the visit.
    session.context.set_default_navigation_timeout(launch.page_limit * 1000)
    return session


def start_firefox(launch: Launch) -> FirefoxSession:
    mapping = launch.mapping
    prefs = firefox_server_prefs((HOST,), mapping.port) if mapping else UNMAPPED_FIREFOX_PREFS
    session = FirefoxSession(
        find_firefox(),
        firefox_package(launch.extension),
        launch.profile,
        prefs,
        headless=launch.headless,
        first_run_wait=0,
        accept_insecure_certs=mapping is not None,
    )
    # One wait for a stored outcome is one script call: give it the page limit and more.
    session.client.timeout.script = max(60, launch.page_limit + 15)
    session.client.timeout.page_load = launch.page_limit
    return session


@contextlib.contextmanager
def browser_session(launch: Launch) -> Iterator[Session]:
    """The browser with the extension, closed (with every process it started) afterwards."""
    launch.profile.mkdir(parents=True, exist_ok=True)
    if launch.browser == "firefox":
        session = start_firefox(launch)
        try:
            yield session
        finally:
            session.close()
        return
    with sync_playwright() as playwright:
        session = start_chromium(playwright, launch)
        try:
            yield session
        finally:
            session.close()
