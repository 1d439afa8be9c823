"""LinkedIn's settings app as its 2026 new front end renders it (Scenario.stack "new", and "ab":
either stack per page load), every address form of a setting page, and the AI setting's page
with its switch in the opposite sense (Scenario.inverted), in a real Chromium with no extension
loaded. What is asserted is what the real page would show: hashed class names made anew on
each load, componentkey/data-testid, texts in <p>, useId-style ids, rows rendered anew."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from harness.fake_linkedin import (
    ADDRESS_PREFIXES,
    AI_KEY,
    COOKIE_KEY,
    DECOY_KEY,
    HOST,
    HUB_PATH,
    INVERTED_KEY,
    NEW_SETTING_KEY,
    NEW_SETTING_NAME,
    NEW_SETTING_PATH,
    SETTING_HEADINGS,
    SETTING_NAMES,
    SETTING_PAGES,
    SETTING_PATH,
    SETTING_URL,
    FakeLinkedIn,
    Save,
    Scenario,
)
from tests.page.test_fixtures_behave import EN_LABEL, LOCALIZED

EN_HEADING = "Data for Generative AI Improvement"
QUESTION = (
    "Can LinkedIn use your personal data and content you create on LinkedIn to train "
    "generative AI models that create content?"
)
ALERT_TEXT = "Something went wrong. Please try again."
PARTNERS_PATH = "/mypreferences/d/settings/share-data-with-select-partners"
TRUSTED_PARTNERS_URL = (
    f"https://{HOST}/mypreferences/s/settings/share-data-with-trusted-partners?li_theme=light"
)
WRONG_ADDRESSES = (
    "/mypreferences/d/settings/data-for-generative-ai-improvement",
    "/mypreferences/d/settings/data-for-generative-ai",
)

BUTTON_SWITCH = 'button[role="switch"][aria-checked]'
CHECKBOX_SWITCH = 'input[type="checkbox"][role="switch"]'
ROW = '[data-testid="settings-toggle-row"]'
GENERATED_ID = re.compile(r":r[0-9a-v]+:")
# A CSS-module hash: 8 hex digits, an underscore first when they start with a digit.
MODULE_HASH = re.compile(r"_[0-9][0-9a-f]{7}|[a-f][0-9a-f]{7}")
SEMANTIC_CLASS = re.compile(r"artdeco|ember|settings-|t-\d")

# The AI setting's page in the 8 interface languages: heading, label, and the label of the
# switch in the opposite sense (Scenario.inverted).
HEADINGS = {
    "en": EN_HEADING,
    "de": "Daten zur Verbesserung generativer KI",
    "fr": "Données pour l'amélioration de l'IA générative",
    "es": "Datos para la mejora de la IA generativa",
    "pt-BR": "Dados para aprimoramento da IA generativa",
    "it": "Dati per migliorare l'IA generativa",
    "nl": "Gegevens voor verbetering van generatieve AI",
    "ja": "生成AI改善のためのデータ",
}
LABELS = {"en": EN_LABEL, **LOCALIZED}
INVERTED_LABELS = {
    "en": "Don't use my data to train content creation AI models",
    "de": (
        "Meine Daten nicht zum Trainieren von KI-Modellen für die Erstellung von Inhalten verwenden"
    ),
    "fr": "Ne pas utiliser mes données pour entraîner des modèles d'IA de création de contenu",
    "es": "No usar mis datos para entrenar modelos de IA de creación de contenido",
    "pt-BR": "Não usar meus dados para treinar modelos de IA para criar conteúdos",
    "it": "Non usare i miei dati per addestrare modelli di IA per la creazione di contenuti",
    "nl": (
        "Mijn gegevens niet gebruiken voor training van AI-modellen waarmee content wordt gemaakt"
    ),
    "ja": "コンテンツ作成AIモデルのトレーニングにデータを使用しない",
}

CLASS_NAMES = "() => [...document.querySelectorAll('[class]')].flatMap((e) => [...e.classList])"


def url(path: str) -> str:
    return f"https://{HOST}{path}"


def open_page(page: Page, server: FakeLinkedIn, path: str = SETTING_PATH, **changes: Any) -> None:
    """The page at `path` in the new stack (unless `changes` say another), rendered."""
    server.reset(**{"stack": "new", **changes})
    page.goto(url(path))
    expect(page.locator("main h1")).to_have_count(1)


def marks(page: Page, name: str) -> list[dict]:
    script = "name => performance.getEntriesByName(name).map(m => ({t: m.startTime, ...m.detail}))"
    return page.evaluate(script, name)


def wait_for_saves_done(page: Page, n: int) -> None:
    script = "n => performance.getEntriesByName('fixture:save-done').length === n"
    page.wait_for_function(script, arg=n)


def by_id(page: Page, element_id: str) -> Locator:
    return page.locator(f'[id="{element_id}"]')


def class_names(page: Page) -> set[str]:
    return set(page.evaluate(CLASS_NAMES))


def assert_hashed_classes(names: set[str]) -> None:
    assert names
    assert not {name for name in names if SEMANTIC_CLASS.search(name)}
    assert all(MODULE_HASH.fullmatch(name) for name in names), names


# ---------- the new stack's markup ----------


def test_class_names_are_hashes_made_anew_on_each_load(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, layout_2026=True, save_failures=-1)
    page.locator(BUTTON_SWITCH).click()
    expect(page.get_by_role("alert")).to_be_visible()  # the toast's classes too
    first = class_names(page)
    assert_hashed_classes(first)
    page.reload()
    expect(page.locator(BUTTON_SWITCH)).to_have_count(1)
    second = class_names(page)
    assert_hashed_classes(second)
    assert first.isdisjoint(second)


def test_landmarks_headings_and_the_question(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server)
    assert page.url == SETTING_URL
    assert page.title() == "Settings | LinkedIn"
    expect(page.locator("main")).to_have_count(1)
    nav = page.get_by_role("navigation", name="Settings")
    expect(nav.get_by_role("link", name="Data privacy")).to_have_count(1)
    expect(page.locator("main h1")).to_have_text(EN_HEADING)
    expect(page.locator("main p").first).to_have_text(QUESTION)


def test_switch_is_a_button_labelled_by_a_generated_id(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server)
    switch = page.locator(BUTTON_SWITCH)
    expect(switch).to_have_attribute("aria-checked", "true")
    assert switch.get_attribute("type") == "button"
    assert switch.get_attribute("data-testid") == "settings-toggle"
    label_id, state_id = (
        switch.get_attribute(name) or "" for name in ("aria-labelledby", "aria-describedby")
    )
    assert GENERATED_ID.fullmatch(label_id) and GENERATED_ID.fullmatch(state_id)
    label, state = by_id(page, label_id), by_id(page, state_id)
    assert label.evaluate("e => e.tagName") == state.evaluate("e => e.tagName") == "P"
    expect(label).to_have_text(EN_LABEL)
    expect(state).to_have_text("On")
    expect(state).to_have_attribute("aria-hidden", "true")
    expect(page.get_by_role("switch", name=EN_LABEL, exact=True)).to_have_count(1)
    row = page.locator(ROW)
    expect(row).to_have_count(1)
    componentkey = row.get_attribute("componentkey") or ""
    assert re.fullmatch(rf"settingsToggle_{AI_KEY}_[0-9a-f]{{4}}", componentkey)
    # The setting's key appears in the componentkey and nowhere else.
    assert page.locator("main").evaluate("e => e.outerHTML").count(AI_KEY) == 1
    assert page.locator(f'[id="{AI_KEY}"], [aria-labelledby~="{AI_KEY}"]').count() == 0


# Runs in the page: every switch row the app renders from now on, as it was when rendered
# (its switch's state, label id and state text), recorded without a round trip to the test.
RECORD_ROWS = """
(selector) => {
  window.rowsRendered = [];
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      const row = node.matches(selector) ? node : node.querySelector(selector);
      if (!row) continue;
      const button = row.querySelector('[role="switch"]');
      const stateText = document.getElementById(button.getAttribute("aria-describedby"));
      window.rowsRendered.push({ checked: button.getAttribute("aria-checked"),
        label: button.getAttribute("aria-labelledby"), text: stateText?.textContent });
    }
  }).observe(document.querySelector("main"), { childList: true, subtree: true });
}
"""


def test_a_click_renders_the_row_anew_and_saves_once(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, save_delay_ms=400)
    switch = page.locator(BUTTON_SWITCH)
    first_row = page.locator(ROW).element_handle()
    first_label = switch.get_attribute("aria-labelledby")
    page.evaluate(RECORD_ROWS, ROW)
    switch.click()
    page.wait_for_function("row => !row.isConnected", arg=first_row)
    assert server.wait_for_saves(1) == [Save(AI_KEY, False, 200, HOST)]
    wait_for_saves_done(page, 1)
    page.wait_for_function("() => window.rowsRendered.length === 2")
    optimistic, answered = page.evaluate("() => window.rowsRendered")
    # The optimistic row, then the row of the save's answer: each new, with new ids.
    assert (optimistic["checked"], optimistic["text"]) == ("false", "Off")
    assert (answered["checked"], answered["text"]) == ("false", "Off")
    labels = [first_label, optimistic["label"], answered["label"]]
    assert len(set(labels)) == 3, labels
    assert all(GENERATED_ID.fullmatch(label or "") for label in labels), labels
    expect(switch).to_have_attribute("aria-checked", "false")
    assert switch.get_attribute("aria-labelledby") == answered["label"]
    assert len(marks(page, "fixture:save-sent")) == 1
    assert [m["stack"] for m in marks(page, "fixture:switch-rendered")] == ["new"] * 3
    assert server.value() is False
    page.reload()
    expect(page.locator(BUTTON_SWITCH)).to_have_attribute("aria-checked", "false")


def test_a_failing_save_reverts_and_shows_an_alert(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, save_failures=-1)
    switch = page.locator(BUTTON_SWITCH)
    switch.click()
    assert server.wait_for_saves(1)[0].status == 500
    alert = page.get_by_role("alert")
    expect(alert.locator("p")).to_have_text(ALERT_TEXT)
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(by_id(page, switch.get_attribute("aria-describedby") or "")).to_have_text("On")
    assert server.value() is True


def test_checkbox_control(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, new_control="checkbox")
    switch = page.locator(CHECKBOX_SWITCH)
    expect(switch).to_be_checked()
    assert page.locator("button[role='switch']").count() == 0
    label_id = switch.get_attribute("aria-labelledby") or ""
    assert GENERATED_ID.fullmatch(label_id)
    assert by_id(page, label_id).evaluate("e => e.tagName") == "P"
    expect(page.get_by_role("switch", name=EN_LABEL, exact=True)).to_have_count(1)
    expect(page.locator(f"{ROW} p[aria-hidden='true']")).to_have_text("On")
    old = switch.element_handle()
    switch.click()
    assert server.wait_for_saves(1) == [Save(AI_KEY, False, 200, HOST)]
    page.wait_for_function("old => !old.isConnected", arg=old)
    expect(switch).not_to_be_checked()
    expect(page.locator(f"{ROW} p[aria-hidden='true']")).to_have_text("Off")


def test_busy_while_saving_then_disabled(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, busy_while_saving=True, save_delay_ms=800)
    switch = page.locator(BUTTON_SWITCH)
    switch.click()
    expect(switch).to_have_attribute("aria-busy", "true")
    expect(switch).to_be_disabled()
    expect(switch).to_have_attribute("aria-checked", "false")
    assert server.all_saves() == []
    server.wait_for_saves(1)
    expect(switch).not_to_have_attribute("aria-busy", "true")
    expect(switch).to_be_enabled()
    expect(switch).to_have_attribute("aria-checked", "false")

    open_page(page, server, disabled=True)
    expect(switch).to_be_disabled()
    expect(switch).to_have_attribute("aria-disabled", "true")
    expect(switch).to_have_attribute("aria-checked", "true")
    sent = switch.evaluate(
        "e => { e.click(); return performance.getEntriesByName('fixture:save-sent').length; }"
    )
    assert sent == 0
    expect(page.locator("main p", has_text="can't be changed")).to_have_count(1)


def test_hub_rows_are_links_holding_paragraphs(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, HUB_PATH, new_setting=True, values={"allowAdsByAge": False})
    expect(page.locator("main h1")).to_have_text("Data privacy")
    titles = ["How LinkedIn uses your data", "Advertising data", "Cookies", "Who can reach you"]
    expect(page.locator("main h2")).to_have_text(titles)
    links = page.locator("main [role='listitem'] > a[href]")
    expect(links).to_have_count(17)
    assert links.evaluate_all("as => as.every((a) => a.firstElementChild.tagName === 'P')")
    ai_row = page.get_by_role("link", name=EN_HEADING)
    expect(ai_row.locator("p")).to_have_text([EN_HEADING, "On"])
    expect(page.get_by_role("link", name="Ads by age").locator("p")).to_have_text(
        ["Ads by age", "Off"]
    )
    expect(page.get_by_role("link", name=NEW_SETTING_NAME)).to_have_count(1)
    expect(page.get_by_role("link", name="Search history").locator("p")).to_have_count(1)
    assert_hashed_classes(class_names(page))
    page.evaluate("window.sameDocument = true")
    ai_row.click()
    switch = page.get_by_role("switch", name=EN_LABEL, exact=True)
    expect(switch).to_have_attribute("aria-checked", "true")
    assert page.url == SETTING_URL
    switch.click()
    server.wait_for_saves(1)
    wait_for_saves_done(page, 1)
    page.go_back()
    expect(page.get_by_role("link", name=EN_HEADING).locator("p")).to_have_text([EN_HEADING, "Off"])
    assert page.evaluate("window.sameDocument") is True
    assert [path for path, _stack in server.served_stacks()] == [HUB_PATH]


def test_every_language_in_the_new_stack(page: Page, server: FakeLinkedIn) -> None:
    for lang, label in LABELS.items():
        open_page(page, server, lang=lang)
        assert page.get_attribute("html", "lang") == lang
        expect(page.locator("main h1")).to_have_text(HEADINGS[lang])
        switch = page.get_by_role("switch", name=label, exact=True)
        expect(switch).to_have_attribute("aria-checked", "true")


# ---------- every option in the new stack ----------


def test_2026_layout_in_the_new_stack(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, layout_2026=True)
    expect(page.get_by_role("button", name="← Back")).to_have_count(1)
    expect(page.locator("main p").first).to_have_text(
        re.compile(r"^Can LinkedIn and its affiliates")
    )
    footnote = page.locator("main p", has_text="does not include your private messages")
    expect(footnote.get_by_role("link", name="Learn more")).to_have_count(1)
    expect(page.locator("footer").get_by_role("link", name="Privacy Policy")).to_have_count(1)
    banner = page.get_by_role("region", name="Cookie consent")
    banner.get_by_role("button", name="Reject").click()
    assert [mark["choice"] for mark in marks(page, "fixture:cookie-choice")] == ["reject"]
    page.get_by_role("button", name="← Back").click()
    expect(page.locator("main h1")).to_have_text("Data privacy")


def test_decoy_duplicate_and_their_saves(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, decoy=True, duplicate=True)
    rows = page.locator(ROW)
    expect(rows).to_have_count(3)
    keys = [
        re.sub(r"_[0-9a-f]{4}$", "", key or "")
        for key in rows.evaluate_all("rows => rows.map((row) => row.getAttribute('componentkey'))")
    ]
    assert keys == [f"settingsToggle_{key}" for key in (DECOY_KEY, AI_KEY, AI_KEY)]
    decoy = page.get_by_role("switch", name="Social, economic and workplace research")
    decoy.click()
    assert server.wait_for_saves(1) == [Save(DECOY_KEY, False, 200, HOST)]
    wait_for_saves_done(page, 1)
    own = page.get_by_role("switch", name=EN_LABEL, exact=True)
    expect(own).to_have_count(2)
    own.last.click()
    server.wait_for_saves(2)
    expect(own.first).to_have_attribute("aria-checked", "false")  # both copies rendered anew
    expect(own.last).to_have_attribute("aria-checked", "false")
    assert server.saves() == [Save(AI_KEY, False, 200, HOST)]


def test_render_delay_not_offered_and_signed_out(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, render_delay_ms=400)
    expect(page.locator(BUTTON_SWITCH)).to_have_count(1)
    assert marks(page, "fixture:switch-rendered")[0]["t"] >= 400

    server.reset(stack="new", render_delay_ms=None)
    page.goto(SETTING_URL)
    page.wait_for_function("performance.getEntriesByName('fixture:values-loaded').length > 0")
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert page.locator("main, [role='switch']").count() == 0

    open_page(page, server, offered=False)
    expect(page.locator("main h1")).to_have_text("Data privacy")
    assert page.locator("[role='switch']").count() == 0
    assert page.get_by_text(EN_HEADING).count() == 0

    server.reset(stack="new", signed_in=False)
    page.goto(SETTING_URL)
    assert page.url.startswith("https://www.linkedin.com/uas/login?session_redirect=")
    assert server.served_stacks() == []


def test_undo_toast_and_values(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, undo_toast=True, values={AI_KEY: False})
    switch = page.locator(BUTTON_SWITCH)
    expect(switch).to_have_attribute("aria-checked", "false")
    switch.click()
    server.wait_for_saves(1)
    toast = page.get_by_role("status")
    expect(toast.locator("p")).to_have_text("Setting saved.")
    toast.get_by_role("button", name="Undo").click()
    assert [save.value for save in server.wait_for_saves(2)] == [True, False]
    expect(switch).to_have_attribute("aria-checked", "false")


def test_a_save_not_kept_and_a_failure_then_a_success(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, keeps_saves=False)
    page.locator(BUTTON_SWITCH).click()
    assert server.wait_for_saves(1)[0].status == 200
    page.reload()
    expect(page.locator(BUTTON_SWITCH)).to_have_attribute("aria-checked", "true")

    open_page(page, server, save_failures=1)
    switch = page.locator(BUTTON_SWITCH)
    switch.click()
    server.wait_for_saves(1)
    expect(page.get_by_role("alert")).to_be_visible()
    expect(switch).to_have_attribute("aria-checked", "true")
    switch.click()
    assert [save.status for save in server.wait_for_saves(2)] == [500, 200]
    expect(switch).to_have_attribute("aria-checked", "false")
    assert server.value() is False


def test_cookie_page_new_setting_page_and_hub_switch(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, "/mypreferences/d/member-cookies", new_setting=True)
    assert page.locator(f'[id="{COOKIE_KEY}"], [for="{COOKIE_KEY}"]').count() == 0
    row = page.locator(ROW)
    assert (row.get_attribute("componentkey") or "").startswith(f"settingsToggle_{COOKIE_KEY}_")
    switch = page.get_by_role("switch", name=SETTING_NAMES[COOKIE_KEY], exact=True)
    switch.click()
    assert server.wait_for_saves(1) == [Save(COOKIE_KEY, False, 200, HOST)]

    page.goto(url(NEW_SETTING_PATH))
    expect(page.locator("main h1")).to_have_text(NEW_SETTING_NAME)
    expect(page.locator(ROW)).to_have_attribute(
        "componentkey", re.compile(rf"^settingsToggle_{NEW_SETTING_KEY}_")
    )

    open_page(page, server, HUB_PATH, hub_switch=True)
    quick = page.locator("main section section")
    expect(quick.get_by_role("heading", name=EN_HEADING)).to_have_count(1)
    expect(quick.get_by_role("switch", name=EN_LABEL, exact=True)).to_have_count(1)


def test_busy_page_in_the_new_stack(page: Page, server: FakeLinkedIn) -> None:
    open_page(page, server, busy_mutations=400)
    page.wait_for_function("performance.getEntriesByName('fixture:busy-done').length === 1")
    expect(page.locator(BUTTON_SWITCH)).to_have_count(1)


@pytest.mark.parametrize(
    "changes",
    [
        {"stack": "react"},
        {"stack": "new", "new_control": "div"},
        {"stack": "new", "variation_seed": 3},
        {"stack": "ab", "personal_data": ("Jane Example",)},
        {"stack": "new", "reworded": True},
        {"stack": "new", "markup": "artdeco"},
        {"inverted": True, "reworded": True},
        {"values": {"noSuchSetting": True}},
    ],
)
def test_scenario_rejects_what_no_page_shows(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Scenario(**changes).validate()


# ---------- address forms ----------


def address_forms(path: str) -> list[str]:
    """Every prefix, with and without settings/, of a setting page's address."""
    slug = path.rsplit("/", 1)[1]
    prefixes = [f"/mypreferences/{prefix}/" for prefix in ADDRESS_PREFIXES]
    return [f"{prefix}{middle}{slug}" for prefix in prefixes for middle in ("settings/", "")]


