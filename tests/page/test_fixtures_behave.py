"""The fake LinkedIn behaves like LinkedIn, in a real Chromium with no extension loaded."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Locator, Page, expect

from harness.fake_linkedin import (
    AI_KEY,
    DECOY_KEY,
    HUB_URL,
    LOOKALIKE_HOST,
    SETTING_PATH,
    SETTING_URL,
    FakeLinkedIn,
    Save,
)

EN_HEADING = "Data for Generative AI Improvement"
EN_LABEL = "Use my data for training content creation AI models"
AI_SWITCH = f'[role="switch"][aria-labelledby="{AI_KEY}"]'
ARTDECO_SWITCH = "#adToggle_ember260"
ALERT_TEXT = "Something went wrong. Please try again."


def open_setting(page: Page, url: str = SETTING_URL) -> Locator:
    page.goto(url)
    switch = page.locator(AI_SWITCH)
    expect(switch).to_have_count(1)
    return switch


# Runs in the page: what the document held when DOMContentLoaded fired (the app's module
# script has run by then), recorded without a round trip to the test.
SNAPSHOT_AT_DOM_CONTENT_LOADED = """
addEventListener("DOMContentLoaded", () => {
  const count = (selector) => document.querySelectorAll(selector).length;
  window.atDomContentLoaded = {
    switches: count('[role="switch"]'),
    loaders: count('[role="progressbar"]'),
    mains: count("main"),
  };
});
"""


def marks(page: Page, name: str) -> list[dict]:
    script = "name => performance.getEntriesByName(name).map(m => ({t: m.startTime, ...m.detail}))"
    return page.evaluate(script, name)


# ---------- the canonical page ----------


def test_setting_page_at_the_real_address(page: Page, server: FakeLinkedIn) -> None:
    switch = open_setting(page)
    assert page.url == SETTING_URL
    assert page.evaluate("location.origin") == "https://www.linkedin.com"
    assert page.get_attribute("html", "lang") == "en"
    assert page.title() == "Settings | LinkedIn"
    expect(page.locator("main h1")).to_have_text(EN_HEADING)
    expect(page.locator(f"#{AI_KEY}")).to_have_text(EN_LABEL)
    expect(page.get_by_role("switch", name=EN_LABEL)).to_be_checked()
    assert switch.evaluate("e => e.tagName") == "INPUT"
    assert page.locator("[componentkey][data-testid]").count() >= 1
    hosts = {host for host, _method, _path in server.requests()}
    assert hosts == {"www.linkedin.com"}
    assert marks(page, "fixture:switch-rendered")


def test_switch_appears_after_the_render_delay(page: Page, server: FakeLinkedIn) -> None:
    server.reset(render_delay_ms=600)
    page.add_init_script(SNAPSHOT_AT_DOM_CONTENT_LOADED)
    page.goto(SETTING_URL)
    expect(page.locator(AI_SWITCH)).to_be_checked()
    at_load = page.evaluate("window.atDomContentLoaded")
    assert at_load == {"switches": 0, "loaders": 1, "mains": 0}
    rendered = marks(page, "fixture:switch-rendered")[0]["t"]
    assert rendered >= 600
    expect(page.get_by_role("progressbar")).to_have_count(0)


def test_never_rendering_page_keeps_the_spinner(page: Page, server: FakeLinkedIn) -> None:
    server.reset(render_delay_ms=None)
    page.goto(SETTING_URL)
    page.wait_for_function("performance.getEntriesByName('fixture:values-loaded').length > 0")
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert page.locator("main").count() == 0
    assert page.locator('[role="switch"]').count() == 0


@pytest.mark.parametrize(
    "url",
    [
        SETTING_URL + "/",
        SETTING_URL + "?trk=settings_page",
        "https://www.linkedin.com/mypreferences/m/settings/data-for-ai-improvement",
    ],
)
def test_url_variants_render_the_setting(page: Page, url: str) -> None:
    open_setting(page, url)
    expect(page.locator("main h1")).to_have_text(EN_HEADING)


# ---------- saving ----------


def test_real_click_saves_false_and_it_persists(page: Page, server: FakeLinkedIn) -> None:
    switch = open_setting(page)
    switch.click()
    expect(switch).not_to_be_checked()  # optimistic flip
    assert server.wait_for_saves(1) == [Save(AI_KEY, False, 200, "www.linkedin.com")]
    assert server.value() is False
    page.reload()
    expect(page.locator(AI_SWITCH)).not_to_be_checked()


def test_element_click_from_script_saves(page: Page, server: FakeLinkedIn) -> None:
    switch = open_setting(page)
    switch.evaluate("e => e.click()")
    assert server.wait_for_saves(1)[0].value is False
    expect(switch).not_to_be_checked()
    page.wait_for_function("performance.getEntriesByName('fixture:save-done').length === 1")
    assert marks(page, "fixture:save-done")[0]["status"] == 200


def test_failed_save_reverts_and_shows_an_alert(page: Page, server: FakeLinkedIn) -> None:
    server.reset(save_failures=-1)
    switch = open_setting(page)
    switch.click()
    assert server.wait_for_saves(1)[0].status == 500
    expect(page.get_by_role("alert")).to_have_text(re.compile(ALERT_TEXT))
    expect(switch).to_be_checked()
    assert server.value() is True


def test_error_toast_goes_away_after_a_few_seconds(page: Page, server: FakeLinkedIn) -> None:
    server.reset(save_failures=-1)
    page.clock.install()
    switch = open_setting(page)
    switch.click()
    server.wait_for_saves(1)
    expect(page.get_by_role("alert")).to_be_visible()
    page.clock.run_for(5000)
    expect(page.get_by_role("alert")).to_have_count(0)


def test_fail_once_then_succeed(page: Page, server: FakeLinkedIn) -> None:
    server.reset(save_failures=1)
    switch = open_setting(page)
    switch.click()
    server.wait_for_saves(1)
    expect(page.get_by_role("alert")).to_be_visible()
    expect(switch).to_be_checked()
    switch.click()
    assert [save.status for save in server.wait_for_saves(2)] == [500, 200]
    expect(switch).not_to_be_checked()
    assert server.value() is False


def test_busy_while_a_slow_save_is_pending(page: Page, server: FakeLinkedIn) -> None:
    server.reset(busy_while_saving=True, save_delay_ms=1500)
    switch = open_setting(page)
    switch.click()
    expect(switch).to_have_attribute("aria-busy", "true")
    expect(switch).to_be_disabled()
    expect(switch).not_to_be_checked()
    assert server.all_saves() == []
    server.wait_for_saves(1)
    expect(switch).not_to_have_attribute("aria-busy", "true")
    expect(switch).to_be_enabled()
    expect(switch).not_to_be_checked()


def test_second_click_while_pending_is_ignored(page: Page, server: FakeLinkedIn) -> None:
    server.reset(save_delay_ms=800)
    switch = open_setting(page)
    switch.dblclick()  # two real clicks, the second while the first save is pending
    expect(switch).not_to_be_checked()
    page.wait_for_function("performance.getEntriesByName('fixture:save-done').length === 1")
    assert len(marks(page, "fixture:save-sent")) == 1
    assert server.all_saves() == [Save(AI_KEY, False, 200, "www.linkedin.com")]


def test_replace_after_save_gives_a_new_element(page: Page, server: FakeLinkedIn) -> None:
    server.reset(replace_after_save=True)
    switch = open_setting(page)
    old = switch.element_handle()
    switch.click()
    server.wait_for_saves(1)
    page.wait_for_function("old => !old.isConnected", arg=old)
    expect(switch).not_to_be_checked()
    assert switch.evaluate("(fresh, old) => fresh !== old", old)
    assert len(marks(page, "fixture:switch-rendered")) == 2


# ---------- page shapes ----------


@pytest.mark.parametrize("value", [True, False])
@pytest.mark.parametrize("markup", ["modern", "artdeco", "hashed", "button"])
def test_markup_variant_state_reads_and_toggles(
    page: Page, server: FakeLinkedIn, markup: str, value: bool
) -> None:
    server.reset(markup=markup, value=value)
    page.goto(SETTING_URL)
    selector = ARTDECO_SWITCH if markup == "artdeco" else AI_SWITCH
    switch = page.locator(selector)
    expect(switch).to_have_count(1)
    expect(page.get_by_role("switch", name=EN_LABEL)).to_have_count(1)
    assert read_state(switch) is value
    switch.click()
    assert server.wait_for_saves(1)[0].value is (not value)
    expect(switch).to_have_attribute("role", "switch")
    page.wait_for_function("performance.getEntriesByName('fixture:save-done').length === 1")
    assert read_state(switch) is (not value)


def read_state(switch: Locator) -> bool:
    """checked for an input, aria-checked for a button; artdeco keeps all three in sync."""
    tag = switch.evaluate("e => e.tagName")
    if tag == "BUTTON":
        return switch.get_attribute("aria-checked") == "true"
    checked = switch.is_checked()
    if switch.get_attribute("aria-checked") is not None:  # artdeco
        assert switch.get_attribute("aria-checked") == str(checked).lower()
        text = switch.locator("xpath=..").locator(".artdeco-toggle__text")
        assert text.text_content() == ("On" if checked else "Off")
    return checked


def test_artdeco_markup_is_labelled_by_text_only(page: Page, server: FakeLinkedIn) -> None:
    server.reset(markup="artdeco")
    page.goto(SETTING_URL)
    toggle = page.locator("div.artdeco-toggle")
    expect(toggle).to_have_count(1)
    assert page.locator("[aria-labelledby]").count() == 0
    label = toggle.locator('label[for="adToggle_ember260"] span.label.a11y-text')
    expect(label).to_have_text(EN_LABEL)
    expect(toggle.locator('input[type="checkbox"][role="switch"]')).to_be_checked()


def test_hashed_markup_has_no_semantic_class_names(page: Page, server: FakeLinkedIn) -> None:
    server.reset(markup="hashed")
    open_setting(page)
    classes = page.eval_on_selector_all("main [class]", "els => els.map(e => e.className)")
    names = {name for value in classes for name in value.split()}
    assert names
    assert all(re.fullmatch(r"_[0-9a-f]{6}", name) for name in names), names


def test_renamed_aria_key(page: Page, server: FakeLinkedIn) -> None:
    server.reset(aria_key="allowAIDataUsage")
    page.goto(SETTING_URL)
    switch = page.locator('[role="switch"][aria-labelledby="allowAIDataUsage"]')
    expect(switch).to_be_checked()
    assert page.locator(AI_SWITCH).count() == 0
    expect(page.locator("#allowAIDataUsage")).to_have_text(EN_LABEL)
    switch.click()
    assert server.wait_for_saves(1)[0].key == AI_KEY


LOCALIZED = {
    "de": "Ihre Daten zum Schulen von KI-Modellen verwenden, um Inhalte zu erstellen",
    "fr": "Utiliser mes données pour entraîner des modèles d'IA de création de contenu",
    "es": "Usar mis datos para entrenar modelos de IA de creación de contenido",
    "pt-BR": "Usar meus dados para treinar modelos de IA para criar conteúdos",
    "it": "Usa i miei dati per addestrare modelli di IA per la creazione di contenuti",
    "nl": "Mijn gegevens gebruiken voor training van AI-modellen waarmee content wordt gemaakt",
    "ja": "コンテンツ作成AIモデルのトレーニングにデータを使用する",
}


@pytest.mark.parametrize("lang", sorted(LOCALIZED))
def test_localized_page(page: Page, server: FakeLinkedIn, lang: str) -> None:
    server.reset(lang=lang)
    open_setting(page)
    assert page.get_attribute("html", "lang") == lang
    expect(page.locator(f"#{AI_KEY}")).to_have_text(LOCALIZED[lang])
    expect(page.locator("main h1")).not_to_have_text(EN_HEADING)


def test_decoy_renders_first_and_saves_its_own_key(page: Page, server: FakeLinkedIn) -> None:
    server.reset(decoy=True)
    switch = open_setting(page)
    switches = page.locator('[role="switch"]')
    expect(switches).to_have_count(2)
    assert switches.first.get_attribute("aria-labelledby") == DECOY_KEY
    expect(page.locator(f"#{DECOY_KEY}")).to_have_text("Social, economic and workplace research")
    expect(switches.first).to_be_checked()
    switches.first.click()
    assert server.wait_for_saves(1) == [Save(DECOY_KEY, False, 200, "www.linkedin.com")]
    assert server.value(DECOY_KEY) is False
    assert server.value() is True
    switch.click()
    server.wait_for_saves(2)
    assert server.saves() == [Save(AI_KEY, False, 200, "www.linkedin.com")]


def test_duplicate_switch(page: Page, server: FakeLinkedIn) -> None:
    server.reset(duplicate=True)
    page.goto(SETTING_URL)
    expect(page.locator(AI_SWITCH)).to_have_count(2)
    expect(page.locator(f'[id="{AI_KEY}"]')).to_have_count(2)


def test_disabled_switch_does_not_save(page: Page, server: FakeLinkedIn) -> None:
    server.reset(disabled=True)
    switch = open_setting(page)
    expect(switch).to_be_disabled()
    expect(switch).to_be_checked()
    sent = switch.evaluate(
        "e => { e.click(); return performance.getEntriesByName('fixture:save-sent').length; }"
    )
    assert sent == 0
    expect(switch).to_be_checked()


def test_disabled_button_variant(page: Page, server: FakeLinkedIn) -> None:
    server.reset(disabled=True, markup="button")
    switch = open_setting(page)
    expect(switch).to_be_disabled()
    expect(switch).to_have_attribute("aria-disabled", "true")


def test_setting_not_offered(page: Page, server: FakeLinkedIn) -> None:
    server.reset(offered=False)
    page.goto(SETTING_URL)
    expect(page.locator("main h1")).to_have_text("Data privacy")
    expect(page.locator("nav").first).to_be_visible()
    assert page.locator('[role="switch"]').count() == 0
    assert page.get_by_text(EN_HEADING).count() == 0
    assert page.get_by_text(EN_LABEL).count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/mypreferences/d/settings/data-for-generative-ai-improvement",
        "/mypreferences/d/settings/data-for-generative-ai",
        "/mypreferences/d/categories/account",
    ],
)
def test_other_settings_paths_have_no_switch(page: Page, path: str) -> None:
    page.goto(f"https://www.linkedin.com{path}")
    expect(page.locator("main h1")).to_be_visible()
    assert page.locator('[role="switch"]').count() == 0


# ---------- signed out, other pages, hosts ----------


@pytest.mark.parametrize(
    ("target", "expected_prefix", "param"),
    [
        ("uas-login", "https://www.linkedin.com/uas/login?session_redirect=", "session_redirect"),
        ("authwall", "https://www.linkedin.com/authwall?trk=", "sessionRedirect"),
    ],
)
def test_signed_out_redirects_to_sign_in(
    page: Page, server: FakeLinkedIn, target: str, expected_prefix: str, param: str
) -> None:
    server.reset(signed_in=False, signed_out_to=target)
    original = SETTING_URL + "?trk=x"
    response = page.goto(original)
    assert response is not None and response.ok
    redirect = response.request.redirected_from
    assert redirect is not None and redirect.response() is not None
    assert redirect.response().status == 302
    assert page.url.startswith(expected_prefix)
    assert f"{param}={quote(original, safe='')}" in page.url
    expect(page.locator('input[type="password"]')).to_be_visible()
    assert page.locator('[role="switch"]').count() == 0


@pytest.mark.parametrize(
    "path", ["/feed/", "/in/some-member/", "/messaging/", "/login", "/checkpoint/challenge"]
)
def test_non_settings_pages(page: Page, path: str) -> None:
    response = page.goto(f"https://www.linkedin.com{path}")
    assert response is not None and response.status == 200
    assert response.headers["cache-control"] == "no-store"
    expect(page.locator("main h1")).to_be_visible()
    assert page.locator('[role="switch"]').count() == 0


def test_unknown_path_is_404(page: Page) -> None:
    response = page.goto("https://www.linkedin.com/no/such/page")
    assert response is not None and response.status == 404


def test_lookalike_host_is_served_and_recorded(page: Page, server: FakeLinkedIn) -> None:
    switch = open_setting(page, f"https://{LOOKALIKE_HOST}{SETTING_PATH}")
    switch.click()
    assert server.wait_for_saves(1) == [Save(AI_KEY, False, 200, LOOKALIKE_HOST)]
    assert server.requests()[0] == (LOOKALIKE_HOST, "GET", SETTING_PATH)


# ---------- single-page navigation ----------


def test_hub_row_navigates_inside_the_app(page: Page, server: FakeLinkedIn) -> None:
    page.goto(HUB_URL)
    expect(page.get_by_role("heading", name="How LinkedIn uses your data")).to_be_visible()
    row = page.get_by_role("link", name=EN_HEADING)
    expect(row).to_contain_text("On")
    page.evaluate("window.sameDocument = true")
    row.click()
    expect(page.locator(AI_SWITCH)).to_be_checked()
    assert page.url == SETTING_URL
    assert page.evaluate("window.sameDocument") is True
    documents = [r for r in server.requests() if r[2].startswith("/mypreferences/")]
    assert documents == [("www.linkedin.com", "GET", "/mypreferences/d/categories/privacy")]
    page.locator(AI_SWITCH).click()
    server.wait_for_saves(1)
    page.go_back()
    expect(page.get_by_role("link", name=EN_HEADING)).to_contain_text("Off")
    assert page.url == HUB_URL
    assert page.evaluate("window.sameDocument") is True


# ---------- the 2026 page, a redesign, a rebuilt switch ----------


def test_2026_page_shows_what_a_member_sees(page: Page, server: FakeLinkedIn) -> None:
    server.reset(layout_2026=True)
    switch = open_setting(page)
    nav = page.get_by_role("navigation", name="Settings")
    expect(nav.get_by_role("link", name="Data privacy")).to_have_count(1)
    expect(page.get_by_role("button", name="← Back")).to_have_count(1)
    question = re.compile(r"^Can LinkedIn and its affiliates")
    expect(page.locator("main p").first).to_have_text(question)
    state = page.locator("main [aria-hidden='true']", has_text=re.compile("^(On|Off)$"))
    expect(state).to_have_text("On")
    footnote = page.locator("main p", has_text="does not include your private messages")
    expect(footnote.get_by_role("link", name="Learn more")).to_have_count(1)
    expect(page.locator("footer").get_by_role("link", name="Privacy Policy")).to_have_count(1)
    switch.click()
    server.wait_for_saves(1)
    expect(state).to_have_text("Off")


@pytest.mark.parametrize("choice", ["Accept", "Reject"])
def test_cookie_banner_records_a_click(page: Page, server: FakeLinkedIn, choice: str) -> None:
    server.reset(layout_2026=True)
    open_setting(page)
    banner = page.get_by_role("region", name="Cookie consent")
    expect(banner).to_have_count(1)
    assert banner.locator("[role='switch'], input[type='checkbox']").count() == 0
    assert marks(page, "fixture:cookie-choice") == []
    banner.get_by_role("button", name=choice).click()
    assert [mark["choice"] for mark in marks(page, "fixture:cookie-choice")] == [choice.lower()]
    expect(banner).to_have_count(0)


def test_artdeco_click_handler_sits_on_the_wrapper(page: Page, server: FakeLinkedIn) -> None:
    """A click anywhere on the Ember toggle saves once (a click on its label too), and the
    four places that mirror the state agree."""
    server.reset(markup="artdeco")
    page.goto(SETTING_URL)
    wrapper = page.locator("div.artdeco-toggle")
    mirrors = """w => [w.classList.contains('artdeco-toggle--toggled'),
      w.querySelector('[data-artdeco-toggled]').getAttribute('data-artdeco-toggled') === 'true',
      w.querySelector('input').getAttribute('aria-checked') === 'true',
      w.querySelector('input').checked]"""
    assert wrapper.evaluate(mirrors) == [True] * 4
    wrapper.locator(".artdeco-toggle__text").click(force=True)  # the wrapper, not the input
    page.wait_for_function("performance.getEntriesByName('fixture:save-done').length === 1")
    assert [save.value for save in server.all_saves()] == [False]
    assert wrapper.evaluate(mirrors) == [False] * 4
    # The label is visually hidden (a11y-text): clicked as assistive technology would.
    page.locator("label.artdeco-toggle__label").evaluate("label => label.click()")
    page.wait_for_function("performance.getEntriesByName('fixture:save-done').length === 2")
    assert [save.value for save in server.all_saves()] == [False, True]
    assert wrapper.evaluate(mirrors) == [True] * 4


def test_div_switch_is_named_by_nothing_but_its_row(page: Page, server: FakeLinkedIn) -> None:
    server.reset(markup="div")
    page.goto(SETTING_URL)
    switch = page.locator('div[role="switch"]')
    expect(switch).to_have_attribute("aria-checked", "true")
    for attribute in ("id", "aria-labelledby", "aria-label", "title"):
        assert switch.get_attribute(attribute) is None
    assert page.locator("main label").count() == 0
    row = switch.locator("xpath=../..")
    expect(row).to_have_text(EN_LABEL)
    switch.click()
    assert server.wait_for_saves(1)[0].value is False
    expect(switch).to_have_attribute("aria-checked", "false")


def test_redesign_renames_every_key_and_rewords_every_label(
    page: Page, server: FakeLinkedIn
) -> None:
    server.reset(reworded=True, lang="de")
    page.goto(SETTING_URL)
    reworded = "Nutzung meiner Daten für das Training von KI erlauben, die Inhalte generiert"
    switch = page.get_by_role("switch", name=reworded)
    expect(switch).to_have_count(1)
    assert page.locator(f"#{AI_KEY}, [aria-labelledby~='{AI_KEY}']").count() == 0
    switch.click()
    assert [(s.key, s.value) for s in server.wait_for_saves(1)] == [(AI_KEY, False)]


def test_hub_switch(page: Page, server: FakeLinkedIn) -> None:
    server.reset(hub_switch=True)
    page.goto(HUB_URL)
    section = page.locator("main section section")
    expect(section.get_by_role("heading", name=EN_HEADING)).to_have_count(1)
    expect(page.locator("main [role='switch']")).to_have_count(1)
