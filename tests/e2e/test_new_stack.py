"""LinkedIn as members get it in 2026, in Chromium and Firefox: the settings app as its new
front end renders it (hashed class names made anew on each load, labels in <p> tied by :rN:
ids, rows replaced whole on each change), every address form LinkedIn links, the wrong
addresses in circulation, a switch reworded to the opposite sense, and a session whose pages
come from either stack at random (the A/B rollout)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from harness.fake_linkedin import (
    AI_KEY,
    INVERTED_KEY,
    INVERTED_LABELS,
    SETTING_PAGES,
    SETTING_PATH,
    SETTING_URL,
    FakeLinkedIn,
)
from harness.session import Session, set_storage, storage, switch_states, wait_for_history
from tests.e2e.test_auto_optout import OFF_SAVED, RULE, Variant, check_visit, saves
from tests.e2e.test_settings_choice import PROGRESS_TEXT

NEW = {"stack": "new"}
ORIGIN = "https://www.linkedin.com"
LANGS = tuple(INVERTED_LABELS)  # the 8 languages of the AI setting's texts

# On the new stack the switch's label is a <p> with a generated id: the rule's label text in
# the page's language finds it, never the old key.
NEW_STACK_VARIANTS = {
    "on": Variant(NEW, "turned-off", OFF_SAVED, "off", strategy="label-text:en", clicks=1),
    "already-off": Variant(
        {**NEW, "value": False}, "already-off", [], "off", strategy="label-text:en", clicks=0
    ),
    "checkbox-control": Variant(
        {**NEW, "new_control": "checkbox"}, "turned-off", OFF_SAVED, "off", strategy="label-text:en"
    ),
    "rendered-1s-late": Variant(
        {**NEW, "render_delay_ms": 1000}, "turned-off", OFF_SAVED, "off", strategy="label-text:en"
    ),
    "busy-while-saving": Variant(
        {**NEW, "busy_while_saving": True, "save_delay_ms": 1000},
        "turned-off",
        OFF_SAVED,
        "off",
        strategy="label-text:en",
        clicks=1,
    ),
    "save-fails-once": Variant(
        {**NEW, "save_failures": 1},
        "turned-off",
        [(False, 500), (False, 200)],
        "off",
        strategy="label-text:en",
        clicks=2,
    ),
    "save-always-fails": Variant(
        {**NEW, "save_failures": -1},
        "failed",
        [(False, 500), (False, 500)],
        "on",
        strategy="label-text:en",
        reason="save-error",
        clicks=2,
    ),
    "disabled": Variant({**NEW, "disabled": True}, "disabled", [], "on", strategy="label-text:en"),
    "two-matching-switches": Variant(
        {**NEW, "duplicate": True},
        "ambiguous",
        [],
        None,
        strategy="label-text:en",
        reason="several-switches",
    ),
    "another-setting-first": Variant(
        {**NEW, "decoy": True}, "turned-off", OFF_SAVED, "off", strategy="label-text:en"
    ),
    "2026-page": Variant(
        {**NEW, "layout_2026": True}, "turned-off", OFF_SAVED, "off", strategy="label-text:en"
    ),
    "s-form-slash-and-query": Variant(
        NEW,
        "turned-off",
        OFF_SAVED,
        "off",
        strategy="label-text:en",
        url=f"{ORIGIN}/mypreferences/s/data-for-ai-improvement/?li_theme=light&trk=privacy",
    ),
    "g-settings-form": Variant(
        NEW,
        "turned-off",
        OFF_SAVED,
        "off",
        strategy="label-text:en",
        url=f"{ORIGIN}/mypreferences/g/settings/data-for-ai-improvement",
    ),
}


@pytest.mark.parametrize("name", NEW_STACK_VARIANTS)
def test_visit_on_the_new_stack(name: str, browser: Session, linkedin: FakeLinkedIn) -> None:
    check_visit(NEW_STACK_VARIANTS[name], browser, linkedin)


def test_every_language_on_the_new_stack(browser: Session, linkedin: FakeLinkedIn) -> None:
    """The AI setting in each of its 8 languages: found by its label in that language."""
    for count, lang in enumerate(LANGS, start=1):
        linkedin.reset(**NEW, lang=lang)
        tab = browser.open(SETTING_URL)
        *_, result = wait_for_history(browser, count)
        assert (result["outcome"], result["strategy"]) == ("turned-off", f"label-text:{lang}"), lang
        assert saves(linkedin) == OFF_SAVED, lang
        assert switch_states(tab) == ["off"], lang


@pytest.mark.both_stacks
def test_a_switch_reworded_to_the_opposite_is_never_switched_off(
    page_stack: str, browser: Session, linkedin: FakeLinkedIn
) -> None:
    """The setting's heading, and one switch that now reads "Don't use my data…", shown on
    (the member opted out): switching it off would let training back on. In every language
    the visit ends unsure, nothing clicked, and says why."""
    for count, lang in enumerate(LANGS, start=1):
        linkedin.reset(inverted=True, lang=lang)
        tab = browser.open(SETTING_URL)
        *_, result = wait_for_history(browser, count)
        found = (result["outcome"], result.get("reason"), result.get("strategy"))
        assert found == ("ambiguous", "unsure-sense", "only-switch"), (lang, result)
        assert linkedin.all_saves() == [], lang
        assert linkedin.value(INVERTED_KEY) is True, f"{lang}: the member is still opted out"
        assert switch_states(tab) == ["on"], lang
    diagnostics = storage(browser)["latest"][RULE]["diagnostics"]
    assert diagnostics["strategies"][-1]["strategy"] == "only-switch"
    assert diagnostics["frontEnd"] == page_stack, "the report says which front end served it"


@pytest.mark.both_stacks
def test_a_wrong_address_brings_the_member_to_the_setting(
    page_stack: str, browser: Session, linkedin: FakeLinkedIn
) -> None:
    """The addresses guides copy for the AI setting show no setting: the tab is brought to its
    page, where it is switched off as on any visit; the record says where the member came from."""
    for count, slug in enumerate(["data-for-generative-ai-improvement", "data-for-generative-ai"]):
        wrong = f"/mypreferences/d/settings/{slug}"
        tab = browser.open(f"{ORIGIN}{wrong}?trk=guide")
        history = wait_for_history(browser, 2 * count + 2)
        assert [(e["outcome"], e["path"]) for e in history[-2:]] == [
            ("wrong-address", wrong),
            ("turned-off" if count == 0 else "already-off", SETTING_PATH),
        ]
        assert urlsplit(tab.url).path == SETTING_PATH
        assert storage(browser)["latest"][RULE]["outcome"] != "wrong-address"
    assert saves(linkedin) == OFF_SAVED, "one click, on the setting's own page"
    popup = browser.open_popup()
    lines = "() => [...document.querySelectorAll('#record-list li')].map((li) => li.textContent)"
    said = "opened at an outdated address where LinkedIn shows no setting"
    assert popup.wait_until(f"(said) => ({lines})().some((line) => line.includes(said))", said)


def test_every_setting_under_the_form_linkedin_links_today(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    """The partners setting as LinkedIn's 2026 privacy notice links it (/s/, a new slug, a
    query) is the partners rule's page, on the new stack; the result names that address."""
    set_storage(browser, {"chosen": ["share-with-partners"]})
    linkedin.reset(**NEW)
    path = "/mypreferences/s/settings/share-data-with-trusted-partners"
    tab = browser.open(f"{ORIGIN}{path}?li_theme=light")
    [result] = wait_for_history(browser, 1)
    assert (result["rule"], result["outcome"], result["path"]) == (
        "share-with-partners",
        "turned-off",
        path,
    )
    [key] = SETTING_PAGES["/mypreferences/d/settings/share-data-with-select-partners"]
    assert [(s.key, s.value) for s in linkedin.all_saves()] == [(key, False)]
    assert switch_states(tab) == ["off"]


