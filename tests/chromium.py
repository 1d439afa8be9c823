"""Debian's Chromium driven by Playwright with the built extension loaded, pointed at the
fake LinkedIn server by host-resolver rules (the page keeps its real https URL)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, Request, Worker

INSTALL_HINT = "install it with `apt-get install chromium` or set CHROMIUM_PATH"

# Flags for a quiet, offline, root-run headless Chromium (see ../shared/browser-testing.md).
QUIET_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=DialMediaRouteProvider,OptimizationHints",
]


def find_chromium(playwright: Playwright) -> str:
    """CHROMIUM_PATH, then the system's chromium, then Playwright's own download; else fail."""
    candidates = [os.environ.get("CHROMIUM_PATH")]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser")]
    candidates.append(playwright.chromium.executable_path)
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.fail(f"Chromium not found: {INSTALL_HINT}", pytrace=False)


class ChromiumSession:
    """One fresh profile with the extension; records every request the browser makes."""

    def __init__(
        self,
        playwright: Playwright,
        executable: str,
        extension: Path,
        profile: Path,
        server_args: list[str],
        locale: str = "en-US",
    ) -> None:
        self.requests: list[Request] = []
        self.context: BrowserContext = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            ignore_https_errors=True,
            locale=locale,
            env={**os.environ, "TZ": "UTC", "LANGUAGE": locale.replace("-", "_")},
            args=[
                *QUIET_FLAGS,
                f"--lang={locale}",
                *server_args,
                f"--disable-extensions-except={extension}",
                f"--load-extension={extension}",
            ],
        )
        self.context.on("request", lambda request: self.requests.append(request))
        workers = self.context.service_workers
        self.worker: Worker = (
            workers[0] if workers else self.context.wait_for_event("serviceworker")
        )
        self.extension_id = self.worker.url.split("/")[2]
        # Runs after the background's top-level code, so its listeners are registered
        # before a test navigates (the browser drops events for listeners not yet known).
        self.worker.evaluate("() => chrome.runtime.id")

    def close(self) -> None:
        self.context.close()

    def open(self, url: str) -> Page:
        page = self.context.new_page()
        page.goto(url)
        return page

    @property
    def popup_url(self) -> str:
        return f"chrome-extension://{self.extension_id}/popup/popup.html"

    def open_popup(self) -> Page:
        """The popup, opened as a tab (as a member's click would show it, but testable)."""
        return self.open(self.popup_url)

    def badge(self) -> dict:
        return self.worker.evaluate(
            """async () => ({
                text: await chrome.action.getBadgeText({}),
                title: await chrome.action.getTitle({}),
            })"""
        )

    def store_result(self, result: dict) -> None:
        """Store a result through the background's own path, as if a content script sent it."""
        self.worker.evaluate("(result) => storeResult(result, -1)", result)

    def storage(self) -> dict:
        return self.worker.evaluate("() => chrome.storage.local.get(null)")

    def set_storage(self, items: dict) -> None:
        self.worker.evaluate("(items) => chrome.storage.local.set(items)", items)

    def wait_for_history(self, count: int, timeout: float = 30) -> list[dict]:
        """The stored history once it holds `count` results (or what it holds at the timeout)."""
        return self.worker.evaluate(WAIT_FOR_HISTORY, {"count": count, "timeoutMs": timeout * 1000})

    def content_script_ran(self, page: Page) -> bool:
        """Whether Chromium created the extension's isolated world in this page."""
        session = self.context.new_cdp_session(page)
        contexts: list[dict] = []
        session.on(
            "Runtime.executionContextCreated", lambda event: contexts.append(event["context"])
        )
        session.send("Runtime.enable")
        session.detach()
        origin = f"chrome-extension://{self.extension_id}"
        return any(c.get("origin") == origin for c in contexts)


WAIT_FOR_HISTORY = """
async ({ count, timeoutMs }) => {
  const read = async () => (await chrome.storage.local.get("history")).history ?? [];
  return new Promise(async (resolve) => {
    const finish = (history) => {
      clearTimeout(timer);
      chrome.storage.onChanged.removeListener(onChanged);
      resolve(history);
    };
    const onChanged = (changes, area) => {
      const history = changes.history?.newValue;
      if (area === "local" && history && history.length >= count) finish(history);
    };
    const timer = setTimeout(async () => finish(await read()), timeoutMs);
    chrome.storage.onChanged.addListener(onChanged);
    const now = await read();
    if (now.length >= count) finish(now);
  });
}
"""
