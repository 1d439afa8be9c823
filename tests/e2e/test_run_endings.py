"""How a run ends when the setting's page does not answer as a settings page does, in Chromium
and Firefox: a setting's address LinkedIn sends elsewhere is a failure to check (never "not
offered", never an endless "Opening…"), and Cancel stops Opt out now and a sweep at once."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from harness.fake_linkedin import HOST, SETTING_PATH, FakeLinkedIn
from harness.session import (
    Session,
    Tab,
    set_storage,
    storage,
    text,
    wait_for_history,
    wait_for_text,
)

RULE = "ai-training"
TITLE, DETAIL, PROGRESS = "#status-title", "#status-detail", "#progress"
NOT_CHECKED = "Could not check it"
REDIRECTED = (
    "LinkedIn showed another page instead of this setting's, so it could not be checked. "
    "Open the setting yourself to see whether your account has it."
)
CANCELLED = "Cancelled: nothing more was clicked. What was saved before is in the record."
PARTNERS = "/mypreferences/s/settings/share-data-with-trusted-partners"
SLOW = 30


def loads_of(linkedin: FakeLinkedIn, path: str) -> int:
    """How many times a browser asked the server for the page at `path`."""
    return sum(
        1
        for host, method, target in linkedin.requests()
        if host.split(":")[0] == HOST and method == "GET" and urlsplit(target).path == path
    )


def opt_out_now(browser: Session, popup: Tab) -> Tab:
    popup.bring_to_front()
    return browser.expect_new_tab(lambda: popup.click("#opt-out-now"))


def cancel_shown(popup: Tab) -> bool:
    return popup.evaluate("() => !document.getElementById('cancel-run').hidden")


@pytest.mark.parametrize("moved_to", ["hub", "feed"])
def test_a_setting_address_sent_elsewhere_is_a_failure_to_check(
    moved_to: str, browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(setting_moved_to=moved_to)
    popup = browser.open_popup()
    tab = opt_out_now(browser, popup)
    wait_for_text(popup, TITLE, NOT_CHECKED, timeout=SLOW)
    assert text(popup, DETAIL) == REDIRECTED
    tab.wait_closed()
    [line] = wait_for_history(browser, 1)
    assert (line["outcome"], line["reason"], line["path"]) == ("failed", "redirected", SETTING_PATH)
    assert linkedin.saves() == []
    assert "not offered" not in popup.evaluate("() => document.body.innerText").lower()
    assert cancel_shown(popup) is False, "no run goes on"


def test_cancel_stops_opt_out_now_at_once_and_clicks_nothing(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    # The page renders its switch only after a while: the run is still looking when cancelled.
    linkedin.reset(render_delay_ms=8000)
    popup = browser.open_popup()
    assert cancel_shown(popup) is False
    tab = opt_out_now(browser, popup)
    assert popup.wait_until("() => !document.getElementById('cancel-run').hidden")
    popup.click("#cancel-run")
    wait_for_text(popup, PROGRESS, CANCELLED, timeout=SLOW)
    tab.wait_closed()
    assert cancel_shown(popup) is False
    assert popup.evaluate("() => document.getElementById('opt-out-now').disabled") is False
    [line] = wait_for_history(browser, 1)
    assert (line["outcome"], line["reason"]) == ("failed", "cancelled")
    assert storage(browser)["lastSweep"]["ended"] == "cancelled"
    assert linkedin.saves() == [] and linkedin.value() is True, "nothing was switched"
    record = popup.evaluate("() => document.querySelector('#record-list li').textContent")
    assert record.endswith("not checked: cancelled")


def test_cancel_stops_a_sweep_before_its_next_setting(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(render_delay_ms=8000)
    set_storage(browser, {"chosen": [RULE, "share-with-partners"]})
    popup = browser.open_popup()
    tab = opt_out_now(browser, popup)
    assert popup.wait_until("() => !document.getElementById('cancel-run').hidden")
    popup.click("#cancel-run")
    wait_for_text(popup, PROGRESS, CANCELLED, timeout=SLOW)
    tab.wait_closed()
    assert loads_of(linkedin, PARTNERS) == 0, "the sweep's next setting is never opened"
    assert linkedin.saves() == []
    assert [e.get("reason") for e in wait_for_history(browser, 1)] == ["cancelled"]
