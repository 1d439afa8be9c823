"""The popup, in Chromium and Firefox: states from stored results, "Opt out now" end to end,
the automatic switch, the record and its copy, the badge, accessibility and screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.fake_linkedin import SETTING_PATH, SETTING_URL, FakeLinkedIn
from harness.session import (
    Session,
    Tab,
    describe,
    set_storage,
    storage,
    text,
    wait_for_badge,
    wait_for_history,
    wait_for_text,
)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
RULE = "ai-training"

OFF_TITLE = "Off: LinkedIn will not use your data to train its content-creating AI models"
OFF_ON_PAGE_TITLE = "Off as shown on the page (not yet confirmed)"
ON_TITLE = "On: LinkedIn may train AI on your data"
CHECK, NEEDS_ACTION, FAILED = "✓", "!", "×"
BUTTON, AUTOMATIC, COPY = "#opt-out-now", "#automatic", "#copy-record"
TITLE, DETAIL, TIME, PROGRESS = "#status-title", "#status-detail", "#status-time", "#progress"
DIAGNOSABLE = {"not-found", "ambiguous", "disabled", "failed"}
SLOW = 20  # seconds for a whole run, page load to verified result


def result(outcome: str, **extra) -> dict:
    return {"rule": RULE, "outcome": outcome, "path": SETTING_PATH, **extra}


def stored(outcome: str, at: str = "2026-11-29T14:02:00.000Z", **extra) -> dict:
    return {**result(outcome, **extra), "at": at}


# state -> (stored result or None, title, start of the detail, badge text)
STATES = {
    "unknown": (None, "Not checked yet", "Click “Opt out now”, or open the setting", ""),
    "turned-off": (stored("turned-off", clicks=1, proof="reload"), OFF_TITLE, "", CHECK),
    "already-off": (stored("already-off", clicks=0, proof="reload"), OFF_TITLE, "", CHECK),
    "on-automatic-off": (
        stored("on", reason="automatic-off"),
        ON_TITLE,
        "Automatic opt-out is off.",
        NEEDS_ACTION,
    ),
    "on-by-member": (
        stored("on", reason="changed-by-member"),
        ON_TITLE,
        "You switched it on yourself",
        NEEDS_ACTION,
    ),
    "signed-out": (
        stored("signed-out"),
        "Signed out of LinkedIn",
        "Sign in to LinkedIn, then try again.",
        NEEDS_ACTION,
    ),
    "not-offered": (
        stored("not-offered"),
        "Not offered for this account",
        "LinkedIn does not show this setting",
        "",
    ),
    "not-found": (
        stored("not-found"),
        "Could not find the setting",
        "LinkedIn may have changed its page",
        FAILED,
    ),
    "ambiguous": (
        stored("ambiguous", reason="several-switches"),
        "Could not find the setting",
        "The page showed more than one possible switch",
        FAILED,
    ),
    "disabled": (
        stored("disabled"),
        "The setting is locked",
        "LinkedIn does not let this account",
        FAILED,
    ),
    "failed-save-error": (
        stored("failed", reason="save-error", clicks=2),
        "Could not switch it off",
        "LinkedIn did not save the change and showed an error",
        FAILED,
    ),
    "failed-reverted": (
        stored("failed", reason="reverted", clicks=2),
        "Could not switch it off",
        "LinkedIn switched it back on",
        FAILED,
    ),
    "failed-timed-out": (
        stored("failed", reason="timed-out", clicks=1),
        "Could not switch it off",
        "LinkedIn did not confirm the change in time",
        FAILED,
    ),
    "off-on-page": (
        stored("turned-off", clicks=1, proof="page"),
        OFF_ON_PAGE_TITLE,
        "LinkedIn's page showed the switch off. Confirm loads the page again",
        "…",
    ),
    "not-checked-no-answer": (
        stored("failed", reason="no-answer"),
        "Could not check it",
        "LinkedIn's page did not answer in time",
        FAILED,
    ),
    "not-checked-redirected": (
        stored("failed", reason="redirected"),
        "Could not check it",
        "LinkedIn showed another page instead of this setting's",
        FAILED,
    ),
    "not-checked-site-access": (
        stored("failed", reason="site-access"),
        "Could not check it",
        "The browser does not let the extension open linkedin.com",
        FAILED,
    ),
}


def store_latest(browser: Session, entry: dict) -> None:
    """What the background stores for a result (the badge follows the stored state)."""
    set_storage(browser, {"history": [entry], "latest": {RULE: entry}})


def assert_accessible(tab: Tab) -> None:
    violations = tab.axe_violations()
    assert violations == [], describe(violations)


def popup_size(tab: Tab) -> list[float]:
    return tab.evaluate(
        "() => { const r = document.querySelector('main').getBoundingClientRect();"
        " return [r.width, r.height]; }"
    )


@pytest.mark.parametrize("state", STATES)
def test_popup_shows_each_state(state: str, browser: Session) -> None:
    entry, title, detail, mark = STATES[state]
    if entry:
        store_latest(browser, entry)
    popup = browser.open_popup()

    wait_for_text(popup, TITLE, title)
    assert text(popup, DETAIL).startswith(detail)
    if entry:
        assert text(popup, TIME) in (
            "Off — confirmed after reloading LinkedIn's page, Nov 29, 2026, 14:02",
            "Checked on the page Nov 29, 2026, 14:02",
            "Checked Nov 29, 2026, 14:02",
        )
    assert browser.extension("(api) => api.action.getBadgeText({})") == mark
    offers_diagnostics = entry is not None and entry["outcome"] in DIAGNOSABLE
    hidden = popup.evaluate("() => document.getElementById('diagnostics').hidden")
    assert hidden is not offers_diagnostics
    assert text(popup, BUTTON) == "Opt out now"
    assert popup.evaluate("(s) => document.querySelector(s).disabled", BUTTON) is False
    assert_accessible(popup)


def title_colour(browser: Session, popup: Tab, state: str) -> str:
    store_latest(browser, STATES[state][0])
    wait_for_text(popup, TITLE, STATES[state][1])
    return popup.evaluate("(s) => getComputedStyle(document.querySelector(s)).color", TITLE)


def test_not_offered_and_a_page_checked_off_are_neutral_not_failures_or_verified(
    browser: Session,
) -> None:
    popup = browser.open_popup()
    failure = title_colour(browser, popup, "not-found")
    verified = title_colour(browser, popup, "turned-off")
    for state in ("not-offered", "off-on-page"):
        assert title_colour(browser, popup, state) not in (failure, verified), state


def test_popup_width_does_not_change_with_the_state(browser: Session) -> None:
    """The width is fixed; the status card takes the height of its own lines (test_objection.py
    measures it)."""
    popup = browser.open_popup()
    wait_for_text(popup, TITLE, "Not checked yet")
    widths = {popup_size(popup)[0]}
    for state, (entry, title, _detail, _mark) in STATES.items():
        if entry:
            store_latest(browser, entry)
            wait_for_text(popup, TITLE, title)
            widths.add(popup_size(popup)[0])
            assert widths == {360}, f"the popup changed width for {state}: {widths}"


# ---------------------------------------------------------------- "Opt out now"


def opt_out_now(browser: Session, popup: Tab) -> Tab:
    """Click the button; returns the tab the extension opened for the run."""
    popup.bring_to_front()  # the popup's own tab is the active one, not a LinkedIn tab
    return browser.expect_new_tab(lambda: popup.click(BUTTON))


def saves(linkedin: FakeLinkedIn) -> list[tuple[bool, int]]:
    return [(save.value, save.status) for save in linkedin.saves()]


def test_opt_out_now_switches_off_and_closes_its_tab(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    popup = browser.open_popup()
    tab = opt_out_now(browser, popup)

    wait_for_text(popup, TITLE, OFF_TITLE, timeout=SLOW)
    tab.wait_closed()
    assert saves(linkedin) == [(False, 200)]
    [entry] = wait_for_history(browser, 1)
    assert entry["outcome"] == "turned-off"
    assert wait_for_badge(browser, CHECK) == CHECK
    assert popup.evaluate("() => document.querySelectorAll('#record-list li').length") == 1
    assert popup.evaluate("(s) => document.querySelector(s).disabled", BUTTON) is False


def test_opt_out_now_when_already_off_saves_nothing(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(value=False)
    popup = browser.open_popup()
    tab = opt_out_now(browser, popup)
    wait_for_text(popup, TITLE, OFF_TITLE, timeout=SLOW)
    tab.wait_closed()
    assert linkedin.all_saves() == []
    assert wait_for_history(browser, 1)[0]["outcome"] == "already-off"


def test_opt_out_now_signed_out_leaves_the_tab_open(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(signed_in=False)
    popup = browser.open_popup()
    tab = opt_out_now(browser, popup)
    wait_for_text(popup, TITLE, "Signed out of LinkedIn", timeout=SLOW)
    assert text(popup, DETAIL) == "Sign in to LinkedIn, then try again."
    assert not tab.is_closed()
    assert tab.url.startswith("https://www.linkedin.com/uas/login?session_redirect=")
    assert linkedin.all_saves() == []
    assert wait_for_badge(browser, NEEDS_ACTION) == NEEDS_ACTION


def test_opt_out_now_failure_shows_the_reason(browser: Session, linkedin: FakeLinkedIn) -> None:
    linkedin.reset(save_failures=-1)
    popup = browser.open_popup()
    tab = opt_out_now(browser, popup)
    wait_for_text(popup, TITLE, "Could not switch it off", timeout=SLOW)
    assert text(popup, DETAIL) == (
        "LinkedIn did not save the change and showed an error. Try again in a few minutes."
    )
    tab.wait_closed()
    assert saves(linkedin) == [(False, 500), (False, 500)]
    assert wait_for_badge(browser, FAILED) == FAILED


def test_progress_is_shown_and_a_second_click_starts_nothing(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(busy_while_saving=True, save_delay_ms=3000)
    popup = browser.open_popup()
    tabs_before = browser.tab_count()
    tab = opt_out_now(browser, popup)
    wait_for_text(popup, PROGRESS, "Switching off…", timeout=10)
    assert popup.evaluate("(s) => document.querySelector(s).disabled", BUTTON) is True
    again = browser.send_message({"type": "opt-out-now"})
    assert again == {"started": False}

    wait_for_text(popup, TITLE, OFF_TITLE, timeout=SLOW)
    tab.wait_closed()
    wait_for_text(popup, PROGRESS, "")
    assert len(linkedin.saves()) == 1
    assert browser.tab_count() == tabs_before, "no second run opened a tab"


def test_run_survives_the_popup_closing(browser: Session, linkedin: FakeLinkedIn) -> None:
    popup = browser.open_popup()
    tab = opt_out_now(browser, popup)
    popup.close()
    [entry] = wait_for_history(browser, 1)
    assert entry["outcome"] == "turned-off"
    tab.wait_closed()
    assert wait_for_badge(browser, CHECK) == CHECK
    assert saves(linkedin) == [(False, 200)]


def test_opt_out_now_uses_the_settings_tab_already_open(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    set_storage(browser, {"automatic": False})
    page = browser.open(SETTING_URL)
    assert wait_for_history(browser, 1)[0]["outcome"] == "on"
    tab_id = browser.extension(
        "async (api, url) => (await api.tabs.query({ url: url + '*' }))[0].id", SETTING_URL
    )
    popup = browser.open_popup()
    tabs_before = browser.tab_count()
    browser.send_message({"type": "opt-out-now", "tabId": tab_id})

    # The member's own tab is never reloaded: the off is as the page showed it.
    wait_for_text(popup, TITLE, OFF_ON_PAGE_TITLE, timeout=SLOW)
    assert popup.evaluate("() => !document.getElementById('confirm-row').hidden"), "Confirm offered"
    assert wait_for_badge(browser, "…") == "…", "neutral, never ✓, until a fresh load"
    assert wait_for_history(browser, 2)[1]["outcome"] == "turned-off"
    assert not page.is_closed(), "the member's own tab stays open"
    assert browser.tab_count() == tabs_before
    assert saves(linkedin) == [(False, 200)]


# ---------------------------------------------------------------- automatic switch


def test_automatic_switch_off_makes_visits_read_only(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    popup = browser.open_popup()
    wait_for_text(popup, TITLE, "Not checked yet")
    label = popup.evaluate("() => document.querySelector('label.automatic').textContent.trim()")
    assert label == "Opt out automatically when I visit LinkedIn settings"
    assert popup.evaluate("(s) => document.querySelector(s).checked", AUTOMATIC) is True
    popup.click(AUTOMATIC)
    assert popup.wait_until("(s) => !document.querySelector(s).checked", AUTOMATIC)
    assert storage(browser)["automatic"] is False

    browser.open(SETTING_URL)
    [entry] = wait_for_history(browser, 1)
    assert (entry["outcome"], entry["reason"]) == ("on", "automatic-off")
    assert linkedin.all_saves() == []
    wait_for_text(popup, TITLE, ON_TITLE)
    assert wait_for_badge(browser, NEEDS_ACTION) == NEEDS_ACTION

    # "Opt out now" still works: the member asked for it.
    tab = opt_out_now(browser, popup)
    wait_for_text(popup, TITLE, OFF_TITLE, timeout=SLOW)
    tab.wait_closed()
    assert saves(linkedin) == [(False, 200)]


# ---------------------------------------------------------------- record


RECORD = [
    stored("turned-off", at="2026-11-29T14:02:00.000Z", clicks=1, proof="reload"),
    stored("already-off", at="2026-11-30T09:15:00.000Z", clicks=0),
    stored("turned-off", at="2026-12-03T18:40:00.000Z", clicks=1, proof="page"),
    stored("signed-out", at="2026-12-04T07:05:00.000Z"),
]
RECORD_LINES = [
    "Nov 29, 2026, 14:02 — switched off — confirmed after reloading LinkedIn's page",
    "Nov 30, 2026, 09:15 — off — checked on the page",
    "Dec 3, 2026, 18:40 — found on again, switched off — checked on the page",
    "Dec 4, 2026, 07:05 — not checked: signed out of LinkedIn",
]
# The record's lines once the popup shows them (null before: an empty list is a true value
# in JavaScript, and wait_until would take it).
RECORD_ITEMS = """() => {
  const items = [...document.querySelectorAll('#record-list li')].map((li) => li.textContent);
  return items.length > 0 ? items : null;
}"""


def test_record_lists_entries_in_order_and_copies_them(browser: Session) -> None:
    set_storage(browser, {"history": RECORD, "latest": {RULE: RECORD[-1]}})
    popup = browser.open_popup()
    assert popup.wait_until(RECORD_ITEMS) == RECORD_LINES

    popup.click(COPY)
    wait_for_text(popup, "#copied", "Copied")
    header = (
        "Record of LinkedIn's “Data for Generative AI Improvement” setting, "
        "kept by LinkedIn AI Opt-Out in this browser"
    )
    covers = (
        "When this setting is off, LinkedIn will not use your data to train its content-creating"
        " AI models. Data already used, and LinkedIn's other AI uses, need an objection through"
        " LinkedIn's form."
    )
    assert browser.read_clipboard() == "\n".join([header, covers, *RECORD_LINES]) + "\n"


def test_keyboard_reaches_every_control(browser: Session) -> None:
    set_storage(browser, {"history": RECORD, "latest": {RULE: RECORD[-1]}})
    popup = browser.open_popup()
    assert popup.wait_until(RECORD_ITEMS)
    popup.bring_to_front()
    popup.press("Tab")
    outline = popup.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "keyboard focus must be visible"
    focused = [popup.evaluate("() => document.activeElement.id")]
    for _ in range(4):
        popup.press("Tab")
        focused.append(popup.evaluate("() => document.activeElement.id"))
    assert focused == ["opt-out-now", "automatic", "copy-record", "record-list", "save-record-file"]
    for _ in range(3):
        popup.press("Shift+Tab")
    popup.press("Space")  # the automatic switch, by keyboard alone
    assert popup.wait_until("(s) => !document.querySelector(s).checked", AUTOMATIC)


# ---------------------------------------------------------------- screenshots


def screenshot_popup(browser: Session, language: str) -> Tab:
    store_latest(browser, stored("turned-off", clicks=1, proof="reload"))
    popup = browser.open_popup()
    assert popup.wait_until("() => document.querySelectorAll('#record-list li').length === 1")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        popup.set_color_scheme(scheme)
        path = SCREENSHOTS / f"popup-{browser.name}-{language}-{scheme}.png"
        popup.screenshot("main", path)
        assert path.stat().st_size > 1000
        assert_accessible(popup)
    popup.set_color_scheme("light")
    return popup


def test_screenshots_english(browser: Session) -> None:
    popup = screenshot_popup(browser, "en")
    assert text(popup, BUTTON) == "Opt out now"


def test_screenshots_german_and_german_text(german_browser: Session) -> None:
    popup = screenshot_popup(german_browser, "de")
    assert popup.evaluate("() => document.documentElement.lang") == "de"
    assert text(popup, BUTTON) == "Jetzt widersprechen"
    assert text(popup, ".setting-name") == "Daten zur Verbesserung generativer KI"
    assert text(popup, TIME) == (
        "Aus – bestätigt nach erneutem Laden der LinkedIn-Seite, 29.11.2026, 14:02"
    )