SUFFIXES = ("", "/", "?li_theme=light&trk=x", "/?li_theme=light&trk=x")
# Every setting page (the new setting's too) and the partners page under its new slug.
ADDRESSED_PAGES = [
    *((path, SETTING_HEADINGS[path], keys) for path, keys in sorted(SETTING_PAGES.items())),
    (NEW_SETTING_PATH, NEW_SETTING_NAME, (NEW_SETTING_KEY,)),
    (
        "/mypreferences/s/settings/share-data-with-trusted-partners",
        SETTING_HEADINGS[PARTNERS_PATH],
        SETTING_PAGES[PARTNERS_PATH],
    ),
]
ALL_NAMES = {**SETTING_NAMES, NEW_SETTING_KEY: "Use my data to personalize AI-powered features"}


@dataclass(frozen=True)
class Address:
    """An address of a setting page, and what it shows: its heading, its switches' names."""

    url: str
    heading: str
    names: tuple[str, ...]


def every_address() -> list[Address]:
    """Each page at each form; the suffixes (none, a trailing slash, a query, both) take turns
    so that each form meets each suffix across the pages."""
    return [
        Address(
            url(form + SUFFIXES[(number + turn) % len(SUFFIXES)]),
            heading,
            tuple(ALL_NAMES[key] for key in keys),
        )
        for number, (path, heading, keys) in enumerate(ADDRESSED_PAGES)
        for turn, form in enumerate(address_forms(path))
    ]


