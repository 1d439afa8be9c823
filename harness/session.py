"""What a test can do with a browser that has the extension installed, the same in Chromium
(Playwright) and Firefox (Marionette): open tabs, read and click pages, read the extension's
storage and badge. A behaviour is written once against this and run in both browsers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

import axe_playwright_python

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

# Extension-side snippets: functions of (api, arg) run in an extension context. They use
# only the WebExtensions API, so the same text runs in both browsers.
READ_STORAGE = "(api) => api.storage.local.get(null)"
WRITE_STORAGE = "(api, items) => api.storage.local.set(items)"
CLEAR_STORAGE = (
    "async (api) => { await api.storage.local.clear(); await api.storage.session.clear(); }"
)
# The badge follows storage changes asynchronously: read it until it shows what is expected.
WAIT_FOR_BADGE = """
(api, { expected, timeoutMs }) => new Promise((resolve) => {
  const started = performance.now();
  const read = async () => {
    const text = await api.action.getBadgeText({});
    if (text === expected || performance.now() - started > timeoutMs) resolve(text);
    else setTimeout(read, 50);
  };
  read();
})
"""
# A line that folds repeats of one result holds `count` of them.
WAIT_FOR_HISTORY = """
(api, { count, timeoutMs }) => new Promise((resolve) => {
  const read = async () => (await api.storage.local.get("history")).history ?? [];
  const results = (history) => history.reduce((sum, line) => sum + (line.count ?? 1), 0);
  let timer;
  const finish = (history) => {
    clearTimeout(timer);
    api.storage.onChanged.removeListener(onChanged);
    resolve(history);
  };
  const onChanged = (changes, area) => {
    const history = changes.history?.newValue;
    if (area === "local" && history && results(history) >= count) finish(history);
  };
  timer = setTimeout(async () => finish(await read()), timeoutMs);
  api.storage.onChanged.addListener(onChanged);
  read().then((now) => { if (results(now) >= count) finish(now); });
})
"""

WAIT_FOR_VALUE = """
(api, { key, expected, timeoutMs }) => new Promise((resolve) => {
  const same = (value) => JSON.stringify(value) === JSON.stringify(expected);
  let timer;
  const finish = (value) => {
    clearTimeout(timer);
    api.storage.onChanged.removeListener(onChanged);
    resolve(value ?? null);
  };
  const onChanged = (changes, area) => {
    const value = changes[key]?.newValue;
    if (area === "local" && same(value)) finish(value);
  };
  timer = setTimeout(async () => finish((await api.storage.local.get(key))[key]), timeoutMs);
  api.storage.onChanged.addListener(onChanged);
  api.storage.local.get(key).then((now) => { if (same(now[key])) finish(now[key]); });
})
"""
WAIT_FOR_OUTCOME = """
(api, { rule, outcome, timeoutMs }) => new Promise((resolve) => {
  let timer;
  const finish = (latest) => {
    clearTimeout(timer);
    api.storage.onChanged.removeListener(onChanged);
    resolve(latest?.[rule] ?? null);
  };
  const onChanged = (changes, area) => {
    const latest = changes.latest?.newValue;
    if (area === "local" && latest?.[rule]?.outcome === outcome) finish(latest);
  };
  timer = setTimeout(async () => finish((await api.storage.local.get("latest")).latest), timeoutMs);
  api.storage.onChanged.addListener(onChanged);
  api.storage.local.get("latest").then(({ latest }) => {
    if (latest?.[rule]?.outcome === outcome) finish(latest);
  });
})
"""

# Page-side snippet: every switch on the page as the page itself exposes it.
SWITCH_STATES = """
() => [...document.querySelectorAll('[role="switch"], input[type="checkbox"]')].map((el) =>
  el.tagName === "INPUT" ? (el.checked ? "on" : "off")
                         : (el.getAttribute("aria-checked") === "true" ? "on" : "off"))
"""

AXE_RUN = """
() => axe.run(document, { resultTypes: ["violations"] }).then((r) =>
  r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                             nodes: v.nodes.map((n) => n.target.join(" ")) })))
