"""Automatic opt-out in Chromium: a member opens the setting page and the extension switches
it off, safely and verifiably, against every LinkedIn-like fixture variant.

Each test asserts what a member (or LinkedIn) would notice: the saves the server received,
the switch's final state in the page, and the result the extension stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.chromium import ChromiumSession
from tests.fake_linkedin import (
    AI_KEY,
    DECOY_KEY,
    HUB_URL,
    LOOKALIKE_HOST,
    SETTING_PATH,
    SETTING_URL,
    FakeLinkedIn,
)

RULE = "ai-training"

# Reads every switch on the page the way the page itself exposes it (main world).
SWITCH_STATES = """
() => [...document.querySelectorAll('[role="switch"], input[type="checkbox"]')].map((el) => ({
  key: el.getAttribute("aria-labelledby") ?? el.id,
  state: el.tagName === "INPUT" ? (el.checked ? "on" : "off")
                                : (el.getAttribute("aria-checked") === "true" ? "on" : "off"),
}))
"""


def switch_states(page: Page) -> list[str]:
    return [s["state"] for s in page.evaluate(SWITCH_STATES)]


def saves(linkedin: FakeLinkedIn, key: str = AI_KEY) -> list[tuple[bool, int]]:
    return [(save.value, save.status) for save in linkedin.saves(key)]


def assert_recent(result: dict) -> None:
    at = datetime.fromisoformat(result["at"].replace("Z", "+00:00"))
    assert timedelta(0) <= datetime.now(UTC) - at < timedelta(minutes=2)


def assert_no_requests_of_its_own(chromium: ChromiumSession, linkedin: FakeLinkedIn) -> None:
    """Every request came from a LinkedIn page to LinkedIn, none from the extension."""
    for request in chromium.requests:
        assert request.service_worker is None, f"the extension requested {request.url}"
        assert urlsplit(request.url).hostname == "www.linkedin.com", request.url
    posts = [r for r in chromium.requests if r.method == "POST"]
    assert len(posts) == len(linkedin.all_saves())


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
    "not-offered": Variant({"offered": False}, "not-offered", [], None, strategy=None),
    "never-rendered": Variant({"render_delay_ms": None}, "not-found", [], None, strategy=None),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_visit(name: str, chromium: ChromiumSession, linkedin: FakeLinkedIn) -> None:
    variant = VARIANTS[name]
    linkedin.reset(**variant.changes)
    page = chromium.open(variant.url)

    [result] = chromium.wait_for_history(1)

    assert result["outcome"] == variant.outcome, result
    assert result["rule"] == RULE
    assert result.get("reason") == variant.reason
    assert result.get("strategy") == variant.strategy
    if variant.clicks is not None:
        assert result["clicks"] == variant.clicks
    assert result["path"] in (SETTING_PATH, "/mypreferences/m/settings/data-for-ai-improvement")
    assert_recent(result)
    assert chromium.storage()["latest"][RULE] == result

    assert saves(linkedin) == variant.saves
    assert saves(linkedin, DECOY_KEY) == [], "the decoy switch must never be touched"
    states = switch_states(page)
    if variant.final is None:
        assert "off" not in states or variant.outcome == "ambiguous"
        assert linkedin.value() is True
    else:
        assert states[-1] == variant.final
        assert linkedin.value() is (variant.final == "on")
    assert_no_requests_of_its_own(chromium, linkedin)


def test_page_reload_after_opt_out_reads_off_and_saves_nothing(
    chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    page = chromium.open(SETTING_URL)
    chromium.wait_for_history(1)
    page.reload()
    first, second = chromium.wait_for_history(2)
    assert (first["outcome"], second["outcome"]) == ("turned-off", "already-off")
    assert saves(linkedin) == OFF_SAVED


@pytest.mark.parametrize("redirect", ["uas-login", "authwall"])
def test_signed_out_visit_is_reported(
    redirect: str, chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(signed_in=False, signed_out_to=redirect)
    page = chromium.open(SETTING_URL)

    [result] = chromium.wait_for_history(1)
    assert result["outcome"] == "signed-out"
    assert result["path"] == SETTING_PATH
    expected_path = "/uas/login" if redirect == "uas-login" else "/authwall"
    assert urlsplit(page.url).path == expected_path
    assert linkedin.all_saves() == []
    assert not chromium.content_script_ran(page), "no content script on sign-in pages"
    assert_no_requests_of_its_own(chromium, linkedin)


def test_hub_to_setting_without_page_load(
    chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    page = chromium.open(HUB_URL)
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Data for Generative AI Improvement").click()

    [result] = chromium.wait_for_history(1)
    assert result["outcome"] == "turned-off"
    assert page.evaluate("window.__sameDocument") is True, "the app navigated without a load"
    assert urlsplit(page.url).path == SETTING_PATH
    assert saves(linkedin) == OFF_SAVED
    assert switch_states(page) == ["off"]
    assert_no_requests_of_its_own(chromium, linkedin)


def test_member_turning_it_back_on_is_respected(
    chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    page = chromium.open(HUB_URL)
    page.get_by_role("link", name="Data for Generative AI Improvement").click()
    [turned_off] = chromium.wait_for_history(1)
    assert turned_off["outcome"] == "turned-off"

    page.locator('[role="switch"]').click()  # the member, with a real click
    linkedin.wait_for_saves(2)
    _, member = chromium.wait_for_history(2)
    assert member["outcome"] == "on"
    assert member["reason"] == "changed-by-member"

    page.go_back()  # back to the hub inside the app, then forward to the setting again
    page.go_forward()
    *_, again = chromium.wait_for_history(3)
    assert again["outcome"] == "on"
    assert saves(linkedin) == [(False, 200), (True, 200)]
    assert switch_states(page) == ["on"]
    assert linkedin.value() is True


def test_automatic_mode_off_only_reads(chromium: ChromiumSession, linkedin: FakeLinkedIn) -> None:
    chromium.set_storage({"automatic": False})
    page = chromium.open(SETTING_URL)
    [result] = chromium.wait_for_history(1)
    assert (result["outcome"], result["reason"]) == ("on", "automatic-off")
    assert saves(linkedin) == []
    assert switch_states(page) == ["on"]


def test_lookalike_host_is_left_alone(chromium: ChromiumSession, linkedin: FakeLinkedIn) -> None:
    page = chromium.open(f"https://{LOOKALIKE_HOST}{SETTING_PATH}")
    page.locator('[role="switch"]').wait_for()
    assert not chromium.content_script_ran(page)
    assert switch_states(page) == ["on"]
    assert linkedin.all_saves() == []
    assert chromium.storage().get("history") is None


@pytest.mark.parametrize("path", ["/feed/", "/in/some-member/", "/messaging/"])
def test_not_injected_outside_settings(
    path: str, chromium: ChromiumSession, linkedin: FakeLinkedIn
) -> None:
    page = chromium.open(f"https://www.linkedin.com{path}")
    page.locator("h1").wait_for()
    assert not chromium.content_script_ran(page)


def test_wrong_slug_is_not_the_page(chromium: ChromiumSession, linkedin: FakeLinkedIn) -> None:
    page = chromium.open("https://www.linkedin.com/mypreferences/d/settings/data-for-generative-ai")
    page.locator("main").wait_for()
    assert chromium.content_script_ran(page)  # it is a settings page, just not this setting's
    page.goto(SETTING_URL)
    [result] = chromium.wait_for_history(1)
    assert result["path"] == SETTING_PATH
    assert saves(linkedin) == OFF_SAVED