# Runs in the page: follows each address as a link inside the app (its own single-page
# navigation) and reads what it shows: the address, the heading, each switch's label and state.
FOLLOW_IN_THE_APP = """
async (addresses) => {
  const labelOf = (control) => {
    const ids = control.getAttribute("aria-labelledby");
    if (!ids) return [...(control.labels ?? [])].map((label) => label.textContent).join(" ");
    return ids.split(/\\s+/).map((id) => document.getElementById(id)?.textContent).join(" ");
  };
  const isOn = (control) =>
    control.tagName === "INPUT" ? control.checked : control.getAttribute("aria-checked") === "true";
  const shown = [];
  for (const address of addresses) {
    const before = document.querySelector("main");
    const link = Object.assign(document.createElement("a"), { href: address });
    document.body.append(link);
    link.click();
    link.remove();
    const deadline = performance.now() + 5000;
    while (!document.querySelector("main h1") || document.querySelector("main") === before) {
      if (performance.now() > deadline) throw new Error(`${address} did not render`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const switches = [...document.querySelectorAll("[role='switch']")];
    shown.push({
      url: location.href,
      heading: document.querySelector("main h1").textContent,
      switches: switches.map((control) => [labelOf(control), isOn(control)]),
    });
  }
  return shown;
}
"""


