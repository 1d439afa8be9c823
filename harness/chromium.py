"""Debian's Chromium driven by Playwright, pointed at the fake LinkedIn server by
host-resolver rules (the page keeps its real https URL): the one finder and launcher for the
tests and the benchmark, and the session with the built extension loaded unpacked."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import (
    Browser,
    BrowserContext,
    Download,
    Page,
    Playwright,
    Request,
    Worker,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness import BrowserNotFound
from harness.session import AXE_RUN, AXE_SOURCE, CLEAR_STORAGE

INSTALL_HINT = "install it with `apt-get install chromium` or set CHROMIUM_PATH"

# Flags for a quiet, offline headless Chromium that may run as root (no sandbox there).
QUIET_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No spare renderer started ahead of the next page (as Firefox's prelaunch), and the GPU
    # process's work (software compositing here) in the browser process: CPU for the tests.
    "--disable-features=DialMediaRouteProvider,OptimizationHints,SpareRendererForSitePerProcess",
    "--in-process-gpu",
]
KEYS = {"Space": " "}
FIRST_RUN_PAGE = "welcome/welcome.html"
# How long a new session waits for the first-run page the extension opens after install.
FIRST_RUN_WAIT = 10
# How many times a session starts Chromium before giving up on the extension's messages.
STARTS = 3


def locate_chromium(playwright: Playwright) -> str | None:
    """CHROMIUM_PATH, then the system's chromium, then Playwright's own download."""
    candidates = [os.environ.get("CHROMIUM_PATH")]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser")]
    candidates.append(playwright.chromium.executable_path)
    return next((c for c in candidates if c and Path(c).is_file()), None)


def find_chromium(playwright: Playwright) -> str:
    """The Chromium to drive; BrowserNotFound when there is none (a test fails, never skips)."""
    executable = locate_chromium(playwright)
    if executable is None:
        raise BrowserNotFound(f"Chromium not found: {INSTALL_HINT}")
    return executable


HEADLESS_SHELL_HINT = (
    "install it with `apt-get install chromium-headless-shell` or set CHROMIUM_HEADLESS_SHELL_PATH"
)


def find_headless_shell() -> str:
    """Chromium's headless shell (the same engine without the browser around it, so no
    extensions), for pages alone: CHROMIUM_HEADLESS_SHELL_PATH, then the system's; else
    BrowserNotFound (a test fails, never skips). A page costs a third of the CPU it costs in
    the full browser here."""
    candidates = [os.environ.get("CHROMIUM_HEADLESS_SHELL_PATH")]
    candidates.append(shutil.which("chromium-headless-shell"))
    executable = next((c for c in candidates if c and Path(c).is_file()), None)
    if executable is None:
        raise BrowserNotFound(f"Chromium's headless shell not found: {HEADLESS_SHELL_HINT}")
    return executable


class ChromiumTab:
    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def url(self) -> str:
        return self.page.url

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def reload(self) -> None:
        self.page.reload()

    def back(self) -> None:
        self.page.go_back()

    def forward(self) -> None:
        self.page.go_forward()

    def close(self) -> None:
        self.page.close()

    def is_closed(self) -> bool:
        return self.page.is_closed()

    def bring_to_front(self) -> None:
        self.page.bring_to_front()

    def evaluate(self, function: str, arg: Any = None) -> Any:
        return self.page.evaluate(function, arg)

    def wait_until(self, function: str, arg: Any = None, timeout: float = 20) -> Any:
        try:
            handle = self.page.wait_for_function(function, arg=arg, timeout=timeout * 1000)
        except PlaywrightTimeoutError:
            return None
        return handle.json_value()

    def click(self, selector: str) -> None:
        self.page.click(selector)

    def press(self, key: str) -> None:
        self.page.keyboard.press(KEYS.get(key, key))

    def screenshot(self, selector: str, path: Path) -> None:
        self.page.locator(selector).screenshot(path=path)

    def set_color_scheme(self, scheme: str) -> None:
        self.page.emulate_media(color_scheme=scheme)

    def set_viewport(self, width: int, height: int) -> None:
        self.page.set_viewport_size({"width": width, "height": height})

    def screenshot_viewport(self, path: Path) -> None:
        self.page.screenshot(path=path)

    def wait_closed(self, timeout: float = 20) -> None:
        if not self.page.is_closed():
            self.page.wait_for_event("close", timeout=timeout * 1000)

    def axe_violations(self) -> list[dict]:
        self.page.evaluate(
            AXE_SOURCE
        )  # DevTools evaluation: the extension page's CSP allows no eval
        return self.page.evaluate(AXE_RUN)

    def choose_file(self, selector: str, path: Path) -> None:
        """The file input given `path`, as the member picks it in the browser's file dialog."""
        self.page.set_input_files(selector, path)

    def downloads(
        self, action: Callable[[], None], count: int, folder: Path, timeout: float = 20
    ) -> list[Path]:
        """The `count` files the page downloads while `action()` runs, saved in `folder` under
        the names the page gave them."""
        started: list[Download] = []

        def keep(download: Download) -> None:
            started.append(download)

        self.page.on("download", keep)
        try:
            action()
            deadline = time.monotonic() + timeout
            while len(started) < count:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"{len(started)} of {count} downloads started"
                with contextlib.suppress(PlaywrightTimeoutError):
                    self.page.wait_for_event("download", timeout=remaining * 1000)
        finally:
            self.page.remove_listener("download", keep)
        saved = []
        for download in started:
            target = folder / download.suggested_filename
            download.save_as(target)
            saved.append(target)
        return sorted(saved)


