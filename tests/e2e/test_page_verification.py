"""Verification on the member's own tab, in Chromium and Firefox: a verified "off" that the
page takes back later becomes a failure in place, and the member's own actions on the
setting (however early, or on the page's "Undo") stop every further click.

Each test asserts what a member or LinkedIn notices: the saves the server received, the
switch's final state, the stored result, the record's lines and the badge."""

from __future__ import annotations

import pytest

from harness.fake_linkedin import SETTING_URL, FakeLinkedIn
from harness.session import (
    Session,
    storage,
    switch_states,
    wait_for_badge,
    wait_for_history,
    wait_for_outcome,
)

RULE = "ai-training"
SWITCH = '[role="switch"]'
UNDO = "button.artdeco-toast-item__cta"
# How long a test waits for a click that must not come: longer than the settle (1.5 s),
# after which the extension's retry would click.
NO_CLICK_WAIT_S = 3
SWITCH_READS_OFF = "(s) => document.querySelector(s)?.checked === false"


@pytest.fixture
def browser(shipped_settle_browser: Session) -> Session:
    """The shipped settle's build: the member acts during it, and a click that must not come
    is waited for longer than it (harness/rules.py)."""
    return shipped_settle_browser


def saves(linkedin: FakeLinkedIn) -> list[tuple[bool, int]]:
    return [(save.value, save.status) for save in linkedin.saves()]


def test_save_failing_after_the_settle_turns_the_verified_off_into_a_failure(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    # An optimistic flip without a busy marker; LinkedIn answers the save after 3 s, with an
    # error: the switch flips back on and an error toast shows.
    linkedin.reset(save_failures=1, save_delay_ms=3000)
    tab = browser.open(SETTING_URL)

    verified = wait_for_outcome(browser, RULE, "turned-off")
    assert verified["proof"] == "page"
    failed = wait_for_outcome(browser, RULE, "failed")
    assert failed["reason"] in ("save-error", "reverted"), failed
    assert failed["visit"] == verified["visit"]
    assert "proof" not in failed
    assert wait_for_badge(browser, "×") == "×"

    assert tab.wait_until(SWITCH_READS_OFF, SWITCH, timeout=NO_CLICK_WAIT_S) is None
    assert switch_states(tab) == ["on"]
    assert saves(linkedin) == [(False, 500)]
    history = storage(browser)["history"]
    assert [(entry["outcome"], entry.get("reason")) for entry in history] == [
        ("failed", failed["reason"])
    ], "the correction replaces the visit's line: one line, not two contradictory ones"


def test_member_click_right_after_load_is_their_choice(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    # The setting is off; the member switches it on at once. The extension must not switch
    # it off again against that click.
    linkedin.reset(value=False)
    tab = browser.open(SETTING_URL)
    tab.click(SWITCH)

    latest = wait_for_outcome(browser, RULE, "on")
    assert (latest["outcome"], latest["reason"]) == ("on", "changed-by-member")
    assert tab.wait_until(SWITCH_READS_OFF, SWITCH, timeout=NO_CLICK_WAIT_S) is None
    assert switch_states(tab) == ["on"]
    assert saves(linkedin) == [(True, 200)]
    assert linkedin.value() is True
    assert wait_for_badge(browser, "!") == "!"
    assert all(entry["outcome"] != "turned-off" for entry in wait_for_history(browser, 1))


def test_undo_in_the_saved_toast_is_the_members_choice(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(undo_toast=True)
    tab = browser.open(SETTING_URL)
    linkedin.wait_for_saves(1)
    assert tab.wait_until("(s) => document.querySelector(s) !== null", UNDO)
    tab.click(UNDO)  # the member, during the extension's settle

    latest = wait_for_outcome(browser, RULE, "on")
    assert (latest["outcome"], latest["reason"]) == ("on", "changed-by-member")
    assert tab.wait_until(SWITCH_READS_OFF, SWITCH, timeout=NO_CLICK_WAIT_S) is None
    assert switch_states(tab) == ["on"]
    assert saves(linkedin) == [(False, 200), (True, 200)]
    assert linkedin.value() is True
    assert wait_for_badge(browser, "!") == "!"
