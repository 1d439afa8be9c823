"""The popup in Chromium: states from stored results, "Opt out now" end to end, the automatic
switch, the record and its copy, the badge, accessibility and screenshots."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Playwright, expect

from tests.chromium import ChromiumSession
from tests.fake_linkedin import SETTING_PATH, SETTING_URL, FakeLinkedIn

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
RULE = "ai-training"

OFF_TITLE = "Off: LinkedIn may not train AI on your data"
ON_TITLE = "On: LinkedIn may train AI on your data"
CHECK, NEEDS_ACTION, FAILED = "✓", "!", "×"


def result(outcome: str, **extra) -> dict:
    return {"rule": RULE, "outcome": outcome, "path": SETTING_PATH, **extra}


# state -> (stored result or None, title, detail, badge text)
STATES = {
    "unknown": (None, "Not checked yet", "Click “Opt out now”, or open the setting", ""),
    "turned-off": (result("turned-off", clicks=1), OFF_TITLE, "", CHECK),
    "already-off": (result("already-off", clicks=0), OFF_TITLE, "", CHECK),
    "on-automatic-off": (
        result("on", reason="automatic-off"),
        ON_TITLE,
        "Automatic opt-out is off.",
        NEEDS_ACTION,
    ),
    "on-by-member": (
        result("on", reason="changed-by-member"),
        ON_TITLE,
        "You switched it on yourself",
        NEEDS_ACTION,
    ),
    "signed-out": (
        result("signed-out"),
        "Signed out of LinkedIn",
        "Sign in to LinkedIn, then try again.",
        NEEDS_ACTION,
    ),
    "not-offered": (
        result("not-offered"),
        "Not offered for this account",
        "does not show this setting",
        "",
    ),
    "not-found": (
        result("not-found"),
        "Could not find the setting",
        "LinkedIn may have changed its page",
        FAILED,
    ),
    "ambiguous": (
        result("ambiguous", reason="several-switches"),
        "Could not find the setting",
        "more than one possible switch",
        FAILED,
    ),
    "disabled": (result("disabled"), "The setting is locked", "does not let this account", FAILED),
    "failed-save-error": (
        result("failed", reason="save-error", clicks=2),
        "Could not switch it off",
        "LinkedIn did not save the change and showed an error",
        FAILED,
    ),
    "failed-reverted": (
        result("failed", reason="reverted", clicks=2),
        "Could not switch it off",
        "switched it back on",
        FAILED,
    ),
    "failed-timed-out": (
        result("failed", reason="timed-out", clicks=1),
        "Could not switch it off",
        "did not confirm the change in time",
        FAILED,
    ),
}


def assert_accessible(page: Page) -> None:
    report = Axe().run(page)
    assert report.violations_count == 0, report.generate_report()


def status_title(page: Page):
    return page.locator("#status-title")


@pytest.mark.parametrize("state", STATES)
def test_popup_shows_each_state(state: str, chromium: ChromiumSession) -> None:
    stored, title, detail, badge = STATES[state]
    if stored:
        chromium.store_result(stored)
    page = chromium.open_popup()

    expect(status_title(page)).to_have_text(title)
    expect(page.locator("#status-detail")).to_contain_text(detail)
    if stored:
        expect(page.locator("#status-time")).to_have_text(re.compile(r"(Verified|Checked) \w+"))
    assert chromium.badge()["text"] == badge
    expect(page.get_by_role("button", name="Opt out now")).to_be_enabled()
    assert_accessible(page)


def test_popup_width_does_not_jump_between_states(chromium: ChromiumSession) -> None:
    page = chromium.open_popup()
    expect(status_title(page)).to_have_text("Not checked yet")
    before = page.locator("main").bounding_box()
    chromium.store_result(result("failed", reason="save-error", clicks=2))
    expect(status_title(page)).to_have_text("Could not switch it off")
    after = page.locator("main").bounding_box()
    assert (after["width"], after["height"]) == (before["width"], before["height"])


# ---------------------------------------------------------------- "Opt out now"


def wait_closed(tab: Page) -> None:
    if not tab.is_closed():
        tab.wait_for_event("close")


def opt_out_now(chromium: ChromiumSession, popup: Page) -> Page:
    """Click the button; returns the tab the extension opened for the run."""
    popup.bring_to_front()  # the popup's own tab is the active one, not a LinkedIn tab
    with chromium.context.expect_page() as opened:
        popup.get_by_role("button", name="Opt out now").click()
    return opened.value


def test_opt_out_now_switches_off_and_closes_its_tab(
    chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    popup = chromium.open_popup()
    tab = opt_out_now(chromium, popup)

    expect(status_title(popup)).to_have_text(OFF_TITLE, timeout=20_000)
    wait_closed(tab)
    assert [(s.value, s.status) for s in linkedin.saves()] == [(False, 200)]
    [entry] = chromium.wait_for_history(1)
    assert entry["outcome"] == "turned-off"
    assert chromium.badge()["text"] == CHECK
    expect(popup.locator("#record-list li")).to_have_count(1)
    expect(popup.get_by_role("button", name="Opt out now")).to_be_enabled()


def test_opt_out_now_when_already_off_saves_nothing(
    chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(value=False)
    popup = chromium.open_popup()
    tab = opt_out_now(chromium, popup)
    expect(status_title(popup)).to_have_text(OFF_TITLE, timeout=20_000)
    wait_closed(tab)
    assert linkedin.all_saves() == []
    assert chromium.wait_for_history(1)[0]["outcome"] == "already-off"


def test_opt_out_now_signed_out_leaves_the_tab_open(
    chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(signed_in=False)
    popup = chromium.open_popup()
    tab = opt_out_now(chromium, popup)
    expect(status_title(popup)).to_have_text("Signed out of LinkedIn", timeout=20_000)
    expect(popup.locator("#status-detail")).to_have_text("Sign in to LinkedIn, then try again.")
    assert not tab.is_closed()
    assert tab.url.startswith("https://www.linkedin.com/uas/login?session_redirect=")
    assert linkedin.all_saves() == []
    assert chromium.badge()["text"] == NEEDS_ACTION


def test_opt_out_now_failure_shows_the_reason(
    chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(save_failures=-1)
    popup = chromium.open_popup()
    tab = opt_out_now(chromium, popup)
    expect(status_title(popup)).to_have_text("Could not switch it off", timeout=20_000)
    expect(popup.locator("#status-detail")).to_have_text(
        "LinkedIn did not save the change and showed an error. Try again in a few minutes."
    )
    wait_closed(tab)
    assert [(s.value, s.status) for s in linkedin.saves()] == [(False, 500), (False, 500)]
    assert chromium.badge()["text"] == FAILED


def test_progress_is_shown_and_a_second_click_starts_nothing(
    chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(busy_while_saving=True, save_delay_ms=3000)
    popup = chromium.open_popup()
    button = popup.get_by_role("button", name="Opt out now")
    tab = opt_out_now(chromium, popup)
    expect(popup.locator("#progress")).to_have_text("Switching off…", timeout=10_000)
    expect(button).to_be_disabled()
    again = popup.evaluate("chrome.runtime.sendMessage({ type: 'opt-out-now', tabId: null })")
    assert again == {"started": False}

    expect(status_title(popup)).to_have_text(OFF_TITLE, timeout=20_000)
    wait_closed(tab)
    expect(popup.locator("#progress")).to_have_text("")
    assert len(linkedin.saves()) == 1
    assert len(chromium.context.pages) == 2  # about:blank and the popup: no second run's tab


def test_run_survives_the_popup_closing(chromium: ChromiumSession, linkedin: FakeLinkedIn) -> None:
    popup = chromium.open_popup()
    tab = opt_out_now(chromium, popup)
    popup.close()
    [entry] = chromium.wait_for_history(1)
    assert entry["outcome"] == "turned-off"
    wait_closed(tab)
    assert chromium.badge()["text"] == CHECK
    assert [(s.value, s.status) for s in linkedin.saves()] == [(False, 200)]


def test_opt_out_now_uses_the_settings_tab_already_open(
    chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    chromium.set_storage({"automatic": False})
    page = chromium.open(SETTING_URL)
    assert chromium.wait_for_history(1)[0]["outcome"] == "on"
    tab_id = chromium.worker.evaluate(
        "async (url) => (await chrome.tabs.query({ url: url + '*' }))[0].id", SETTING_URL
    )
    popup = chromium.open_popup()
    pages_before = len(chromium.context.pages)
    popup.evaluate("(id) => chrome.runtime.sendMessage({ type: 'opt-out-now', tabId: id })", tab_id)

    expect(status_title(popup)).to_have_text(OFF_TITLE, timeout=20_000)
    assert chromium.wait_for_history(2)[1]["outcome"] == "turned-off"
    assert not page.is_closed(), "the member's own tab stays open"
    assert len(chromium.context.pages) == pages_before
    assert [(s.value, s.status) for s in linkedin.saves()] == [(False, 200)]


# ---------------------------------------------------------------- automatic switch


def test_automatic_switch_off_makes_visits_read_only(
    chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    popup = chromium.open_popup()
    automatic = popup.get_by_role("switch", name="Opt out automatically when I visit LinkedIn")
    expect(automatic).to_be_checked()
    automatic.click()
    expect(automatic).not_to_be_checked()
    assert chromium.storage()["automatic"] is False

    chromium.open(SETTING_URL)
    [entry] = chromium.wait_for_history(1)
    assert (entry["outcome"], entry["reason"]) == ("on", "automatic-off")
    assert linkedin.all_saves() == []
    expect(status_title(popup)).to_have_text(ON_TITLE)
    assert chromium.badge()["text"] == NEEDS_ACTION

    # "Opt out now" still works: the member asked for it.
    tab = opt_out_now(chromium, popup)
    expect(status_title(popup)).to_have_text(OFF_TITLE, timeout=20_000)
    wait_closed(tab)
    assert [(s.value, s.status) for s in linkedin.saves()] == [(False, 200)]


# ---------------------------------------------------------------- record


RECORD = [
    {**result("turned-off", clicks=1), "at": "2026-11-29T14:02:00.000Z"},
    {**result("already-off", clicks=0), "at": "2026-11-30T09:15:00.000Z"},
    {**result("turned-off", clicks=1), "at": "2026-12-03T18:40:00.000Z"},
    {**result("signed-out"), "at": "2026-12-04T07:05:00.000Z"},
]
RECORD_LINES = [
    "Nov 29, 2026, 14:02 — switched off, verified",
    "Nov 30, 2026, 09:15 — checked: off",
    "Dec 3, 2026, 18:40 — found on again, switched off, verified",
    "Dec 4, 2026, 07:05 — not checked: signed out of LinkedIn",
]


def test_record_lists_entries_in_order_and_copies_them(chromium: ChromiumSession) -> None:
    chromium.set_storage({"history": RECORD, "latest": {RULE: RECORD[-1]}})
    chromium.context.grant_permissions(["clipboard-read", "clipboard-write"])
    popup = chromium.open_popup()
    expect(popup.locator("#record-list li")).to_have_text(RECORD_LINES)

    popup.get_by_role("button", name="Copy the opt-out record").click()
    expect(popup.locator("#copied")).to_have_text("Copied")
    copied = popup.evaluate("navigator.clipboard.readText()")
    header = (
        "Record of LinkedIn's “Data for Generative AI Improvement” setting, "
        "kept by LinkedIn AI Opt-Out in this browser"
    )
    assert copied == "\n".join([header, *RECORD_LINES]) + "\n"


def test_keyboard_reaches_every_control(chromium: ChromiumSession) -> None:
    chromium.set_storage({"history": RECORD, "latest": {RULE: RECORD[-1]}})
    popup = chromium.open_popup()
    expect(popup.locator("#record-list li")).to_have_count(len(RECORD))
    popup.keyboard.press("Tab")
    outline = popup.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "keyboard focus must be visible"
    focused = [popup.evaluate("document.activeElement.id")]
    for _ in range(4):
        popup.keyboard.press("Tab")
        focused.append(popup.evaluate("document.activeElement.id"))
    assert focused == ["opt-out-now", "automatic", "copy-record", "record-list", "open-setting"]
    popup.keyboard.press("Shift+Tab")
    popup.keyboard.press("Shift+Tab")
    popup.keyboard.press("Shift+Tab")
    popup.keyboard.press("Space")  # the automatic switch, by keyboard alone
    expect(popup.locator("#automatic")).not_to_be_checked()


# ---------------------------------------------------------------- screenshots


@pytest.fixture
def german_chromium(
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
        tmp_path / "profile-de",
        linkedin.chromium_args,
        locale="de",
    )
    yield session
    session.close()


def screenshot_popup(session: ChromiumSession, language: str) -> None:
    session.store_result(result("turned-off", clicks=1))
    popup = session.open_popup()
    expect(popup.locator("#record-list li")).to_have_count(1)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        popup.emulate_media(color_scheme=scheme)
        popup.locator("main").screenshot(path=SCREENSHOTS / f"popup-{language}-{scheme}.png")
        assert_accessible(popup)


def test_screenshots_english(chromium: ChromiumSession) -> None:
    screenshot_popup(chromium, "en")
    assert (SCREENSHOTS / "popup-en-dark.png").stat().st_size > 1000


def test_screenshots_german_and_german_text(german_chromium: ChromiumSession) -> None:
    screenshot_popup(german_chromium, "de")
    popup = german_chromium.context.pages[-1]
    expect(popup.locator("html")).to_have_attribute("lang", re.compile("^de"))
    expect(popup.get_by_role("button", name="Jetzt widersprechen")).to_be_visible()
    expect(popup.locator(".setting-name")).to_have_text("Daten zur Verbesserung generativer KI")
