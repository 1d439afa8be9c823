"""The time "Opt out now" takes as the member sees it: from the click on the popup's button
(the popup page opened as a tab, as the tests open it) to the moment the popup shows the run's
final outcome (its button usable again, the status card read then), in Chromium and in
Firefox. The polling reference has no popup: a driver loads each chosen setting's page in turn
in one tab, as the extension's run does, and the reference's content script clicks; its time
ends when the fake server has answered the last "off" save. The reference never looks again,
so it is timed to the save and the extension to its verified outcome."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench import ROOT
from bench.browser import Session
from harness.fake_linkedin import HOST, FakeLinkedIn, Scenario
from harness.firefox import FirefoxSession

RULES_FILE = ROOT / "extension" / "rules" / "linkedin.json"
SINGLE_RULE = "ai-training"
# A whole run may take the extension's page limit (20 s) per setting; past that it failed.
PAGE_LIMIT_S = 25
POPUP_READY_S = 10

# LinkedIn answers the save with 200 but does not keep it: the run tries once more, then
# reports that it could not switch the setting off.
NOT_KEPT = Scenario(keeps_saves=False)
# What the popup ends on: the run's outcome, kept (off) or not (could not switch it off).
ENDS_ON = {"kept": "off", "not-kept": "failed"}
# The popup, ready for a click: rendered from the background's status, not running, showing
# every chosen setting.
POPUP_READY = """(count) => {
  const button = document.getElementById("opt-out-now");
  const listed = document.querySelectorAll("#chosen-list li").length;
  return document.getElementById("setting-name").textContent !== "" && !button.disabled
    && button.getAttribute("aria-busy") === "false" && (count < 2 || listed === count);
}"""
# Marks the click (a capturing listener on the document runs before the popup's own) and the
# first moment after it that the popup shows a run going and then no run any more: its button
# usable again. The status card is read in that same moment, and the trace is then written to
# the page (Firefox's driver runs each script in a world of its own: a global would be gone).
ARM_POPUP = """() => {
  const button = document.getElementById("opt-out-now");
  const read = (id) => document.getElementById(id).textContent;
  const trace = { clickedAt: null, runningAt: null, endedAt: null };
  document.addEventListener("click", (event) => {
    if (event.target === button) trace.clickedAt ??= performance.now();
  }, { capture: true });
  new MutationObserver((records, observer) => {
    if (trace.clickedAt === null) return;
    const busy = button.getAttribute("aria-busy") === "true";
    if (busy) trace.runningAt ??= performance.now();
    if (trace.runningAt === null || busy || button.disabled) return;
    trace.endedAt = performance.now();
    trace.card = { state: document.getElementById("status").dataset.state,
                   title: read("status-title"), detail: read("status-detail"),
                   time: read("status-time") };
    observer.disconnect();
    document.documentElement.dataset.benchOptOut = JSON.stringify(trace);
  }).observe(document.body, { subtree: true, childList: true, attributes: true,
                               characterData: true });
}"""
READ_TRACE = "() => JSON.parse(document.documentElement.dataset.benchOptOut ?? 'null')"
RESET_STORAGE = """async (chosen) => {
  await chrome.storage.local.clear();
  await chrome.storage.session.clear();
  await chrome.storage.local.set({ chosen });
}"""
READ_HISTORY = "async () => (await chrome.storage.local.get('history')).history ?? []"
# The same through the WebExtensions API of Firefox's driver (storage is cleared by reset()).
CHOOSE = "(api, chosen) => api.storage.local.set({ chosen })"
HISTORY = "async (api) => (await api.storage.local.get('history')).history ?? []"


@dataclass(frozen=True)
class Setting:
    """One rule as the run visits it: its id, the page it opens, the key the page saves."""

    rule: str
    path: str
    key: str

    @property
    def url(self) -> str:
        return f"https://{HOST}{self.path}"


def settings(rule_ids: list[str] | None = None) -> list[Setting]:
    """The rules in the rule file's order (the order a run visits them), all or those named."""
    rules = json.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"]
    found = [Setting(rule["id"], rule["pages"][0], rule["switch"][0]["id"]) for rule in rules]
    return [s for s in found if rule_ids is None or s.rule in rule_ids]


def all_off(server: FakeLinkedIn, chosen: list[Setting]) -> bool:
    """Whether the server keeps every chosen setting off, each after one answered save."""
    return all(
        server.value(setting.key) is False
        and any(save.value is False and save.status == 200 for save in server.saves(setting.key))
        for setting in chosen
    )