def chromium_flags(locale: str, server_args: list[str], extension: Path | None) -> list[str]:
    flags = [*QUIET_FLAGS, f"--lang={locale}", *server_args]
    if extension is not None:
        flags += [f"--disable-extensions-except={extension}", f"--load-extension={extension}"]
    return flags


def chromium_env(locale: str) -> dict[str, str]:
    return {**os.environ, "TZ": "UTC", "LANGUAGE": locale.replace("-", "_")}


def launch_chromium(
    playwright: Playwright,
    executable: str,
    profile: Path,
    locale: str,
    server_args: list[str],
    extension: Path | None,
    headless: bool = True,
    accept_insecure_certs: bool = True,
) -> BrowserContext:
    """Chromium (headless unless said) with its own profile, in UTC and `locale`, reaching the
    fake server through `server_args`, with `extension` loaded unpacked (None: no extension),
    accepting the fake server's self-signed certificate unless `accept_insecure_certs` is
    False (the real site)."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=executable,
        headless=headless,
        ignore_https_errors=accept_insecure_certs,
        locale=locale,
        env=chromium_env(locale),
        args=chromium_flags(locale, server_args, extension),
    )


def launch_plain_chromium(
    playwright: Playwright, executable: str, server_args: list[str], locale: str = "en-US"
) -> Browser:
    """Chromium (`executable`: the headless shell, find_headless_shell) with no extension and
    no profile of its own: a fresh context per test is cheap (the fixture pages' own tests)."""
    return playwright.chromium.launch(
        executable_path=executable,
        headless=True,
        env=chromium_env(locale),
        args=chromium_flags(locale, server_args, None),
    )


class ChromiumSession:
    """Chromium with the unpacked build; records every request the browser makes."""

    name = "chromium"

    def __init__(
        self,
        playwright: Playwright,
        executable: str,
        extension: Path,
        profile: Path,
        server_args: list[str],
        locale: str = "en-US",
        headless: bool = True,
        first_run_wait: float = FIRST_RUN_WAIT,
        accept_insecure_certs: bool = True,
    ) -> None:
        """`first_run_wait`: how long to wait for the first-run page (0 on a profile where the
        extension is installed already, which opens none)."""
        self.requests: list[Request] = []
        self.blank: Page | None = None
        fresh_install = not profile.exists() or not any(profile.iterdir())
        for start in range(1, STARTS + 1):
            self.context = launch_chromium(
                playwright,
                executable,
                profile,
                locale,
                server_args,
                extension,
                headless,
                accept_insecure_certs,
            )
            self.extension_id = self.worker.url.split("/")[2]
            if self.messages_load():
                break
            self.context.close()
            warnings.warn(
                f"Chromium start {start} of {STARTS}: the extension {self.extension_id} ran"
                " with no messages (chrome.i18n.getMessage gave '' even for @@extension_id);"
                " starting it again" + (" on a new profile" if fresh_install else ""),
                stacklevel=2,
            )
            if fresh_install:  # the next start must be an install again, as this one was
                shutil.rmtree(profile)
        else:
            raise RuntimeError(f"Chromium ran the extension with no messages {STARTS} times")
        self.context.on("request", lambda request: self.requests.append(request))
        self.context.grant_permissions(["clipboard-read", "clipboard-write"])
        self.first_run = self.wait_for_first_run(first_run_wait)

    def messages_load(self) -> bool:
        """Whether the browser gives the extension its messages. Now and then (here 3 of 21 starts
        right after a benchmark run, 0 of 66 otherwise; the cause is not known), Chromium 156
        starts the unpacked extension so that every chrome.i18n.getMessage, @@extension_id too,
        gives '' in its pages and its worker for the browser's whole life: every text of the
        popup is empty. Its pages and worker otherwise run, so nothing else shows it."""
        found = self.worker.evaluate("() => chrome.i18n.getMessage('@@extension_id')")
        return found == self.extension_id

    @property
    def first_run_url(self) -> str:
        return f"chrome-extension://{self.extension_id}/{FIRST_RUN_PAGE}"

    def first_run_tabs(self) -> list[ChromiumTab]:
        return [ChromiumTab(p) for p in self.context.pages if p.url == self.first_run_url]

    def wait_for_first_run(self, timeout: float = FIRST_RUN_WAIT) -> ChromiumTab | None:
        """The tab the extension opened after install, once it shows the first-run page."""
        deadline = time.monotonic() + timeout
        while not (opened := self.first_run_tabs()) and time.monotonic() < deadline:
            with contextlib.suppress(PlaywrightTimeoutError):  # a new tab, or a first page load
                self.context.wait_for_event("page", timeout=250)
        return opened[0] if opened else None

    @property
    def worker(self) -> Worker:
        """The extension's service worker (the browser may have stopped and restarted it)."""
        workers = self.context.service_workers
        worker = workers[0] if workers else self.context.wait_for_event("serviceworker")
        # Runs after the background's top-level code, so its listeners are registered
        # before a test navigates (the browser drops events for listeners not yet known).
        worker.evaluate("() => chrome.runtime.id")
        return worker

    def close(self) -> None:
        self.context.close()

    def open(self, url: str) -> ChromiumTab:
        page = self.context.new_page()
        page.goto(url)
        return ChromiumTab(page)

    @property
    def popup_url(self) -> str:
        return f"chrome-extension://{self.extension_id}/popup/popup.html"

    def open_popup(self) -> ChromiumTab:
        """The popup, opened as a tab (as a member's click would show it, but testable)."""
        return self.open(self.popup_url)

    def open_extension_page(self, path: str) -> ChromiumTab:
        return self.open(f"chrome-extension://{self.extension_id}/{path}")

    def expect_new_tab(self, action: Callable[[], None]) -> ChromiumTab:
        with self.context.expect_page() as opened:
            action()
        return ChromiumTab(opened.value)

    def tab_count(self) -> int:
        return len(self.context.pages)

    def extension(self, function: str, arg: Any = None) -> Any:
        return self.worker.evaluate(f"(arg) => ({function})(chrome, arg)", arg)

    def send_message(self, message: dict) -> Any:
        """Send a runtime message as the popup does (a worker cannot message itself)."""
        pages = [p for p in self.context.pages if p.url.startswith(self.popup_url)]
        sender = pages[0] if pages else self.open_popup().page
        return sender.evaluate("(message) => chrome.runtime.sendMessage(message)", message)

    def read_clipboard(self) -> str:
        reader = self.open_popup()
        try:
            return reader.page.evaluate("navigator.clipboard.readText()")
        finally:
            reader.close()

    def content_script_injected(self, tab: ChromiumTab) -> bool:
        """Whether Chromium created the extension's isolated world in this page."""
        session = self.context.new_cdp_session(tab.page)
        contexts: list[dict] = []
        session.on("Runtime.executionContextCreated", lambda e: contexts.append(e["context"]))
        session.send("Runtime.enable")
        session.detach()
        origin = f"chrome-extension://{self.extension_id}"
        return any(c.get("origin") == origin for c in contexts)

    def reset(self) -> None:
        """Every tab closed but a blank one (the last reset's while it is still blank: a new tab
        starts a renderer process), and the extension's storage cleared."""
        blank = self.blank
        if blank is None or blank.is_closed() or blank.url != "about:blank":
            blank = self.blank = self.context.new_page()
        for page in self.context.pages:
            if page is not blank:
                page.close()
        self.extension(CLEAR_STORAGE)
        self.requests.clear()