FORMS = len(address_forms(SETTING_PATH))


def loaded_directly(addresses: list[Address], turn: int) -> list[Address]:
    """One page load per prefix, each of another page; the two stacks (turn 0 and 1) take the
    opposite settings/ form, so that each of the forms is loaded once across them."""
    return [
        addresses[(2 * number + turn) * FORMS + 2 * number + (number + turn) % 2]
        for number in range(len(ADDRESS_PREFIXES))
    ]


def followed_in_the_app(addresses: list[Address], turn: int) -> list[Address]:
    """Every other address, the two stacks taking turns: each page and each form meets both."""
    return [
        address
        for index, address in enumerate(addresses)
        if (index // FORMS + index % FORMS) % 2 == turn
    ]


@pytest.mark.parametrize("stack", ["ember", "new"])
def test_every_address_form_renders_its_page(page: Page, server: FakeLinkedIn, stack: str) -> None:
    """Every page at every form renders that page and keeps its address: a few loaded, the
    others followed inside the app (the two stacks share them)."""
    server.reset(stack=stack, new_setting=True)
    addresses = every_address()
    turn = ["ember", "new"].index(stack)
    loaded = loaded_directly(addresses, turn)
    for address in loaded:
        page.goto(address.url)
        expect(page.locator("main h1")).to_have_text(address.heading)
        expect(page.get_by_role("switch")).to_have_count(len(address.names))
        for name in address.names:
            expect(page.get_by_role("switch", name=name, exact=True)).to_be_checked()
        assert page.url == address.url  # no client-side redirect
    assert server.served_stacks() == [(urlsplit(a.url).path, stack) for a in loaded]
    followed = followed_in_the_app(addresses, turn)
    shown = page.evaluate(FOLLOW_IN_THE_APP, [address.url for address in followed])
    expected = [
        {"url": a.url, "heading": a.heading, "switches": [[name, True] for name in a.names]}
        for a in followed
    ]
    assert shown == expected


@pytest.mark.parametrize("stack", ["ember", "new"])
def test_trusted_partners_address_saves_the_partners_key(
    page: Page, server: FakeLinkedIn, stack: str
) -> None:
    server.reset(stack=stack)
    page.goto(TRUSTED_PARTNERS_URL)
    expect(page.locator("main h1")).to_have_text(SETTING_HEADINGS[PARTNERS_PATH])
    [key] = SETTING_PAGES[PARTNERS_PATH]
    page.get_by_role("switch", name=SETTING_NAMES[key], exact=True).click()
    assert server.wait_for_saves(1) == [Save(key, False, 200, HOST)]
    assert page.url == TRUSTED_PARTNERS_URL


@pytest.mark.parametrize("stack", ["ember", "new"])
def test_wrong_addresses_show_no_switch(page: Page, server: FakeLinkedIn, stack: str) -> None:
    server.reset(stack=stack)
    for path in WRONG_ADDRESSES:
        page.goto(url(path))
        expect(page.locator("main h1")).to_have_text("Settings")
        assert page.get_by_role("switch").count() == 0
        assert page.get_by_text(EN_HEADING).count() == 0


# ---------- an A/B rollout ----------


# Runs in the page: which stack it shows (its rows, its label ids) and says it was served by.
READ_STACK = f"""() => ({{
  booted: JSON.parse(document.getElementById("bootstrap-data").textContent).stack,
  newRows: document.querySelectorAll('{ROW}').length,
  labelledByKey: document.querySelectorAll('[aria-labelledby="{AI_KEY}"]').length,
}})"""


def test_ab_serves_both_stacks_and_records_each_load(page: Page, server: FakeLinkedIn) -> None:
    server.reset(stack="ab")
    shown = []
    for _ in range(20):
        page.goto(SETTING_URL)
        expect(page.get_by_role("switch", name=EN_LABEL, exact=True)).to_be_checked()
        read = page.evaluate(READ_STACK)
        stack = "new" if read["newRows"] else "ember"
        assert read == {
            "booted": stack,
            "newRows": int(stack == "new"),
            "labelledByKey": int(stack == "ember"),
        }
        shown.append(stack)
    assert server.served_stacks() == [(SETTING_PATH, stack) for stack in shown]
    assert set(shown) == {"ember", "new"}
    server.reset(stack="ab")
    assert server.served_stacks() == []


# ---------- the switch in the opposite sense ----------


@pytest.mark.parametrize("stack", ["ember", "new"])
def test_inverted_switch_in_every_language(page: Page, server: FakeLinkedIn, stack: str) -> None:
    for lang, label in INVERTED_LABELS.items():
        server.reset(stack=stack, lang=lang, inverted=True)
        page.goto(SETTING_URL)
        expect(page.locator("main h1")).to_have_text(HEADINGS[lang])
        switch = page.get_by_role("switch", name=label, exact=True)
        expect(switch).to_be_checked()  # on: the member opted out
        expect(page.get_by_role("switch")).to_have_count(1)
        assert page.get_by_text(LABELS[lang], exact=True).count() == 0
        labelled_by_key = page.locator(f'[aria-labelledby="{INVERTED_KEY}"]').count()
        assert labelled_by_key == (1 if stack == "ember" else 0)
    switch.click()
    assert server.wait_for_saves(1) == [Save(INVERTED_KEY, False, 200, HOST)]
    assert server.saves(AI_KEY) == []
    assert server.value(INVERTED_KEY) is False
    settings = page.evaluate("fetch('/voyager/api/mypreferences/settings').then((r) => r.json())")
    assert {"settingKey": INVERTED_KEY, "value": False} in settings["elements"]
    page.reload()
    expect(page.get_by_role("switch", name=INVERTED_LABELS["ja"], exact=True)).not_to_be_checked()


def test_inverted_key_starts_on_unless_values_say_not(server: FakeLinkedIn) -> None:
    assert Scenario(inverted=True).initial_values()[INVERTED_KEY] is True
    assert Scenario(values={INVERTED_KEY: False}).initial_values()[INVERTED_KEY] is False
    server.reset(inverted=True)
    assert server.value(INVERTED_KEY) is True
    server.reset()
