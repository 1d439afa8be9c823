"""A plain Chromium (its headless shell: no extension) on the fake LinkedIn, and a fresh tab
per test that fails the test if the page threw a script error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright

from harness.chromium import launch_plain_chromium
from harness.fake_linkedin import FakeLinkedIn


@pytest.fixture
def server(fake_linkedin: FakeLinkedIn) -> FakeLinkedIn:
    return fake_linkedin


@pytest.fixture(scope="session")
def browser(
    playwright: Playwright, headless_shell_executable: str, fake_linkedin: FakeLinkedIn
) -> Iterator[Browser]:
    launched = launch_plain_chromium(
        playwright, headless_shell_executable, fake_linkedin.chromium_args
    )
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser, server: FakeLinkedIn) -> Iterator[Page]:
    server.reset()
    context = browser.new_context(ignore_https_errors=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"script errors on the page: {errors}"
