"""LinkedIn's other data-use settings: rules as data, chosen on the options page, applied
automatically on their pages; each rule touches only its own switch."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from harness.fake_linkedin import AI_KEY, SETTING_PAGES, FakeLinkedIn
from harness.session import Session, set_storage, wait_for_badge, wait_for_history, wait_for_stored
from tests.e2e.conftest import BROWSERS
from tools.build import make

ORIGIN = "https://www.linkedin.com"
PARTNERS = "/mypreferences/d/settings/share-data-with-select-partners"
# The partners setting's page as LinkedIn links it today, where Opt out now opens it.
PARTNERS_LINKED = "/mypreferences/s/settings/share-data-with-trusted-partners"
RESEARCH = "/mypreferences/d/settings/policy-and-academic-research"
PROMOTIONS = "/mypreferences/d/settings/linkedin-promotions"
COOKIES = "/mypreferences/d/member-cookies"
ADS_BY_AGE = "/mypreferences/d/settings/ads-by-age"
ROW_NAMES = "() => [...document.querySelectorAll('.setting .name')].map((n) => n.textContent)"
CHECKED = (
    "() => [...document.querySelectorAll('.include')].filter((b) => b.checked)"
    ".map((b) => b.dataset.rule)"
)


def saves(linkedin: FakeLinkedIn, key: str) -> list[tuple[bool, int]]:
    return [(save.value, save.status) for save in linkedin.saves(key)]


def test_options_page_lists_every_setting_with_only_ai_training_chosen(browser: Session) -> None:
    options = browser.open_extension_page("options/options.html")
    names = options.wait_until(
        f"() => {{ const n = ({ROW_NAMES})(); return n.length ? n : null; }}"
    )
    rules = make.load_rules().rules
    assert len(names) == len(rules) == 12
    assert names[0] == "Data for Generative AI Improvement"
    assert "Share data with affiliates and select partners" in names
    assert options.evaluate(CHECKED) == ["ai-training"]
    explanation = options.evaluate("() => document.querySelector('.explanation').textContent")
    assert explanation.startswith("Lets LinkedIn use your data")
    violations = options.axe_violations()
    assert violations == [], violations


@pytest.mark.both_stacks
def test_a_chosen_setting_is_switched_off_on_its_page_and_others_left_alone(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    options = browser.open_extension_page("options/options.html")
    assert options.wait_until(
        "() => document.querySelector('#include-share-with-partners') !== null"
    )
    options.click("#include-share-with-partners")
    assert options.wait_until(
        "() => JSON.stringify(({CHECKED})())".replace("{CHECKED}", CHECKED)
        + " === JSON.stringify(['ai-training', 'share-with-partners'])"
    )
    chosen = ["ai-training", "share-with-partners"]
    assert wait_for_stored(browser, "chosen", chosen) == chosen

    tab = browser.open(ORIGIN + RESEARCH)  # not chosen: nothing may happen here
    assert tab.wait_until("() => document.querySelector('[role=\"switch\"]') !== null")
    tab.goto(ORIGIN + PARTNERS)
    [result] = wait_for_history(browser, 1)
    assert (result["rule"], result["outcome"]) == ("share-with-partners", "turned-off")
    [partners_key] = SETTING_PAGES[PARTNERS]
    [research_key] = SETTING_PAGES[RESEARCH]
    assert saves(linkedin, partners_key) == [(False, 200)]
    assert saves(linkedin, research_key) == []
    assert linkedin.value(research_key) is True
    assert wait_for_badge(browser, "…") == "…", "off as the page showed it, not yet confirmed"


def test_two_switch_page_touches_only_its_own_switch(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    set_storage(browser, {"chosen": ["marketing-ads"]})
    browser.open(ORIGIN + PROMOTIONS)
    [result] = wait_for_history(browser, 1)
    assert (result["rule"], result["outcome"]) == ("marketing-ads", "turned-off")
    marketing, tips = SETTING_PAGES[PROMOTIONS]
    assert saves(linkedin, marketing) == [(False, 200)]
    assert saves(linkedin, tips) == []
    assert linkedin.value(tips) is True


def test_cookie_setting_found_by_its_element_id(browser: Session, linkedin: FakeLinkedIn) -> None:
    set_storage(browser, {"chosen": ["non-essential-cookies"]})
    browser.open(ORIGIN + COOKIES)
    [result] = wait_for_history(browser, 1)
    assert (result["outcome"], result["strategy"]) == ("turned-off", "element-id")
    [cookie_key] = SETTING_PAGES[COOKIES]
    assert saves(linkedin, cookie_key) == [(False, 200)]


def test_badge_shows_the_worst_chosen_setting(browser: Session, linkedin: FakeLinkedIn) -> None:
    set_storage(browser, {"chosen": ["ai-training", "share-with-partners"]})
    linkedin.reset(save_failures=-1)
    browser.open(ORIGIN + PARTNERS)
    assert wait_for_history(browser, 1)[0]["outcome"] == "failed"
    assert wait_for_badge(browser, "×") == "×"
    set_storage(browser, {"chosen": ["ai-training"]})  # the failed one is no longer chosen
    assert wait_for_badge(browser, "") == ""
    assert saves(linkedin, AI_KEY) == []


# ---------------------------------------------------------------- rule data alone


@pytest.fixture(params=BROWSERS)
def two_builds(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """Builds from the shipped rules without the ads-by-age rule, and with it back."""
    rules_without = tmp_path / "rules-without"
    shutil.copytree(make.RULES_DIR, rules_without)
    source = rules_without / "linkedin.json"
    document = json.loads(source.read_text(encoding="utf-8"))
    document["rules"] = [r for r in document["rules"] if r["id"] != "ads-by-age"]
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    without, with_rule = tmp_path / "without", tmp_path / "with"
    make.build(out=without, rules_dir=rules_without)
    make.build(out=with_rule)
    yield request.param, without, with_rule


def code_part(background: Path) -> list[str]:
    return [line for line in background.read_text().splitlines() if "RULE_DATA =" not in line]


def test_a_rule_file_change_alone_adds_a_setting(
    two_builds: tuple[str, Path, Path],
    request: pytest.FixtureRequest,
    fake_linkedin: FakeLinkedIn,
    tmp_path: Path,
) -> None:
    name, without, with_rule = two_builds
    for browser_dir in ("chrome", "firefox"):
        before, after = without / browser_dir, with_rule / browser_dir
        assert (before / "content.js").read_bytes() == (after / "content.js").read_bytes()
        assert code_part(before / "background.js") == code_part(after / "background.js"), (
            "only the rule data differs between the two builds"
        )
    [key] = SETTING_PAGES[ADS_BY_AGE]
    outcomes = []
    for label, out in (("without", without), ("with", with_rule)):
        fake_linkedin.reset()
        session = start_with_build(request, name, out, tmp_path / f"profile-{label}")
        try:
            set_storage(session, {"chosen": ["ads-by-age", "ai-training"]})
            tab = session.open(ORIGIN + ADS_BY_AGE)
            assert tab.wait_until("() => document.querySelector('[role=\"switch\"]') !== null")
            if label == "with":
                outcomes.append(wait_for_history(session, 1)[0]["outcome"])
            else:
                tab.goto(ORIGIN + "/mypreferences/d/settings/data-for-ai-improvement")
                outcomes.append([e["rule"] for e in wait_for_history(session, 1)])
            outcomes.append(saves(fake_linkedin, key))
        finally:
            session.close()
    assert outcomes == [["ai-training"], [], "turned-off", [(False, 200)]]


def start_with_build(request: pytest.FixtureRequest, name: str, out: Path, profile: Path):
    if name == "chromium":
        from harness.chromium import ChromiumSession

        return ChromiumSession(
            request.getfixturevalue("playwright"),
            request.getfixturevalue("chromium_executable"),
            out / "chrome",
            profile,
            request.getfixturevalue("fake_linkedin").chromium_args,
        )
    from harness.firefox import FirefoxSession

    package = out / make.package_name(make.read_version(), "firefox")
    return FirefoxSession(
        request.getfixturevalue("firefox_executable"),
        package,
        profile,
        request.getfixturevalue("fake_linkedin").firefox_prefs,
    )


# ---------------------------------------------------------------- the sweep


SWEEP = ["ai-training", "research", "share-with-partners"]  # visited in the rule file's order
PROGRESS_TEXT = "() => document.getElementById('progress').textContent"


def start_sweep(browser: Session):
    set_storage(browser, {"chosen": SWEEP})
    popup = browser.open_popup()
    assert popup.wait_until("() => document.querySelectorAll('#chosen-list li').length === 3")
    popup.bring_to_front()
    tab = browser.expect_new_tab(lambda: popup.click("#opt-out-now"))
    return popup, tab


def keys_of(*paths: str) -> list[str]:
    return [SETTING_PAGES[path][0] for path in paths]


@pytest.mark.both_stacks
def test_opt_out_now_sweeps_every_chosen_setting(browser: Session, linkedin: FakeLinkedIn) -> None:
    linkedin.reset(busy_while_saving=True, save_delay_ms=1000)
    popup, tab = start_sweep(browser)
    step_two = popup.wait_until(
        f"() => {{ const t = ({PROGRESS_TEXT})(); "
        "return t.startsWith('2 of 3: Social, economic and workplace research — ') && t; }",
        timeout=30,
    )
    assert step_two, "the popup shows which setting the sweep is on"
    assert popup.wait_until(
        f"() => ({PROGRESS_TEXT})() === 'Done: 3 of 3 settings are off.'", timeout=60
    )
    tab.wait_closed()
    history = wait_for_history(browser, 3)
    assert [(e["rule"], e["outcome"], e["proof"]) for e in history] == [
        (rule, "turned-off", "reload") for rule in SWEEP
    ]
    page = "/mypreferences/d/settings/data-for-ai-improvement"
    for key in keys_of(page, RESEARCH, PARTNERS):
        assert saves(linkedin, key) == [(False, 200)], key
    loads = [
        urlsplit(target).path for _host, method, target in linkedin.requests() if method == "GET"
    ]
    for path in (page, RESEARCH, PARTNERS_LINKED):
        assert loads.count(path) == 2, f"{path}: loaded, then loaded again to verify"
    confirmed = "switched off — confirmed after reloading LinkedIn's page"
    lines = popup.evaluate(
        "() => [...document.querySelectorAll('#chosen-list li')].map((li) => li.textContent)"
    )
    assert lines == [
        f"Data for Generative AI Improvement — {confirmed}",
        f"Social, economic and workplace research — {confirmed}",
        f"Share data with affiliates and select partners — {confirmed}",
    ]
    assert wait_for_badge(browser, "✓") == "✓"
    record = popup.evaluate(
        "() => [...document.querySelectorAll('#record-list li')].map((li) => li.textContent)"
    )
    assert [line.split(" — ", 1)[1] for line in record] == [
        confirmed,
        f"Social, economic and workplace research: {confirmed}",
        f"Share data with affiliates and select partners: {confirmed}",
    ]


def test_a_failure_does_not_stop_the_sweep(browser: Session, linkedin: FakeLinkedIn) -> None:
    linkedin.reset(save_failures=2)  # both tries on the first page fail, the rest save
    popup, tab = start_sweep(browser)
    assert popup.wait_until(
        f"() => ({PROGRESS_TEXT})() === 'Done: 2 of 3 settings are off.'", timeout=60
    )
    tab.wait_closed()
    outcomes = [e["outcome"] for e in wait_for_history(browser, 3)]
    assert outcomes == ["failed", "turned-off", "turned-off"]
    assert wait_for_badge(browser, "×") == "×"


def test_signed_out_stops_the_sweep_with_one_message(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(signed_in=False)
    popup, tab = start_sweep(browser)
    assert popup.wait_until(
        f"() => ({PROGRESS_TEXT})() === 'Stopped: sign in to LinkedIn, then try again.'",
        timeout=30,
    )
    assert [e["outcome"] for e in wait_for_history(browser, 1)] == ["signed-out"]
    assert not tab.is_closed(), "the sign-in page stays open for the member"
    assert linkedin.all_saves() == []


def test_decoy_before_a_new_setting_is_left_alone(browser: Session, linkedin: FakeLinkedIn) -> None:
    linkedin.reset(decoy=True)
    set_storage(browser, {"chosen": ["share-with-partners"]})
    browser.open(ORIGIN + PARTNERS)
    [result] = wait_for_history(browser, 1)
    assert (result["rule"], result["outcome"]) == ("share-with-partners", "turned-off")
    [partners_key] = SETTING_PAGES[PARTNERS]
    [research_key] = SETTING_PAGES[RESEARCH]  # the decoy the page shows first
    assert saves(linkedin, partners_key) == [(False, 200)]
    assert saves(linkedin, research_key) == []


def test_options_page_is_reachable_from_the_popup(browser: Session) -> None:
    popup = browser.open_popup()
    assert popup.wait_until("() => document.getElementById('choose-settings').textContent")
    options = browser.expect_new_tab(lambda: popup.click("#choose-settings"))
    assert options.wait_until("() => document.querySelectorAll('.setting').length === 12")
    assert options.url.endswith("/options/options.html")
