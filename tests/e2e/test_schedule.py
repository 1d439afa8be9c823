"""The scheduled re-check, in Chromium and Firefox, with the real background and real alarms:
the test makes a check due (its stored due time in the past) and fires the background's alarm
by creating it for now from an extension context (Chromium lets an unpacked extension's alarm
fire after 1 s, Firefox has no minimum), so nothing waits for real time. A setting LinkedIn
switched back on is switched off and said so until the popup is opened; a sign-in page ends
the check quietly; with automatic mode off it only reads; a second alarm during a check starts
nothing; checks missed while the browser was closed run once when it starts again."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from harness.chromium import ChromiumSession
from harness.fake_linkedin import HOST, SETTING_PATH, FakeLinkedIn
from harness.firefox import FirefoxSession
from harness.session import (
    Session,
    Tab,
    describe,
    set_storage,
    storage,
    text,
    wait_for_badge,
    wait_for_history,
    wait_for_stored,
    wait_for_text,
)
from tests.e2e.conftest import chromium_build_for

RULE = "ai-training"
SETTING_NAME = "Data for Generative AI Improvement"
OFF_TITLE = "Off: LinkedIn will not use your data to train its content-creating AI models"
ON_TITLE = "On: LinkedIn may train AI on your data"
BADGE_BACK_ON = "A setting was found on again after it had been off; it is off again. Open to see."
SLOW = 30  # seconds for a whole check: load, click, quiet, fresh load
WEEK = timedelta(days=7)
OFF_BEFORE = {
    "rule": RULE, "outcome": "turned-off", "path": SETTING_PATH, "clicks": 1, "proof": "reload",
    "at": "2026-11-01T10:00:00.000Z",
}  # fmt: skip

FIRE_ALARM = "(api) => api.alarms.create('recheck', { when: Date.now() })"
ALARM_TIME = "async (api) => (await api.alarms.get('recheck'))?.scheduledTime ?? null"
RUN = "async (api) => (await api.storage.session.get('run')).run ?? null"
RUN_TAB_ACTIVE = """async (api) => {
  const { run } = await api.storage.session.get('run');
  if (!run) return null;
  return (await api.tabs.get(run.tabId)).active;
}"""


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def due_since(overdue: timedelta, every: str = "week") -> dict:
    """A schedule whose check has been due for `overdue`."""
    return {"every": every, "due": iso(datetime.now(UTC) - overdue), "last": None}


def wait_for(what: str, condition, timeout: float = SLOW) -> Any:
    """The first truthy value of `condition()`, polled until the deadline; fails naming `what`."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.05)
    return value


def page_loads(linkedin: FakeLinkedIn) -> int:
    return sum(
        1
        for host, method, target in linkedin.requests()
        if host.split(":")[0] == HOST and method == "GET" and urlsplit(target).path == SETTING_PATH
    )


def saves(linkedin: FakeLinkedIn) -> list[tuple[bool, int]]:
    return [(save.value, save.status) for save in linkedin.saves()]


def record_lines(popup: Tab) -> list[str]:
    return popup.evaluate(
        "() => [...document.querySelectorAll('#record-list li')].map((li) => li.textContent)"
    )


def check_finished(browser: Session, tabs_before: int, results: int) -> None:
    """The check started (its time is stored as it starts), stored its result (the record then
    holds `results` results: the run is stored a moment after the start time, and a check
    signed out can be over between two looks at it), its run is over and its tab closed: the
    browser shows the tabs it showed before."""
    wait_for("the check starts", lambda: storage(browser)["recheck"]["last"])
    history = wait_for_history(browser, results, timeout=SLOW)
    assert sum(line.get("count", 1) for line in history) >= results, "the check stored no result"
    wait_for("the check ends", lambda: browser.extension(RUN) is None)
    wait_for("the check's tab is closed", lambda: browser.tab_count() == tabs_before)


@pytest.fixture
def quiet(browser: Session) -> Iterator[Session]:
    """The browser with no popup open (Firefox's session keeps its extension page for running
    scripts on the popup: here it shows the options page, which does not count as opened)."""
    if not isinstance(browser, FirefoxSession):
        yield browser
        return
    browser.focus(browser.control)
    browser.client.navigate(browser.popup_url.replace("popup/popup.html", "options/options.html"))
    try:
        yield browser
    finally:
        browser.focus(browser.control)
        browser.client.navigate(browser.popup_url)


