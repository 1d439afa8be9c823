"""Shared fixtures: the extension built from the current sources, the fake LinkedIn server,
and a browser with the extension loaded."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Playwright, sync_playwright

import build
from tests.chromium import ChromiumSession, find_chromium
from tests.fake_linkedin import FakeLinkedIn

# Lets Playwright report requests made by the extension's service worker too.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")


@pytest.fixture(scope="session")
def extension_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ for this run: both browsers, built from the sources under test."""
    out = tmp_path_factory.mktemp("dist")
    build.build(out=out)
    return out


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


@pytest.fixture
def chromium(
    playwright: Playwright,
    chromium_executable: str,
    extension_build: Path,
    linkedin: FakeLinkedIn,
    tmp_path: Path,
) -> Iterator[ChromiumSession]:
    session = ChromiumSession(
        playwright,
        chromium_executable,
        extension_build / "chrome",
        tmp_path / "profile",
        linkedin.chromium_args,
    )
    yield session
    session.close()
