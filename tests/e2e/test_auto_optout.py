"""Automatic opt-out: a member opens the setting page and the extension switches it off,
safely and verifiably, against every LinkedIn-like fixture variant, in Chromium and Firefox.

Each test asserts what a member (or LinkedIn) would notice: the saves the server received,
the switch's final state in the page, and the result the extension stored."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from harness.chromium import ChromiumSession
from harness.fake_linkedin import (
    AI_KEY,
    COOKIE_KEY,
    DECOY_KEY,
    HUB_URL,
    LOOKALIKE_HOST,
    SETTING_PAGES,
    SETTING_PATH,
    SETTING_URL,
    FakeLinkedIn,
)
from harness.session import Session, set_storage, storage, switch_states, wait_for_history

RULE = "ai-training"
SETTING_LINK = 'a[href*="data-for-ai-improvement"]'
SWITCH = '[role="switch"]'
# What the fake LinkedIn serves; anything else reaching it was asked for by someone else.
# The page as LinkedIn shows it in 2026 (Back button, On/Off text, footnote, footer, the EU
# cookie banner), and the same after a redesign: every key renamed, every label reworded.
PAGE_2026 = {"layout_2026": True}
REDESIGNED = {"layout_2026": True, "reworded": True}
COOKIE_BANNER = '[aria-label="Cookie consent"]'
COOKIE_CHOICES = "() => performance.getEntriesByName('fixture:cookie-choice').length"
FIXTURE_PATHS = re.compile(
    r"^/(mypreferences/|static/|voyager/api/mypreferences/settings|uas/login|authwall|feed/|in/|"
    r"messaging/|favicon\.ico)"
)


def saves(linkedin: FakeLinkedIn, key: str = AI_KEY) -> list[tuple[bool, int]]:
    return [(save.value, save.status) for save in linkedin.saves(key)]


def assert_recent(result: dict) -> None:
    at = datetime.fromisoformat(result["at"].replace("Z", "+00:00"))
    assert timedelta(0) <= datetime.now(UTC) - at < timedelta(minutes=2)


def assert_no_requests_of_its_own(browser: Session, linkedin: FakeLinkedIn) -> None:
    """The fake LinkedIn saw only what its own pages ask for, and one POST per save."""
    requests = linkedin.requests()
    for host, _method, target in requests:
        assert FIXTURE_PATHS.match(target), f"unexpected request to {host}{target}"
    posts = [target for _host, method, target in requests if method == "POST"]
    assert len(posts) == len(linkedin.all_saves())
    if isinstance(browser, ChromiumSession):
        # Chromium also shows requests to other hosts and from the extension's worker;
        # Firefox has no such record here (it resolves no other host at all).
        for request in browser.requests:
            assert request.service_worker is None, f"the extension requested {request.url}"
            assert urlsplit(request.url).hostname == "www.linkedin.com", request.url


@dataclass
class Variant:
    changes: dict
    outcome: str
    saves: list[tuple[bool, int]]
    final: str | None  # the switch's state in the page at the end; None: no switch rendered
    strategy: str | None = "aria-labelledby"
    reason: str | None = None
    clicks: int | None = None
    url: str = SETTING_URL
    extra: dict = field(default_factory=dict)


OFF_SAVED = [(False, 200)]

VARIANTS = {
    "canonical-on": Variant({}, "turned-off", OFF_SAVED, "off", clicks=1),
    "already-off": Variant({"value": False}, "already-off", [], "off", clicks=0),
    "rendered-3s-late": Variant({"render_delay_ms": 3000}, "turned-off", OFF_SAVED, "off"),
    # A feed-like region changes every few ms (10,000 changes); the switch appears amid them.
    "rendered-on-a-busy-page": Variant(
        {"render_delay_ms": 300, "busy_mutations": 10_000}, "turned-off", OFF_SAVED, "off", clicks=1
    ),
    "artdeco-ember-markup": Variant(
        {"markup": "artdeco"}, "turned-off", OFF_SAVED, "off", strategy="label-text:en"
    ),
    "hashed-class-names": Variant({"markup": "hashed"}, "turned-off", OFF_SAVED, "off"),
    "button-role-switch": Variant({"markup": "button"}, "turned-off", OFF_SAVED, "off"),
    "decoy-switch-first": Variant({"decoy": True}, "turned-off", OFF_SAVED, "off"),
    "german": Variant({"lang": "de"}, "turned-off", OFF_SAVED, "off"),
    "french": Variant({"lang": "fr"}, "turned-off", OFF_SAVED, "off"),
    "dutch": Variant({"lang": "nl"}, "turned-off", OFF_SAVED, "off"),
    "brazilian-portuguese": Variant({"lang": "pt-BR"}, "turned-off", OFF_SAVED, "off"),
    "german-key-renamed": Variant(
        {"lang": "de", "aria_key": "genAiTrainingConsent"},
        "turned-off",
        OFF_SAVED,
        "off",
        strategy="label-text:de",
    ),
    "french-key-renamed": Variant(
        {"lang": "fr", "aria_key": "genAiTrainingConsent", "markup": "button"},
        "turned-off",
        OFF_SAVED,
        "off",
        strategy="label-text:fr",
    ),
    "save-pending-busy": Variant(
        {"busy_while_saving": True, "save_delay_ms": 2500},
        "turned-off",
        OFF_SAVED,
        "off",
        clicks=1,
    ),
    "save-fails-once": Variant(
        {"save_failures": 1}, "turned-off", [(False, 500), (False, 200)], "off", clicks=2
    ),
    "save-always-fails": Variant(
        {"save_failures": -1},
        "failed",
        [(False, 500), (False, 500)],
        "on",
        reason="save-error",
        clicks=2,
    ),
    "element-replaced-after-save": Variant(
        {"replace_after_save": True}, "turned-off", OFF_SAVED, "off", clicks=1
    ),
    "disabled-switch": Variant({"disabled": True}, "disabled", [], "on"),
    "two-matching-switches": Variant(
        {"duplicate": True}, "ambiguous", [], None, reason="several-switches"
    ),
    "trailing-slash-and-query": Variant(
        {}, "turned-off", OFF_SAVED, "off", url=f"{SETTING_URL}/?trk=settings_page"
    ),
    "mobile-path": Variant(
        {},
        "turned-off",
        OFF_SAVED,
        "off",
        url="https://www.linkedin.com/mypreferences/m/settings/data-for-ai-improvement",
    ),
    "2026-page": Variant(PAGE_2026, "turned-off", OFF_SAVED, "off", clicks=1),
    # The Ember toggle's click handler sits on its wrapper; four places mirror its state.
    "2026-artdeco-handler-on-the-wrapper": Variant(
        {**PAGE_2026, "markup": "artdeco"}, "turned-off", OFF_SAVED, "off", strategy="label-text:en"
    ),
    "key-renamed-and-label-reworded": Variant(
        REDESIGNED, "turned-off", OFF_SAVED, "off", strategy="only-switch", clicks=1
    ),
    "key-renamed-and-label-reworded-artdeco": Variant(
        {**REDESIGNED, "markup": "artdeco"}, "turned-off", OFF_SAVED, "off", strategy="only-switch"
    ),
    # A div role=switch with aria-checked and no label of any kind: its row's text names it.
    "div-switch-named-by-its-row": Variant(
        {**PAGE_2026, "markup": "div"}, "turned-off", OFF_SAVED, "off", strategy="label-text:en"
    ),
    "div-switch-reworded": Variant(
        {**REDESIGNED, "markup": "div"}, "turned-off", OFF_SAVED, "off", strategy="only-switch"
    ),
    "two-unlabelled-switches-under-the-heading": Variant(
        {**REDESIGNED, "markup": "div", "duplicate": True},
        "ambiguous",
        [],
        None,
        strategy="only-switch",
        reason="several-switches",
    ),
    "reworded-beside-another-setting": Variant(
        {**REDESIGNED, "decoy": True},
        "ambiguous",
        [],
        None,
        strategy="only-switch",
        reason="several-switches",
    ),
    "german-heading-key-renamed-label-reworded": Variant(
        {**REDESIGNED, "lang": "de"}, "turned-off", OFF_SAVED, "off", strategy="only-switch"
    ),
    "french-heading-key-renamed-label-reworded": Variant(
        {**REDESIGNED, "lang": "fr", "markup": "button"},
        "turned-off",
        OFF_SAVED,
        "off",
        strategy="only-switch",
    ),
    "japanese-heading-key-renamed-label-reworded": Variant(
        {**REDESIGNED, "lang": "ja", "markup": "div"},
        "turned-off",
        OFF_SAVED,
        "off",
        strategy="only-switch",
    ),
    "reworded-and-already-off": Variant(
        {**REDESIGNED, "value": False}, "already-off", [], "off", strategy="only-switch", clicks=0
    ),
}
# Pages where the visit waits the whole limit out (no switch ever comes): test_visit in the
# build with the short limit (SHORT_LIMIT_MS).
WAITING_OUT_THE_LIMIT = {
    "not-offered": Variant({"offered": False}, "not-offered", [], None, strategy=None),
    "never-rendered": Variant({"render_delay_ms": None}, "not-found", [], None, strategy=None),
    # LinkedIn's error page where the setting would be: a failure to check, never "not offered".
    "error-page": Variant({"load_error": True}, "not-found", [], None, strategy=None),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_visit(name: str, browser: Session, linkedin: FakeLinkedIn) -> None:
    check_visit(VARIANTS[name], browser, linkedin)


@pytest.mark.parametrize("name", WAITING_OUT_THE_LIMIT)
def test_visit_waiting_out_the_limit(
    name: str, short_limit_browser: Session, linkedin: FakeLinkedIn
) -> None:
    check_visit(WAITING_OUT_THE_LIMIT[name], short_limit_browser, linkedin)


def check_visit(variant: Variant, browser: Session, linkedin: FakeLinkedIn) -> None:
    """One visit of the variant's page: its outcome recorded, and the page as it must be."""
    linkedin.reset(**variant.changes)
    tab = browser.open(variant.url)

    [result] = wait_for_history(browser, 1)

    assert result["outcome"] == variant.outcome, result
    assert result["rule"] == RULE
    assert result.get("reason") == variant.reason
    assert result.get("strategy") == variant.strategy
    if variant.clicks is not None:
        assert result["clicks"] == variant.clicks
    assert result["path"] == urlsplit(variant.url).path.rstrip("/")
    assert_recent(result)
    latest = dict(storage(browser)["latest"][RULE])
    diagnostics = latest.pop("diagnostics", None)
    assert isinstance(latest.pop("tab"), int)  # the tab whose correction it may take
    assert latest == result
    if variant.outcome in ("not-found", "ambiguous", "disabled", "failed"):
        assert diagnostics["strategies"][0]["strategy"] == "aria-labelledby"
    else:
        assert diagnostics is None

    assert saves(linkedin) == variant.saves
    assert saves(linkedin, DECOY_KEY) == [], "the decoy switch must never be touched"
    states = switch_states(tab)
    if variant.final is None:
        assert "off" not in states
        assert linkedin.value() is True
    else:
        assert states[-1] == variant.final
        assert linkedin.value() is (variant.final == "on")
    assert_cookie_banner_untouched(tab, shown=variant.changes.get("layout_2026", False))
    assert_no_requests_of_its_own(browser, linkedin)


