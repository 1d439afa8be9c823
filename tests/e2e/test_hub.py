"""The privacy hub, in Chromium and Firefox: a data-use setting LinkedIn lists in the section
"How LinkedIn uses your data" that no rule knows is named in the popup, with a link that opens
it; nothing is clicked on it; the rows the rules know are not reported. "Opt out now" opens
each chosen setting's page directly (background/runs.js) and never passes the hub, so a visit
to the hub (a page load, and single-page navigation inside the settings app) is what is
tested."""

from __future__ import annotations

import time

import pytest

from harness.fake_linkedin import (
    HUB_PATH,
    HUB_URL,
    NEW_SETTING_KEY,
    NEW_SETTING_NAME,
    NEW_SETTING_PATH,
    FakeLinkedIn,
)
from harness.session import Session, describe, storage, switch_states, wait_for_stored

NEW_ROW = {"hub": HUB_PATH, "path": NEW_SETTING_PATH, "text": NEW_SETTING_NAME}
NOTICE = f"LinkedIn lists a data-use setting this extension does not know yet: “{NEW_SETTING_NAME}”"
NEW_SETTING_URL = f"https://www.linkedin.com{NEW_SETTING_PATH}"
NOTICES = """() => [...document.querySelectorAll('#hub-news li')].map((item) => ({
  text: item.querySelector('span').textContent, link: item.querySelector('a').href,
  linkText: item.querySelector('a').textContent,
  hidden: document.getElementById('hub-news').hidden }))"""
# The new setting's page has one switch (labelled by its key on the Ember pages, by a generated
# id on the new front end).
NEW_SWITCH = 'main [role="switch"]'


@pytest.mark.both_stacks
def test_a_setting_no_rule_knows_is_named_with_a_link_and_left_alone(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(new_setting=True)
    hub = browser.open(HUB_URL)
    assert hub.wait_until(f"() => !!document.querySelector('main a[href=\"{NEW_SETTING_PATH}\"]')")
    stored = wait_for_stored(browser, "hubUnknown", [NEW_ROW])
    assert stored == [NEW_ROW], "only the new row: the rows the rules know are not reported"

    popup = browser.open_popup()
    assert popup.wait_until("() => document.querySelectorAll('#hub-news li').length === 1")
    [notice] = popup.evaluate(NOTICES)
    assert notice == {
        "text": NOTICE,
        "link": NEW_SETTING_URL,
        "linkText": "Open it on LinkedIn",
        "hidden": False,
    }
    violations = popup.axe_violations()
    assert violations == [], describe(violations)
    setting = browser.expect_new_tab(lambda: popup.click("#hub-news a"))
    deadline = time.monotonic() + 20  # the new tab's first page (about:blank) goes first
    while setting.url != NEW_SETTING_URL and time.monotonic() < deadline:
        time.sleep(0.05)
    assert setting.url == NEW_SETTING_URL
    assert setting.wait_until("(s) => !!document.querySelector(s)", NEW_SWITCH)
    assert setting.url == NEW_SETTING_URL
    assert browser.content_script_injected(setting)
    assert switch_states(setting) == ["on"]
    assert linkedin.all_saves() == [], "nothing clicked on the hub nor on the unknown setting"
    assert linkedin.value(NEW_SETTING_KEY) is True


def test_hub_reached_inside_the_app_and_a_row_gone_is_no_longer_shown(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(new_setting=True)
    tab = browser.open("https://www.linkedin.com/mypreferences/d/categories/account")
    assert tab.wait_until("() => !!document.querySelector('main h1')")
    tab.evaluate("() => { document.documentElement.dataset.sameDocument = 'yes'; }")
    tab.click(f'nav a[href="{HUB_PATH}"]')
    assert wait_for_stored(browser, "hubUnknown", [NEW_ROW]) == [NEW_ROW]
    same = tab.evaluate("() => document.documentElement.dataset.sameDocument")
    assert same == "yes", "reached by single-page navigation, no page load"

    linkedin.reset(new_setting=False)  # LinkedIn no longer lists it
    tab.reload()
    assert wait_for_stored(browser, "hubUnknown", []) == []
    popup = browser.open_popup()
    assert popup.wait_until("() => document.getElementById('hub-news').hidden === true")
    assert popup.evaluate(NOTICES) == []
    assert storage(browser)["hubUnknown"] == []
    assert linkedin.all_saves() == []