@pytest.mark.both_stacks
def test_a_setting_linkedin_switched_back_on_is_switched_off_and_said_until_the_popup_is_opened(
    quiet: Session, linkedin: FakeLinkedIn
) -> None:
    browser = quiet
    set_storage(
        browser,
        {
            "latest": {RULE: OFF_BEFORE},
            "history": [OFF_BEFORE],
            "recheck": due_since(timedelta(minutes=1)),
        },
    )
    tabs_before = browser.tab_count()
    browser.extension(FIRE_ALARM)
    active = wait_for("the check's tab", lambda: browser.extension(RUN_TAB_ACTIVE) is not None)
    assert browser.extension(RUN_TAB_ACTIVE) is False, (
        f"the check's tab is a background tab ({active})"
    )
    check_finished(browser, tabs_before, 2)
    history = storage(browser)["history"]

    found = history[-1]
    assert (found["outcome"], found["proof"], found["check"], found["backOn"]) == (
        "turned-off",
        "reload",
        "scheduled",
        True,
    )
    assert saves(linkedin) == [(False, 200)]
    assert linkedin.value() is False
    assert page_loads(linkedin) == 2, "the check loaded the setting's page, then again to verify"
    assert wait_for_badge(browser, "!") == "!"
    assert browser.extension("(api) => api.action.getTitle({})") == BADGE_BACK_ON
    recheck = storage(browser)["recheck"]
    assert datetime.fromisoformat(recheck["due"]) > datetime.now(UTC) + WEEK - timedelta(minutes=1)

    popup = browser.open_popup()
    notice = (
        f"“{SETTING_NAME}” was found on again after it had been off. A scheduled check switched it"
        " off again ("
    )
    assert popup.wait_until(
        "(start) => document.getElementById('back-on').textContent.startsWith(start)", notice
    ), text(popup, "#back-on")
    wait_for_text(popup, "#status-title", OFF_TITLE)
    assert re.search(
        r" — scheduled check: found on again \(it was off on [^)]*2026[^)]*\);"
        r" switched off — confirmed after reloading LinkedIn's page$",
        record_lines(popup)[-1],
    ), record_lines(popup)[-1]
    violations = popup.axe_violations()
    assert violations == [], describe(violations)
    assert wait_for_badge(browser, "✓") == "✓", (
        "once the popup was opened the badge shows the state"
    )
    assert wait_for_stored(browser, "switchedBackOn", None) is None
    assert popup.evaluate("() => document.getElementById('back-on').hidden") is False, (
        "the open popup keeps saying it"
    )
    again = browser.open_popup()
    wait_for_text(again, "#status-title", OFF_TITLE)
    assert again.evaluate("() => document.getElementById('back-on').hidden") is True, (
        "said until the popup was opened"
    )


def test_signed_out_the_check_is_skipped_recorded_and_no_tab_is_left(
    quiet: Session, linkedin: FakeLinkedIn
) -> None:
    browser = quiet
    linkedin.reset(signed_in=False)
    set_storage(
        browser,
        {
            "latest": {RULE: OFF_BEFORE},
            "history": [OFF_BEFORE],
            "recheck": due_since(timedelta(minutes=1)),
        },
    )
    assert wait_for_badge(browser, "✓") == "✓"
    tabs_before = browser.tab_count()
    browser.extension(FIRE_ALARM)
    check_finished(browser, tabs_before, 2)
    history = storage(browser)["history"]

    assert [(e["outcome"], e.get("check")) for e in history] == [
        ("turned-off", None),
        ("signed-out", "scheduled"),
    ]
    stored = storage(browser)
    assert stored["latest"][RULE] == OFF_BEFORE, "the setting's state is what it was"
    assert linkedin.all_saves() == []
    assert datetime.fromisoformat(stored["recheck"]["due"]) > datetime.now(UTC) + WEEK - timedelta(
        minutes=1
    ), "next period"
    assert wait_for_badge(browser, "✓") == "✓"
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", OFF_TITLE)
    assert record_lines(popup)[-1].endswith(" — scheduled check skipped: signed out of LinkedIn")


def test_with_automatic_mode_off_the_check_only_reads(
    quiet: Session, linkedin: FakeLinkedIn
) -> None:
    browser = quiet
    set_storage(browser, {
        "automatic": False, "latest": {RULE: OFF_BEFORE}, "history": [OFF_BEFORE],
        "recheck": due_since(timedelta(minutes=1)),
    })  # fmt: skip
    tabs_before = browser.tab_count()
    browser.extension(FIRE_ALARM)
    check_finished(browser, tabs_before, 2)
    history = storage(browser)["history"]

    found = history[-1]
    assert (found["outcome"], found["reason"], found["check"], found["backOn"]) == (
        "on",
        "automatic-off",
        "scheduled",
        True,
    )
    assert found.get("clicks", 0) == 0
    assert linkedin.all_saves() == [], "nothing was clicked"
    assert linkedin.value() is True
    assert page_loads(linkedin) == 1
    assert wait_for_badge(browser, "!") == "!"
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", ON_TITLE)
    assert re.search(
        r" — scheduled check: found on again \(it was off on [^)]*2026[^)]*\);"
        r" checked: on \(automatic opt-out is off\)$",
        record_lines(popup)[-1],
    ), record_lines(popup)[-1]
    assert popup.evaluate("() => document.getElementById('back-on').hidden") is True


