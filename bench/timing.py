"""Time to off: from the switch's appearance (and from navigation start) to the "off" save,
read from the performance marks the fixture records; the fake server's record of the save
says when to read them."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.browser import Session
from harness.fake_linkedin import AI_KEY, SETTING_URL, FakeLinkedIn, Scenario

SWITCH_RENDERED = "fixture:switch-rendered"
SAVE_SENT = "fixture:save-sent"
SAVE_DONE = "fixture:save-done"
REFERENCE_GAVE_UP = "reference:gave-up"

READ_MARKS = """() => performance.getEntriesByType("mark")
  .map((entry) => ({ name: entry.name, at: entry.startTime, detail: entry.detail }))"""
HAS_MARK = "(names) => names.some((name) => performance.getEntriesByName(name).length > 0)"

# How long past the switch's appearance a contender may take before the run counts as failed.
SLACK_S = 10
# Longer than the extension's own overall limit (20 s), for the switch rendered 8 s late.
LATE_TIMEOUT_S = 30


@dataclass
class Trial:
    """One page load in which the switch went off; milliseconds from the page's time origin."""

    appeared: float
    save_sent: float
    save_done: float | None

    @property
    def appear_to_sent(self) -> float:
        return self.save_sent - self.appeared

    @property
    def appear_to_done(self) -> float | None:
        return None if self.save_done is None else self.save_done - self.appeared


def _first(marks: list[dict[str, Any]], name: str, off_save: bool = False) -> float | None:
    for mark in marks:
        if mark["name"] != name:
            continue
        detail = mark.get("detail") or {}
        if off_save and (detail.get("key") != AI_KEY or detail.get("value") is not False):
            continue
        return mark["at"]
    return None


def trial_from_marks(marks: list[dict[str, Any]]) -> Trial | None:
    appeared = _first(marks, SWITCH_RENDERED)
    sent = _first(marks, SAVE_SENT, off_save=True)
    if appeared is None or sent is None:
        return None
    return Trial(appeared, sent, _first(marks, SAVE_DONE, off_save=True))


def wait_for_mark(page: Page, names: list[str], timeout_s: float) -> bool:
    try:
        page.wait_for_function(HAS_MARK, arg=names, timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        return False
    return True


def time_to_off(session: Session, server: FakeLinkedIn, scenario: Scenario) -> Trial | None:
    """One visit of the setting page; None when no "off" save reached the server in time."""
    server.reset(scenario)
    timeout_s = (scenario.render_delay_ms or 0) / 1000 + SLACK_S
    page = session.new_page()
    try:
        page.goto(SETTING_URL)
        try:
            server.wait_for_saves(1, timeout=timeout_s)
        except TimeoutError:
            return None
        wait_for_mark(page, [SAVE_DONE], SLACK_S)
        return trial_from_marks(page.evaluate(READ_MARKS))
    finally:
        page.close()


def late_switch(
    sessions: dict[str, Session], server: FakeLinkedIn, scenario: Scenario
) -> dict[str, dict[str, Any]]:
    """Whether each contender still switches off a switch that appears late. Both run at once,
    each in its own browser on its own page: a contender either sends the "off" save or (the
    polling reference) gives up; the switch must have appeared either way. Not a timing."""
    server.reset(scenario)
    pages = {name: session.new_page() for name, session in sessions.items()}
    try:
        for page in pages.values():
            page.goto(SETTING_URL)
        outcomes = {name: _late_outcome(page) for name, page in pages.items()}
        sent = sum(outcome["trial"] is not None for outcome in outcomes.values())
        if sent:
            with suppress(TimeoutError):  # what the server has is read below
                server.wait_for_saves(sent, timeout=SLACK_S)
    finally:
        for page in pages.values():
            page.close()
    off_saves = [save for save in server.saves() if save.value is False and save.status == 200]
    return {
        name: {
            "switch_appeared": outcome["appeared"],
            "succeeded": outcome["trial"] is not None and len(off_saves) >= sent,
            "gave_up": outcome["gave_up"],
            "appear_to_sent_ms": (
                round(outcome["trial"].appear_to_sent, 3) if outcome["trial"] else None
            ),
        }
        for name, outcome in outcomes.items()
    }


def _late_outcome(page: Page) -> dict[str, Any]:
    appeared = wait_for_mark(page, [SWITCH_RENDERED], LATE_TIMEOUT_S)
    wait_for_mark(page, [SAVE_SENT, REFERENCE_GAVE_UP], LATE_TIMEOUT_S)
    marks = page.evaluate(READ_MARKS)
    return {
        "appeared": appeared,
        "trial": trial_from_marks(marks),
        "gave_up": _first(marks, REFERENCE_GAVE_UP) is not None,
    }