def assert_cookie_banner_untouched(tab, shown: bool) -> None:
    """The EU cookie banner is the member's choice: still there (when the page shows one) and
    never clicked."""
    assert tab.evaluate(COOKIE_CHOICES) == 0, "the cookie banner was clicked"
    present = tab.evaluate("(s) => document.querySelector(s) !== null", COOKIE_BANNER)
    assert present is shown


# Other settings' pages after the redesign: path -> (rule, outcome, strategy).
REDESIGNED_PAGES = {
    "/mypreferences/d/settings/policy-and-academic-research": ("research", "turned-off"),
    "/mypreferences/d/settings/ads-by-age": ("ads-by-age", "turned-off"),
    "/mypreferences/d/interest-categories": ("interests-and-behaviours", "turned-off"),
    "/mypreferences/d/member-cookies": ("non-essential-cookies", "turned-off"),
    # Two switches on the page, neither with its old key or label: which is meant is unknown.
    "/mypreferences/d/settings/linkedin-promotions": ("marketing-ads", "ambiguous"),
}


@pytest.mark.parametrize("path", REDESIGNED_PAGES)
def test_other_settings_pages_redesigned(
    path: str, browser: Session, linkedin: FakeLinkedIn
) -> None:
    rule, outcome = REDESIGNED_PAGES[path]
    set_storage(browser, {"chosen": [rule]})
    linkedin.reset(**REDESIGNED)
    tab = browser.open(f"https://www.linkedin.com{path}")

    [result] = wait_for_history(browser, 1)
    assert (result["rule"], result["outcome"], result["strategy"]) == (rule, outcome, "only-switch")
    keys = SETTING_PAGES[path]
    if outcome == "turned-off":
        [key] = keys
        assert result["clicks"] == 1
        assert [(s.key, s.value, s.status) for s in linkedin.all_saves()] == [(key, False, 200)]
        assert linkedin.value(key) is False
        assert switch_states(tab) == ["off"]
    else:
        assert result["reason"] == "several-switches"
        assert linkedin.all_saves() == []
        assert all(linkedin.value(key) for key in keys)
        assert switch_states(tab) == ["on"] * len(keys)
    if COOKIE_KEY in keys:  # its element-id step no longer finds it: the input's id is new
        ids = tab.evaluate("() => [...document.querySelectorAll('[id]')].map((e) => e.id)")
        assert COOKIE_KEY not in ids
    assert_cookie_banner_untouched(tab, shown=True)
    assert_no_requests_of_its_own(browser, linkedin)