def test_a_session_served_by_both_stacks_at_random(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    """As members get it: each page load comes from one stack or the other. A sweep of three
    settings, each loaded, switched off and loaded again to verify, ends confirmed."""
    linkedin.reset(stack="ab", ab_seed=4)
    chosen = ["ai-training", "research", "share-with-partners"]
    set_storage(browser, {"chosen": chosen})
    popup = browser.open_popup()
    assert popup.wait_until("() => document.querySelectorAll('#chosen-list li').length === 3")
    popup.bring_to_front()
    tab = browser.expect_new_tab(lambda: popup.click("#opt-out-now"))
    assert popup.wait_until(
        f"() => ({PROGRESS_TEXT})() === 'Done: 3 of 3 settings are off.'", timeout=60
    ), popup.evaluate(PROGRESS_TEXT)
    tab.wait_closed()
    history = wait_for_history(browser, 3)
    assert [(e["rule"], e["outcome"], e["proof"]) for e in history] == [
        (rule, "turned-off", "reload") for rule in chosen
    ]
    served = {stack for _path, stack in linkedin.served_stacks()}
    assert served == {"ember", "new"}, linkedin.served_stacks()
    assert len(linkedin.all_saves()) == 3, "one save per setting"
    assert linkedin.value(AI_KEY) is False
