"""Every data-use setting page of the fake LinkedIn (fake_linkedin.SETTING_PAGES) behaves like
the AI setting's page, in a real Chromium with no extension loaded."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from harness.fake_linkedin import (
    COOKIE_KEY,
    HOST,
    HUB_URL,
    SETTING_HEADINGS,
    SETTING_NAMES,
    SETTING_PAGES,
    FakeLinkedIn,
    Save,
)

ALERT_TEXT = "Something went wrong. Please try again."
PROMOTIONS_PATH = "/mypreferences/d/settings/linkedin-promotions"
PAGES = sorted(SETTING_PAGES)
ALL_KEYS = [key for keys in SETTING_PAGES.values() for key in keys]


def url(path: str) -> str:
    return f"https://{HOST}{path}"


def switch_for(page: Page, key: str) -> Locator:
    if key == COOKIE_KEY:
        return page.locator(f"#{COOKIE_KEY}")
    return page.locator(f'[role="switch"][aria-labelledby="{key}"]')


def is_on(switch: Locator) -> bool:
    if switch.evaluate("e => e.tagName") == "BUTTON":
        return switch.get_attribute("aria-checked") == "true"
    return switch.is_checked()


def wait_for_saves_done(page: Page, n: int) -> None:
    script = "n => performance.getEntriesByName('fixture:save-done').length === n"
    page.wait_for_function(script, arg=n)


def test_every_key_is_on_at_first(server: FakeLinkedIn) -> None:
    server.reset()
    assert set(ALL_KEYS) == set(SETTING_NAMES)
    assert len(ALL_KEYS) == len(set(ALL_KEYS)), "a key on two pages"
    assert set(SETTING_HEADINGS) == set(SETTING_PAGES)
    assert all(server.value(key) is True for key in ALL_KEYS)
    server.reset(value=False, values={"allowAdsByAge": False})
    off = {key for key in ALL_KEYS if not server.value(key)}
    assert off == {"allowDataForGenerativeAI", "allowAdsByAge"}
    with pytest.raises(ValueError):
        server.reset(values={"noSuchSetting": False})
    server.reset()


@pytest.mark.parametrize("markup", ["modern", "button"])
@pytest.mark.parametrize("path", PAGES)
def test_page_renders_saves_and_persists(
    page: Page, server: FakeLinkedIn, path: str, markup: str
) -> None:
    server.reset(markup=markup)
    keys = SETTING_PAGES[path]
    page.goto(url(path))
    expect(page.locator("main h1")).to_have_text(SETTING_HEADINGS[path])
    expect(page.locator('[role="switch"]')).to_have_count(len(keys))
    for key in keys:
        switch = switch_for(page, key)
        expect(switch).to_have_count(1)
        expect(page.get_by_role("switch", name=SETTING_NAMES[key], exact=True)).to_have_count(1)
        assert is_on(switch) is True
        if key == COOKIE_KEY:
            assert switch.get_attribute("aria-labelledby") is None
            label = page.locator(f'label[for="{COOKIE_KEY}"]')
            expect(label).to_have_text(SETTING_NAMES[key])
        else:
            expect(page.locator(f"#{key}")).to_have_text(SETTING_NAMES[key])
    if markup == "modern":
        assert page.locator('input[type="checkbox"][role="switch"]').count() == len(keys)

    first = keys[0]
    switch_for(page, first).click()
    assert server.wait_for_saves(1) == [Save(first, False, 200, HOST)]
    wait_for_saves_done(page, 1)
    assert is_on(switch_for(page, first)) is False
    assert {key: server.value(key) for key in ALL_KEYS if not server.value(key)} == {first: False}

    page.reload()
    expect(page.locator('[role="switch"]')).to_have_count(len(keys))
    assert is_on(switch_for(page, first)) is False
    assert all(is_on(switch_for(page, key)) for key in keys[1:])
    assert server.all_saves() == [Save(first, False, 200, HOST)]


def test_two_switches_save_each_their_own_key(page: Page, server: FakeLinkedIn) -> None:
    marketing, tips = SETTING_PAGES[PROMOTIONS_PATH]
    page.goto(url(PROMOTIONS_PATH))
    switches = page.locator('main section [role="switch"]')
    expect(switches).to_have_count(2)
    assert page.locator("main section").count() == 1
    switch_for(page, tips).click()
    assert server.wait_for_saves(1) == [Save(tips, False, 200, HOST)]
    wait_for_saves_done(page, 1)
    expect(switch_for(page, tips)).not_to_be_checked()
    expect(switch_for(page, marketing)).to_be_checked()
    assert server.value(marketing) is True
    switch_for(page, marketing).click()
    server.wait_for_saves(2)
    assert server.saves(marketing) == [Save(marketing, False, 200, HOST)]
    assert server.saves(tips) == [Save(tips, False, 200, HOST)]


@pytest.mark.parametrize("path", [PROMOTIONS_PATH, "/mypreferences/d/member-cookies"])
def test_failed_save_reverts_and_shows_an_alert(
    page: Page, server: FakeLinkedIn, path: str
) -> None:
    server.reset(save_failures=-1)
    key = SETTING_PAGES[path][-1]
    page.goto(url(path))
    switch = switch_for(page, key)
    expect(switch).to_be_checked()
    switch.click()
    assert server.wait_for_saves(1) == [Save(key, False, 500, HOST)]
    expect(page.get_by_role("alert")).to_have_text(re.compile(ALERT_TEXT))
    expect(switch).to_be_checked()
    assert server.value(key) is True


def test_busy_while_a_slow_save_is_pending(page: Page, server: FakeLinkedIn) -> None:
    server.reset(busy_while_saving=True, save_delay_ms=600)
    path = "/mypreferences/d/settings/share-data-with-select-partners"
    page.goto(url(path))
    switch = switch_for(page, SETTING_PAGES[path][0])
    switch.click()
    expect(switch).to_have_attribute("aria-busy", "true")
    expect(switch).to_be_disabled()
    server.wait_for_saves(1)
    expect(switch).not_to_have_attribute("aria-busy", "true")
    expect(switch).to_be_enabled()
    expect(switch).not_to_be_checked()


def test_initial_values_come_from_the_scenario(page: Page, server: FakeLinkedIn) -> None:
    server.reset(values={"allowIpToPersonalizeAds": False})
    page.goto(url("/mypreferences/d/settings/ads-inferred-location"))
    expect(switch_for(page, "allowIpToPersonalizeAds")).not_to_be_checked()


def test_decoy_on_another_page_saves_its_own_key(page: Page, server: FakeLinkedIn) -> None:
    server.reset(decoy=True)
    path = "/mypreferences/d/settings/policy-and-academic-research"
    [key] = SETTING_PAGES[path]
    page.goto(url(path))
    switches = page.locator('[role="switch"]')
    expect(switches).to_have_count(2)
    assert switches.first.get_attribute("aria-labelledby") != key
    switch_for(page, key).click()
    assert server.wait_for_saves(1) == [Save(key, False, 200, HOST)]


def test_signed_out_visit_is_redirected(page: Page, server: FakeLinkedIn) -> None:
    server.reset(signed_in=False)
    page.goto(url("/mypreferences/d/member-cookies"))
    assert page.url.startswith(url("/uas/login?session_redirect="))
    assert page.locator('[role="switch"]').count() == 0


def test_hub_rows_navigate_inside_the_app(page: Page, server: FakeLinkedIn) -> None:
    page.goto(HUB_URL)
    for path, heading in SETTING_HEADINGS.items():
        expect(page.locator(f'main a[href="{path}"]')).to_contain_text(heading)
    page.evaluate("window.sameDocument = true")
    page.locator('main a[href="/mypreferences/d/member-cookies"]').click()
    expect(page.locator(f"#{COOKIE_KEY}")).to_be_checked()
    assert page.url == url("/mypreferences/d/member-cookies")
    assert page.evaluate("window.sameDocument") is True
    page.locator(f"#{COOKIE_KEY}").click()
    server.wait_for_saves(1)
    page.go_back()
    expect(page.locator('main a[href="/mypreferences/d/member-cookies"]')).to_contain_text("Off")
    assert page.evaluate("window.sameDocument") is True