def ended_as_expected(server: FakeLinkedIn, chosen: list[Setting], trace: dict, ends: str) -> bool:
    """A kept run: every chosen setting off on the server. A run whose saves LinkedIn does not
    keep: the popup says it could not switch it off, and the server still has it on."""
    if ends == "kept":
        return all_off(server, chosen)
    return trace["card"]["state"] == ENDS_ON[ends] and all(
        server.value(setting.key) is True for setting in chosen
    )


def trial_result(
    trace: dict, history: list[dict], server: FakeLinkedIn, chosen: list[Setting], ends: str
) -> dict[str, Any]:
    return {
        "ms": trace["endedAt"] - trace["clickedAt"],
        "all_off": ended_as_expected(server, chosen, trace, ends),
        "card": trace["card"],
        "outcomes": {entry["rule"]: entry["outcome"] for entry in history},
        # How the outcome was checked, where the record says (a fresh load: "reload").
        "proofs": {entry["rule"]: entry.get("proof") for entry in history},
    }


def _fresh_state(session: Session, chosen: list[Setting]) -> None:
    """As after a fresh install with these settings chosen, and only a blank tab open."""
    blank = session.new_page()
    for page in session.context.pages:
        if page is not blank:
            page.close()
    session.in_background(RESET_STORAGE, [setting.rule for setting in chosen])


def _open_ready_popup(session: Session, count: int) -> Page:
    popup = session.new_page()
    popup.goto(f"chrome-extension://{session.extension_id}/popup/popup.html")
    popup.wait_for_function(POPUP_READY, arg=count, timeout=POPUP_READY_S * 1000)
    popup.evaluate(ARM_POPUP)
    return popup


def extension_trial(
    session: Session, server: FakeLinkedIn, chosen: list[Setting], ends: str = "kept"
) -> dict[str, Any] | None:
    """One click on "Opt out now" in Chromium; None when the popup never showed the run's end
    in time. `ends`: "kept", or "not-kept" (LinkedIn does not keep the saves)."""
    server.reset(NOT_KEPT if ends == "not-kept" else Scenario())
    _fresh_state(session, chosen)
    popup = _open_ready_popup(session, len(chosen))
    try:
        popup.click("#opt-out-now")
        try:
            popup.wait_for_function(READ_TRACE, timeout=PAGE_LIMIT_S * len(chosen) * 1000)
        except PlaywrightTimeout:
            return None
        trace = popup.evaluate(READ_TRACE)
    finally:
        popup.close()
    return trial_result(trace, session.in_background(READ_HISTORY), server, chosen, ends)


def firefox_trial(
    session: FirefoxSession, server: FakeLinkedIn, chosen: list[Setting], ends: str = "kept"
) -> dict[str, Any] | None:
    """The same click in Firefox, timed the same way inside the popup."""
    server.reset(NOT_KEPT if ends == "not-kept" else Scenario())
    session.reset()  # every tab closed but the driver's own, storage cleared
    session.extension(CHOOSE, [setting.rule for setting in chosen])
    popup = session.open_popup()
    try:
        if not popup.wait_until(POPUP_READY, len(chosen), timeout=POPUP_READY_S):
            return None
        popup.evaluate(ARM_POPUP)
        popup.click("#opt-out-now")
        trace = popup.wait_until(READ_TRACE, timeout=PAGE_LIMIT_S * len(chosen))
    finally:
        popup.close()
    if trace is None:
        return None
    return trial_result(trace, session.extension(HISTORY), server, chosen, ends)


def reference_trial(
    session: Session, server: FakeLinkedIn, chosen: list[Setting]
) -> dict[str, Any] | None:
    """The reference's pages loaded in turn in one tab, each until the server has answered its
    "off" save; None when a page saw no save in time (the reference gave up)."""
    server.reset(Scenario())
    page = session.new_page()
    try:
        started = time.perf_counter()
        for count, setting in enumerate(chosen, start=1):
            page.goto(setting.url, wait_until="commit")
            try:
                server.wait_for_saves(count, timeout=PAGE_LIMIT_S)
            except TimeoutError:
                return None
        elapsed_ms = (time.perf_counter() - started) * 1000
    finally:
        page.close()
    return {"ms": elapsed_ms, "all_off": all_off(server, chosen)}
