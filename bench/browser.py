"""Headless Chromium launched as the tests launch it (harness/chromium.py), with one unpacked
extension or none, plus the DevTools-protocol reads the benchmark needs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from playwright.sync_api import CDPSession, Page, Playwright, Worker

from harness import BrowserNotFound, chromium

LOCALE = "en-US"


class BenchError(Exception):
    """The benchmark cannot run (no browser, a page that never showed what it waits for)."""


def find_chromium(playwright: Playwright) -> str:
    try:
        return chromium.find_chromium(playwright)
    except BrowserNotFound as error:
        raise BenchError(str(error)) from None


def chromium_version(executable: str) -> str:
    result = subprocess.run([executable, "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip() or "unknown"


def has_background(extension: Path) -> bool:
    manifest = json.loads((extension / "manifest.json").read_text(encoding="utf-8"))
    return "background" in manifest


class Session:
    """One browser with a fresh profile and `extension` loaded (None: no extension at all)."""

    def __init__(
        self,
        playwright: Playwright,
        executable: str,
        profile: Path,
        server_args: list[str],
        extension: Path | None,
    ) -> None:
        self.context = chromium.launch_chromium(
            playwright, executable, profile, LOCALE, server_args, extension
        )
        self.extension_id: str | None = None
        if extension is not None and has_background(extension):
            self.extension_id = self._wait_for_background()

    def _wait_for_background(self) -> str:
        return self._worker().url.split("/")[2]

    def _worker(self) -> Worker:
        """The extension's service worker (the browser may have stopped and restarted it)."""
        workers = self.context.service_workers
        worker = workers[0] if workers else self.context.wait_for_event("serviceworker")
        # Its top-level code has run, so its listeners exist before the first navigation.
        worker.evaluate("() => chrome.runtime.id")
        return worker

    def in_background(self, function: str, arg: Any = None) -> Any:
        """The JSON value of the JS function `(arg) => ...` run in the extension's worker."""
        return self._worker().evaluate(function, arg)

    def close(self) -> None:
        self.context.close()

    def new_page(self) -> Page:
        return self.context.new_page()

    def _extension_world(self, page: Page) -> tuple[CDPSession, int | None]:
        """A DevTools session on the page and the id of the extension's isolated world."""
        cdp = self.context.new_cdp_session(page)
        contexts: list[dict[str, Any]] = []
        cdp.on("Runtime.executionContextCreated", lambda event: contexts.append(event["context"]))
        cdp.send("Runtime.enable")
        origin = f"chrome-extension://{self.extension_id}"
        ids = [context["id"] for context in contexts if context.get("origin") == origin]
        return cdp, (ids[0] if ids else None)

    def content_script_ran(self, page: Page) -> bool:
        """Whether Chromium created the extension's isolated world in this page."""
        cdp, world = self._extension_world(page)
        cdp.detach()
        return world is not None

    def evaluate_in_content_script(self, page: Page, expression: str) -> Any:
        """The value of `expression` in the content script's world (None: no such world)."""
        cdp, world = self._extension_world(page)
        try:
            if world is None:
                return None
            answer = cdp.send(
                "Runtime.evaluate",
                {"expression": expression, "contextId": world, "returnByValue": True},
            )
            return answer["result"].get("value")
        finally:
            cdp.detach()


def watch_metrics(session: Session, page: Page) -> CDPSession:
    """A DevTools session with Chromium's per-page counters on; open it before navigating."""
    cdp = session.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    return cdp


def read_metrics(cdp: CDPSession) -> dict[str, float]:
    """Performance.getMetrics as a dict: ScriptDuration, TaskDuration (seconds), Nodes..."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return {metric["name"]: metric["value"] for metric in metrics}