"""


class Tab(Protocol):
    """One browser tab."""

    @property
    def url(self) -> str: ...
    def goto(self, url: str) -> None: ...
    def reload(self) -> None: ...
    def back(self) -> None: ...
    def forward(self) -> None: ...
    def close(self) -> None: ...
    def is_closed(self) -> bool: ...
    def bring_to_front(self) -> None: ...
    def evaluate(self, function: str, arg: Any = None) -> Any:
        """Run a JS function source `(arg) => ...` in the page and return its JSON value."""

    def wait_until(self, function: str, arg: Any = None, timeout: float = 20) -> Any:
        """The first truthy value of the JS function, polled; None at the timeout."""

    def click(self, selector: str) -> None:
        """A real (trusted) click on the first element matching the CSS selector."""

    def press(self, key: str) -> None:
        """A real key press: "Tab", "Shift+Tab", "Space", "Enter"."""

    def screenshot(self, selector: str, path: Path) -> None: ...
    def axe_violations(self) -> list[dict]:
        """axe-core's accessibility violations on the page."""

    def set_color_scheme(self, scheme: str) -> None: ...
    def set_viewport(self, width: int, height: int) -> None:
        """The page's visible area in CSS pixels."""

    def screenshot_viewport(self, path: Path) -> None:
        """A PNG of what the page shows in its visible area."""

    def wait_closed(self, timeout: float = 20) -> None: ...
    def choose_file(self, selector: str, path: Path) -> None:
        """The file input given `path`, as the member picks it in the browser's file dialog."""

    def downloads(self, action, count: int, folder: Path, timeout: float = 20) -> list[Path]:
        """The `count` files the page downloads while `action()` runs, saved in `folder`."""


class Session(Protocol):
    """A browser with the built extension installed."""

    name: str
    # The tab the extension opened after it was installed, when the session started (None:
    # no first-run page appeared). reset() closes it with every other tab.
    first_run: Tab | None

    @property
    def first_run_url(self) -> str: ...
    def first_run_tabs(self) -> list[Tab]:
        """Every tab showing the first-run page now."""

    def open(self, url: str) -> Tab: ...
    def open_popup(self) -> Tab: ...
    def open_extension_page(self, path: str) -> Tab: ...
    def expect_new_tab(self, action) -> Tab:
        """The tab the extension opens while `action()` runs."""

    def tab_count(self) -> int: ...
    def extension(self, function: str, arg: Any = None) -> Any:
        """Run `(api, arg) => ...` with the extension's API and return its JSON value."""

    def content_script_injected(self, tab: Tab) -> bool: ...
    def read_clipboard(self) -> str: ...
    def send_message(self, message: dict) -> Any:
        """A runtime message from an extension page, as the popup sends it."""

    def reset(self) -> None:
        """Close every tab and forget everything stored, as after a fresh install."""


def storage(session: Session) -> dict:
    return session.extension(READ_STORAGE)


def set_storage(session: Session, items: dict) -> None:
    session.extension(WRITE_STORAGE, items)


def wait_for_badge(session: Session, expected: str, timeout: float = 10) -> str:
    """The badge text once it is `expected` (what it is at the timeout)."""
    return session.extension(WAIT_FOR_BADGE, {"expected": expected, "timeoutMs": timeout * 1000})


def wait_for_history(session: Session, count: int, timeout: float = 30) -> list[dict]:
    """The stored history once it holds `count` results, a folded line counting as many as
    it folds (what it holds at the timeout)."""
    return session.extension(WAIT_FOR_HISTORY, {"count": count, "timeoutMs": timeout * 1000})


def wait_for_stored(session: Session, key: str, expected: Any, timeout: float = 10) -> Any:
    """The stored value of `key` once it equals `expected` (what it is at the timeout)."""
    arg = {"key": key, "expected": expected, "timeoutMs": timeout * 1000}
    return session.extension(WAIT_FOR_VALUE, arg)


def wait_for_outcome(session: Session, rule: str, outcome: str, timeout: float = 20) -> dict:
    """The rule's latest stored result once its outcome is `outcome` (what it is at the
    timeout; None if there is none)."""
    arg = {"rule": rule, "outcome": outcome, "timeoutMs": timeout * 1000}
    return session.extension(WAIT_FOR_OUTCOME, arg)


def switch_states(tab: Tab) -> list[str]:
    return tab.evaluate(SWITCH_STATES)


def text(tab: Tab, selector: str) -> str:
    return tab.evaluate("(s) => document.querySelector(s)?.textContent ?? null", selector)


def wait_for_text(tab: Tab, selector: str, expected: str, timeout: float = 20) -> None:
    """Wait until the element's text is `expected`; fail showing what it was instead."""
    found = tab.wait_until(
        "([s, want]) => document.querySelector(s)?.textContent === want",
        [selector, expected],
        timeout=timeout,
    )
    assert found, f"{selector}: expected {expected!r}, found {text(tab, selector)!r}"


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2)


def strings_in(value: object) -> list[str]:
    """Every string (keys too) in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in [key, *strings_in(item)]]
    return []
