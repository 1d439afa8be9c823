"""What the switch covers, and the way to object to the rest, in Chromium and Firefox: the
popup's off state names exactly what LinkedIn's switch covers; below it a link opens
LinkedIn's objection form in a new tab (the extension does nothing on that page) and a button
copies an objection text in the member's language; the options page shows the same. And the
status card: sized to its content in every state, and no taller or shorter by more than one
line between a run in progress and its result."""

from __future__ import annotations

import json
from pathlib import Path

from harness.fake_linkedin import SETTING_PATH, FakeLinkedIn
from harness.session import Session, Tab, describe, set_storage, text, wait_for_text
from tests.e2e.test_verify_run import wait_for_url

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "extension" / "_locales"
RULE = "ai-training"
FORM_URL = "https://www.linkedin.com/help/linkedin/ask/TS-DPRO"
OFF_TITLE = "Off: LinkedIn will not use your data to train its content-creating AI models"
OFF_ON_PAGE_TITLE = "Off as shown on the page (not yet confirmed)"
OFF_TITLE_DE = (
    "Aus: LinkedIn verwendet Ihre Daten nicht, um seine KI-Modelle zur Erstellung von Inhalten"
    " zu trainieren"
)
NEEDED = "Data already used, and LinkedIn's other AI uses, need an objection: open LinkedIn's form"
NEEDED_DE = (
    "Bereits genutzte Daten und LinkedIns andere KI-Nutzungen erfordern einen Widerspruch:"
    " LinkedIns Formular öffnen"
)
SLOW = 20  # seconds for a whole run
# After copying the objection: the member completes the line for their grounds before sending.
COPIED = "Copied. Fill in your grounds before you send it."
COPIED_DE = "Kopiert. Tragen Sie vor dem Absenden Ihre Gründe ein."


def message(language: str, key: str) -> str:
    data = json.loads((LOCALES / language / "messages.json").read_text(encoding="utf-8"))
    return data[key]["message"]


def stored(outcome: str, **extra) -> dict:
    return {
        "rule": RULE,
        "outcome": outcome,
        "path": SETTING_PATH,
        "at": "2026-11-29T14:02:00.000Z",
        **extra,
    }


def store_latest(browser: Session, entry: dict) -> None:
    set_storage(browser, {"history": [entry], "latest": {RULE: entry}})


def objection_shown(tab: Tab) -> bool:
    return tab.evaluate("() => !document.getElementById('objection').hidden")


def normalized(tab: Tab, selector: str) -> str:
    return tab.evaluate(
        "(s) => document.querySelector(s).textContent.replace(/\\s+/g, ' ').trim()", selector
    )


def assert_accessible(tab: Tab) -> None:
    violations = tab.axe_violations()
    assert violations == [], describe(violations)


# ---------------------------------------------------------------- the words and the link