def test_a_second_alarm_while_a_check_runs_starts_nothing(
    quiet: Session, linkedin: FakeLinkedIn
) -> None:
    browser = quiet
    linkedin.reset(busy_while_saving=True, save_delay_ms=4000)
    set_storage(browser, {"recheck": due_since(timedelta(minutes=1))})
    tabs_before = browser.tab_count()
    browser.extension(FIRE_ALARM)
    wait_for("the check runs", lambda: browser.extension(RUN))
    next_check = datetime.now(UTC) + timedelta(days=1)
    browser.extension(FIRE_ALARM)
    wait_for(
        "the second alarm is handled (the alarm set again for the next period)",
        lambda: (browser.extension(ALARM_TIME) or 0) > next_check.timestamp() * 1000,
    )
    assert browser.extension(RUN) is not None, "the second alarm came while the check ran"
    check_finished(browser, tabs_before, 1)
    [entry] = storage(browser)["history"]

    assert (entry["outcome"], entry["proof"]) == ("turned-off", "reload")
    assert saves(linkedin) == [(False, 200)]
    assert page_loads(linkedin) == 2, "one check: one load and one fresh load"
    assert len(storage(browser)["history"]) == 1


def test_the_options_page_stores_the_choice(browser: Session) -> None:
    options = browser.open_extension_page("options/options.html")
    assert options.wait_until("() => document.getElementById('recheck-never')?.checked"), (
        "never by default"
    )
    legend = options.evaluate("() => document.querySelector('#recheck legend').textContent")
    assert legend == "Check my settings again"
    options.click("#recheck-month")
    stored = wait_for(
        "the choice is stored",
        lambda: (
            storage(browser).get("recheck", {}).get("every") == "month"
            and storage(browser)["recheck"]
        ),
    )
    due = datetime.fromisoformat(stored["due"])
    assert timedelta(days=29) < due - datetime.now(UTC) <= timedelta(days=30)
    assert browser.extension(ALARM_TIME) == pytest.approx(due.timestamp() * 1000, abs=1)
    assert options.wait_until(
        "() => document.querySelector('#recheck .last').textContent.startsWith('Next check: ')"
    )
    violations = options.axe_violations()
    assert violations == [], describe(violations)
    options.click("#recheck-never")
    assert (
        wait_for_stored(browser, "recheck", {"every": "never", "due": None, "last": None})["every"]
        == "never"
    )
    assert browser.extension(ALARM_TIME) is None, "no alarm while the choice is never"


# ------------------------------------------------------------ missed checks at the next start


def start_session(request: pytest.FixtureRequest, name: str, profile: Path) -> Session:
    """A browser of its own on `profile`: started again on the same profile, it keeps the
    extension's storage (Firefox installs its temporary add-on again and is told to keep the
    storage an uninstall would remove)."""
    fake: FakeLinkedIn = request.getfixturevalue("fake_linkedin")
    if name == "chromium":
        return ChromiumSession(
            request.getfixturevalue("playwright"),
            request.getfixturevalue("chromium_executable"),
            chromium_build_for(request, profile),
            profile,
            fake.chromium_args,
        )
    prefs = {**fake.firefox_prefs, "extensions.webextensions.keepStorageOnUninstall": True}
    return FirefoxSession(
        request.getfixturevalue("firefox_executable"),
        request.getfixturevalue("firefox_package"),
        profile,
        prefs,
    )


@pytest.mark.parametrize("name", ["chromium", "firefox"])
def test_checks_missed_while_the_browser_was_closed_run_once_at_the_next_start(
    name: str, request: pytest.FixtureRequest, linkedin: FakeLinkedIn, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    first = start_session(request, name, profile)
    try:
        set_storage(first, {"recheck": due_since(3 * WEEK + timedelta(minutes=1))})
        assert storage(first)["recheck"]["last"] is None
    finally:
        first.close()
    assert page_loads(linkedin) == 0, "nothing ran before the browser closed"

    second = start_session(request, name, profile)
    try:
        recheck = wait_for(
            "the missed check ran", lambda: (r := storage(second)["recheck"])["last"] and r
        )
        wait_for("the check ends", lambda: second.extension(RUN) is None)
        [entry] = storage(second)["history"]
        assert (entry["outcome"], entry["check"]) == ("turned-off", "scheduled")
        assert saves(linkedin) == [(False, 200)]
        assert page_loads(linkedin) == 2, "one check for three missed periods"
        due = datetime.fromisoformat(recheck["due"])
        assert due > datetime.now(UTC) + WEEK - timedelta(minutes=1), (
            "the next one a period from now"
        )
        assert second.extension(ALARM_TIME) == pytest.approx(due.timestamp() * 1000, abs=1)
    finally:
        second.close()
