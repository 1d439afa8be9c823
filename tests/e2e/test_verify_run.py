"""What "verified" means, in Chromium and Firefox: "Opt out now" reads the setting again on a
fresh load of its page in the tab it opened, a save LinkedIn answers but does not keep fails
as not-kept, Confirm checks a fresh load in a background tab without clicking, sign-in pages
another website opens leave the record alone, and damaged storage is reset with a notice."""

from __future__ import annotations

import time
from urllib.parse import quote, urlsplit

import pytest

from harness.fake_linkedin import HOST, OTHER_SITE_HOST, SETTING_PATH, SETTING_URL, FakeLinkedIn
from harness.session import (
    Session,
    Tab,
    set_storage,
    storage,
    text,
    wait_for_badge,
    wait_for_history,
    wait_for_text,
)

RULE = "ai-training"
OFF_TITLE = "Off: LinkedIn will not use your data to train its content-creating AI models"
OFF_ON_PAGE_TITLE = "Off as shown on the page (not yet confirmed)"
ON_TITLE = "On: LinkedIn may train AI on your data"
TITLE, DETAIL, TIME, PROGRESS = "#status-title", "#status-detail", "#status-time", "#progress"
CONFIRMED = "Off — confirmed after reloading LinkedIn's page, "
NOT_KEPT = (
    "LinkedIn said it saved the change, but after reloading its page the setting was on again. "
    "Try again later, or switch it off on LinkedIn's page yourself."
)
SLOW = 30  # seconds for a whole run: load, click, quiet, fresh load (twice when not kept)


def page_loads(linkedin: FakeLinkedIn, path: str = SETTING_PATH) -> int:
    """How many times a browser loaded the page at `path` from the server."""
    return sum(
        1
        for host, method, target in linkedin.requests()
        if host.split(":")[0] == HOST and method == "GET" and urlsplit(target).path == path
    )


def saves(linkedin: FakeLinkedIn) -> list[tuple[bool, int]]:
    return [(save.value, save.status) for save in linkedin.saves()]


def wait_for_url(tab: Tab, expected: str, timeout: float = 20) -> None:
    """Wait until the tab shows `expected` (the page itself navigates, so its URL is polled)."""
    deadline = time.monotonic() + timeout
    while tab.url != expected:
        assert time.monotonic() < deadline, f"expected {expected}, the tab shows {tab.url}"
        time.sleep(0.05)


def opt_out_now(browser: Session, popup: Tab) -> Tab:
    popup.bring_to_front()
    return browser.expect_new_tab(lambda: popup.click("#opt-out-now"))