def test_off_state_says_what_the_switch_covers_and_links_the_objection_form(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    store_latest(browser, stored("turned-off", clicks=1, proof="reload"))
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", OFF_TITLE)
    assert objection_shown(popup)
    assert normalized(popup, ".objection-line") == NEEDED
    link = popup.evaluate(
        "() => { const a = document.getElementById('objection-form');"
        " return [a.href, a.target, a.rel]; }"
    )
    assert link == [FORM_URL, "_blank", "noopener"]
    assert text(popup, "#copy-objection") == "Copy objection text"
    for scheme in ("light", "dark"):
        popup.set_color_scheme(scheme)
        assert_accessible(popup)
    popup.set_color_scheme("light")

    popup.bring_to_front()
    requests_before = len(linkedin.requests())
    form = browser.expect_new_tab(lambda: popup.click("#objection-form"))
    wait_for_url(form, FORM_URL)
    assert not popup.is_closed(), "the form opens in a new tab, the popup's stays"
    # The member fills in and sends the form: the extension has no script on that page and
    # sends LinkedIn nothing.
    assert not browser.content_script_injected(form)
    sent = [(method, target) for _host, method, target in linkedin.requests()[requests_before:]]
    assert ("GET", "/help/linkedin/ask/TS-DPRO") in sent
    assert [request for request in sent if request[0] != "GET"] == [], "nothing was submitted"
    assert [target for _method, target in sent if "/api/" in target] == []
    assert linkedin.all_saves() == []


def test_states_other_than_off_offer_no_objection_line(browser: Session) -> None:
    store_latest(browser, stored("on", reason="automatic-off"))
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", "On: LinkedIn may train AI on your data")
    assert not objection_shown(popup)
    store_latest(browser, stored("already-off", clicks=0, proof="page"))
    wait_for_text(popup, "#status-title", OFF_ON_PAGE_TITLE)
    assert objection_shown(popup), "off as read on the page is off too"


def test_copy_objection_text_in_english(browser: Session) -> None:
    store_latest(browser, stored("turned-off", clicks=1, proof="reload"))
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", OFF_TITLE)
    popup.click("#copy-objection")
    wait_for_text(popup, "#objection-copied", COPIED)
    live = popup.evaluate(
        "() => { const s = document.getElementById('objection-copied');"
        " return [s.getAttribute('role'), s.getAttribute('aria-live')]; }"
    )
    assert live == ["status", "polite"]
    copied = browser.read_clipboard()
    assert copied == message("en", "objectionText")
    for words in (
        "Article 21 GDPR where it applies to me",
        "otherwise under the data protection law that applies to me",
        "I object to the use of my personal data and content for training AI models",
        "including models that do not create content",
        "already used for such training",
        "Please stop this processing",
    ):
        assert words in copied, words


def test_copy_objection_text_in_german(german_browser: Session) -> None:
    store_latest(german_browser, stored("turned-off", clicks=1, proof="reload"))
    popup = german_browser.open_popup()
    wait_for_text(popup, "#status-title", OFF_TITLE_DE)
    assert normalized(popup, ".objection-line") == NEEDED_DE
    assert text(popup, "#copy-objection") == "Widerspruchstext kopieren"
    popup.click("#copy-objection")
    wait_for_text(popup, "#objection-copied", COPIED_DE)
    copied = german_browser.read_clipboard()
    assert copied == message("de", "objectionText")
    for words in (
        "nach Art. 21 DSGVO, soweit sie für mich gilt",
        "widerspreche ich der Nutzung meiner personenbezogenen Daten und Inhalte",
        "zum Trainieren von KI-Modellen, auch von Modellen, die keine Inhalte erstellen",
        "die bereits für ein solches Training verwendet wurden",
    ):
        assert words in copied, words


def test_options_page_shows_the_objection_under_the_ai_setting_when_off(browser: Session) -> None:
    options = browser.open_extension_page("options/options.html")
    row = "document.getElementById('include-ai-training')?.closest('.setting')"
    assert options.wait_until(f"() => {row}?.querySelector('.objection') != null")
    assert options.evaluate(f"() => {row}.querySelector('.objection').hidden") is True
    assert options.evaluate("() => document.querySelectorAll('.objection').length") == 1

    options.close()

    store_latest(browser, stored("turned-off", clicks=1, proof="reload"))
    options = browser.open_extension_page("options/options.html")
    assert options.wait_until(f"() => {row}?.querySelector('.objection')?.hidden === false")
    block = options.evaluate(
        f"() => {{ const b = {row}.querySelector('.objection'); const a = b.querySelector('a');"
        " return [b.querySelector('.covers').textContent, a.href, a.target, a.rel]; }"
    )
    assert block == [
        "LinkedIn will not use your data to train its content-creating AI models. The switch does"
        " not cover data already used, or AI models that do not create content, such as the"
        " Hiring Assistant's and those for safety and security.",
        FORM_URL,
        "_blank",
        "noopener",
    ]
    options.bring_to_front()
    options.click(".copy-objection")  # a real click: the clipboard needs the member's gesture
    copied = f"() => {row}.querySelector('.copied').textContent === {json.dumps(COPIED)}"
    assert options.wait_until(copied)
    assert browser.read_clipboard() == message("en", "objectionText")
    assert_accessible(options)


def test_first_run_page_shows_the_objection_when_off(browser: Session) -> None:
    store_latest(browser, stored("turned-off", clicks=1, proof="reload"))
    page = browser.open_extension_page("welcome/welcome.html")
    row = "document.getElementById('include-ai-training')?.closest('.setting')"
    assert page.wait_until(f"() => {row}?.querySelector('.objection')?.hidden === false")
    assert_accessible(page)


# ---------------------------------------------------------------- the status card

CARD = """() => {
  const card = document.getElementById('status');
  const box = card.getBoundingClientRect();
  const style = getComputedStyle(card);
  const inner = box.bottom - parseFloat(style.paddingBottom) - parseFloat(style.borderBottomWidth);
  const shown = [...card.children].filter((child) => child.getBoundingClientRect().height > 0);
  const contentBottom = Math.max(...shown.map((child) => child.getBoundingClientRect().bottom));
  const line = parseFloat(getComputedStyle(document.getElementById('status-detail')).lineHeight);
  return { state: card.dataset.state, height: box.height, empty: inner - contentBottom, line };
}"""

# the card's state -> a stored result that shows it (on, signed out and failed have the
# longest texts of their kinds)
CARD_STATES = {
    "off": stored("turned-off", clicks=1, proof="reload"),
    "on": stored("on", reason="automatic-off"),
    "signed-out": stored("signed-out"),
    "failed": stored("failed", reason="save-error", clicks=2),
    "not-found": stored("not-found"),
}


def card(tab: Tab) -> dict:
    return tab.evaluate(CARD)


def test_status_card_fits_its_content_in_every_state(browser: Session) -> None:
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", "Not checked yet")
    measured = {"unknown": card(popup)}
    for state, entry in CARD_STATES.items():
        store_latest(browser, entry)
        shown = "(state) => document.getElementById('status').dataset.state === state"
        assert popup.wait_until(shown, state), state
        measured[state] = card(popup)
    for state, shape in measured.items():
        assert shape["line"] > 10, shape
        assert shape["empty"] <= shape["line"], f"{state}: {shape}"


def test_status_card_keeps_its_height_from_a_run_to_its_result(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    linkedin.reset(busy_while_saving=True, save_delay_ms=3000)
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", "Not checked yet")
    popup.bring_to_front()
    tab = browser.expect_new_tab(lambda: popup.click("#opt-out-now"))
    wait_for_text(popup, "#progress", "Switching off…", timeout=SLOW)
    running = card(popup)
    assert running["state"] == "running"
    assert (
        text(popup, "#progress-note")
        == "LinkedIn's page opens in a background tab. You can close this popup: the run goes on."
    )
    assert running["empty"] <= running["line"], running

    wait_for_text(popup, "#status-title", OFF_TITLE, timeout=SLOW)
    tab.wait_closed()
    result = card(popup)
    assert result["state"] == "off"
    assert result["empty"] <= result["line"], result
    assert abs(result["height"] - running["height"]) <= running["line"], (running, result)
    assert text(popup, "#progress") == ""