def test_only_switch_on_a_hub_page_is_left_alone(browser: Session, linkedin: FakeLinkedIn) -> None:
    """Hubs never use the page-level step: the hub's one switch (under the setting's heading)
    stays on while the setting's own page, opened beside it, is switched off."""
    linkedin.reset(**REDESIGNED, hub_switch=True)
    hub = browser.open(HUB_URL)
    assert hub.wait_until("() => document.querySelectorAll('[role=\"switch\"]').length === 1")
    assert browser.content_script_injected(hub)

    setting = browser.open(SETTING_URL)
    [result] = wait_for_history(browser, 1)
    assert (result["path"], result["outcome"]) == (SETTING_PATH, "turned-off")
    assert result["strategy"] == "only-switch"
    assert saves(linkedin) == OFF_SAVED, "one save: the setting page's, none from the hub"
    assert switch_states(hub) == ["on"]
    assert switch_states(setting) == ["off"]
    for tab in (hub, setting):
        assert_cookie_banner_untouched(tab, shown=True)


@pytest.mark.both_stacks
def test_page_reload_after_opt_out_reads_off_and_saves_nothing(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    tab = browser.open(SETTING_URL)
    wait_for_history(browser, 1)
    tab.reload()
    first, second = wait_for_history(browser, 2)
    assert (first["outcome"], second["outcome"]) == ("turned-off", "already-off")
    assert saves(linkedin) == OFF_SAVED


@pytest.mark.parametrize("redirect", ["uas-login", "authwall"])
def test_signed_out_visit_is_reported(
    redirect: str, browser: Session, linkedin: FakeLinkedIn
) -> None:
    # The member was on LinkedIn's settings, then their session ended: the sign-in page
    # interrupted a settings visit (a tab opened straight on it could be any site's doing).
    tab = browser.open(HUB_URL)
    linkedin.reset(signed_in=False, signed_out_to=redirect)
    tab.goto(SETTING_URL)

    [result] = wait_for_history(browser, 1)
    assert result["outcome"] == "signed-out"
    assert result["path"] == SETTING_PATH
    expected_path = "/uas/login" if redirect == "uas-login" else "/authwall"
    assert urlsplit(tab.url).path == expected_path
    assert linkedin.all_saves() == []
    # The same sign-in page in a tab of its own (this tab's earlier settings page had one).
    sign_in = browser.open(tab.url)
    assert not browser.content_script_injected(sign_in), "no content script on sign-in pages"
    assert_no_requests_of_its_own(browser, linkedin)


def open_setting_from_hub(browser: Session):
    tab = browser.open(HUB_URL)
    tab.evaluate("() => { document.documentElement.dataset.sameDocument = 'yes'; }")
    tab.click(SETTING_LINK)
    return tab


@pytest.mark.both_stacks
def test_hub_to_setting_without_page_load(browser: Session, linkedin: FakeLinkedIn) -> None:
    tab = open_setting_from_hub(browser)

    [result] = wait_for_history(browser, 1)
    assert result["outcome"] == "turned-off"
    same_document = tab.evaluate("() => document.documentElement.dataset.sameDocument")
    assert same_document == "yes", "the app navigated without a page load"
    assert urlsplit(tab.url).path == SETTING_PATH
    assert saves(linkedin) == OFF_SAVED
    assert switch_states(tab) == ["off"]
    assert_no_requests_of_its_own(browser, linkedin)


@pytest.mark.both_stacks
def test_member_turning_it_back_on_is_respected(browser: Session, linkedin: FakeLinkedIn) -> None:
    tab = open_setting_from_hub(browser)
    [turned_off] = wait_for_history(browser, 1)
    assert turned_off["outcome"] == "turned-off"

    tab.click(SWITCH)  # the member, with a real click
    linkedin.wait_for_saves(2)
    _, member = wait_for_history(browser, 2)
    assert member["outcome"] == "on"
    assert member["reason"] == "changed-by-member"

    tab.back()  # back to the hub inside the app, then forward to the setting again
    tab.forward()
    *_, again = wait_for_history(browser, 3)
    assert again["outcome"] == "on"
    assert saves(linkedin) == [(False, 200), (True, 200)]
    assert switch_states(tab) == ["on"]
    assert linkedin.value() is True


@pytest.mark.both_stacks
def test_automatic_mode_off_only_reads(browser: Session, linkedin: FakeLinkedIn) -> None:
    set_storage(browser, {"automatic": False})
    tab = browser.open(SETTING_URL)
    [result] = wait_for_history(browser, 1)
    assert (result["outcome"], result["reason"]) == ("on", "automatic-off")
    assert saves(linkedin) == []
    assert switch_states(tab) == ["on"]


def test_lookalike_host_is_left_alone(browser: Session, linkedin: FakeLinkedIn) -> None:
    tab = browser.open(f"https://{LOOKALIKE_HOST}{SETTING_PATH}")
    assert tab.wait_until("(s) => document.querySelector(s) !== null", SWITCH)
    assert not browser.content_script_injected(tab)
    assert switch_states(tab) == ["on"]
    assert linkedin.all_saves() == []
    assert storage(browser).get("history") is None


@pytest.mark.parametrize("path", ["/feed/", "/in/some-member/", "/messaging/"])
def test_not_injected_outside_settings(path: str, browser: Session, linkedin: FakeLinkedIn) -> None:
    tab = browser.open(f"https://www.linkedin.com{path}")
    assert tab.wait_until("() => document.querySelector('h1') !== null")
    assert not browser.content_script_injected(tab)