@pytest.mark.both_stacks
def test_opt_out_now_is_verified_after_a_fresh_load_in_its_tab(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    popup = browser.open_popup()
    tab = opt_out_now(browser, popup)
    assert popup.wait_until(
        "([s, start]) => document.querySelector(s).textContent.startsWith(start)",
        [TIME, CONFIRMED],
        timeout=SLOW,
    ), text(popup, TIME)
    assert text(popup, TITLE) == OFF_TITLE
    tab.wait_closed()
    [entry] = wait_for_history(browser, 1)
    assert (entry["outcome"], entry["proof"]) == ("turned-off", "reload")
    assert saves(linkedin) == [(False, 200)]
    assert page_loads(linkedin) == 2, "the run's tab loaded the setting's page, then again"
    assert wait_for_badge(browser, "✓") == "✓"
    record = popup.evaluate("() => document.querySelector('#record-list li').textContent")
    assert record.endswith(" — switched off — confirmed after reloading LinkedIn's page")
    assert popup.evaluate("() => document.getElementById('confirm-row').hidden") is True


@pytest.mark.both_stacks
def test_a_save_linkedin_does_not_keep_fails_as_not_kept_after_two_saves(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(keeps_saves=False)
    popup = browser.open_popup()
    tab = opt_out_now(browser, popup)
    wait_for_text(popup, TITLE, "Could not switch it off", timeout=2 * SLOW)
    assert text(popup, DETAIL) == NOT_KEPT
    tab.wait_closed()
    assert saves(linkedin) == [(False, 200), (False, 200)]
    assert page_loads(linkedin) == 4, "load, fresh load, second try, fresh load"
    assert linkedin.value() is True
    history = wait_for_history(browser, 1)
    assert [(e["outcome"], e.get("reason")) for e in history] == [("failed", "not-kept")]
    assert wait_for_badge(browser, "×") == "×"


def store_page_checked_off(browser: Session) -> None:
    entry = {
        "rule": RULE, "outcome": "turned-off", "path": SETTING_PATH, "clicks": 1,
        "at": "2026-11-29T14:02:00.000Z",
    }  # fmt: skip
    set_storage(browser, {"history": [entry], "latest": {RULE: entry}})


def confirm(browser: Session, popup: Tab) -> Tab:
    assert popup.wait_until("() => !document.getElementById('confirm-row').hidden")
    assert text(popup, "#confirm") == "Confirm"
    popup.bring_to_front()
    return browser.expect_new_tab(lambda: popup.click("#confirm"))


@pytest.mark.both_stacks
def test_confirm_reads_a_fresh_load_in_a_background_tab(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(value=False)
    store_page_checked_off(browser)
    popup = browser.open_popup()
    tab = confirm(browser, popup)
    assert popup.wait_until(
        "([s, start]) => document.querySelector(s).textContent.startsWith(start)",
        [TIME, CONFIRMED],
        timeout=SLOW,
    ), text(popup, TIME)
    tab.wait_closed()
    history = wait_for_history(browser, 2)
    assert [(e["outcome"], e.get("proof")) for e in history] == [
        ("turned-off", None),
        ("already-off", "reload"),
    ]
    assert linkedin.all_saves() == []
    assert page_loads(linkedin) == 1
    assert popup.evaluate("() => document.getElementById('confirm-row').hidden") is True


def test_confirm_never_clicks_and_says_when_linkedin_did_not_keep_it(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    store_page_checked_off(browser)  # the server has the setting on
    popup = browser.open_popup()
    tab = confirm(browser, popup)
    wait_for_text(popup, TITLE, ON_TITLE, timeout=SLOW)
    assert text(popup, DETAIL) == (
        "It was off on the page, but after reloading LinkedIn's page it is on: "
        "LinkedIn did not keep the change."
    )
    tab.wait_closed()
    assert linkedin.all_saves() == []
    assert linkedin.value() is True
    assert wait_for_badge(browser, "!") == "!"


def test_sign_in_pages_another_site_opens_do_not_touch_the_record(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    popup = browser.open_popup()
    tab = opt_out_now(browser, popup)
    tab.wait_closed()
    [first] = wait_for_history(browser, 1)
    assert first["outcome"] == "turned-off"
    assert wait_for_badge(browser, "✓") == "✓"

    linkedin.reset(value=False, signed_in=False)
    page = browser.open(f"https://{OTHER_SITE_HOST}/")
    for n in range(60):
        back = quote(f"{SETTING_URL}?n={n}", safe="")
        sign_in = f"https://{HOST}/uas/login?session_redirect={back}"
        page.goto(f"https://{OTHER_SITE_HOST}/article?to={quote(sign_in, safe='')}")
        wait_for_url(page, sign_in)
    # A visit of the setting's page after them: its result is the next line of the record.
    linkedin.reset(value=False)
    page.goto(SETTING_URL)
    history = wait_for_history(browser, 2)
    assert [e["outcome"] for e in history] == ["turned-off", "already-off"]
    assert wait_for_badge(browser, "…") == "…", "the member's visit: off as the page showed it"
    assert all(e["outcome"] != "signed-out" for e in storage(browser)["history"])


DAMAGED = {"history": {"0": "turned-off"}, "latest": "off", "automatic": "yes", "chosen": 5}


def test_damaged_storage_is_reset_with_a_notice_and_later_results_are_stored(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    set_storage(browser, DAMAGED)
    popup = browser.open_popup()
    assert popup.wait_until("() => !document.getElementById('repaired').hidden"), "no notice"
    assert text(popup, "#repaired-text") == "Your record was damaged and has been reset."
    wait_for_text(popup, TITLE, "Not checked yet")
    assert popup.evaluate("() => document.getElementById('automatic').checked") is True

    browser.open(SETTING_URL)
    [entry] = wait_for_history(browser, 1)
    assert entry["outcome"] == "turned-off"
    wait_for_text(popup, TITLE, OFF_ON_PAGE_TITLE)
    assert popup.evaluate("() => document.querySelectorAll('#record-list li').length") == 1
    assert saves(linkedin) == [(False, 200)]

    assert popup.evaluate("() => document.getElementById('repaired').hidden") is False
    popup.click("#repaired-ok")
    assert popup.wait_until("() => document.getElementById('repaired').hidden")
    again = browser.open_popup()
    wait_for_text(again, TITLE, OFF_ON_PAGE_TITLE)
    assert again.evaluate("() => document.getElementById('repaired').hidden") is True, "said once"


def test_closing_the_run_tab_ends_the_run_as_interrupted(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(busy_while_saving=True, save_delay_ms=3000)
    popup = browser.open_popup()
    tab = opt_out_now(browser, popup)
    wait_for_text(popup, PROGRESS, "Switching off…", timeout=SLOW)
    linkedin.wait_for_saves(1)
    tab.close()
    wait_for_text(
        popup, PROGRESS, "Stopped: the tab was closed. What LinkedIn saved before is in the record."
    )
    assert popup.evaluate("() => document.getElementById('opt-out-now').disabled") is False
    assert linkedin.value() is False
    assert storage(browser)["lastSweep"]["ended"] == "interrupted"
