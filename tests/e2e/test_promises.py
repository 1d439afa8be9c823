"""Honest promises in the popup and the options page (issue 24), in Chromium and Firefox:

- the objection text copied has a line for the member's grounds and names what the switch
  leaves out, and the line under a setting shown off says what the switch does not cover;
- the popup has no empty block: every list is as tall as its lines, in every state;
- Copy diagnostics shows the exact text first, and Copy puts that text, and nothing else, on
  the clipboard."""

from __future__ import annotations

import json

from harness.fake_linkedin import SETTING_PATH, FakeLinkedIn
from harness.session import Session, Tab, describe, set_storage, text, wait_for_text
from tests.e2e.test_diagnostics import PERSONAL, ambiguous_visit_with_personal_data

RULE = "ai-training"
OFF_TITLE = "Off: LinkedIn will not use your data to train its content-creating AI models"
SLOW = 20  # seconds for a whole run


def stored(outcome: str, rule: str = RULE, **extra) -> dict:
    path = (
        SETTING_PATH
        if rule == RULE
        else "/mypreferences/d/settings/share-data-with-select-partners"
    )
    return {
        "rule": rule,
        "outcome": outcome,
        "path": path,
        "at": "2026-11-29T14:02:00.000Z",
        **extra,
    }


def store_latest(browser: Session, *entries: dict) -> None:
    set_storage(
        browser,
        {"history": list(entries), "latest": {entry["rule"]: entry for entry in entries}},
    )


def assert_accessible(tab: Tab) -> None:
    violations = tab.axe_violations()
    assert violations == [], describe(violations)


# ---------------------------------------------------------------- the objection

GROUNDS = "My grounds, relating to my particular situation: …"
BEYOND_THE_SWITCH = (
    "the training of AI models of Microsoft and your other affiliates with my content",
    "AI models for the recruiting tool Hiring Assistant and for safety and security",
    "the use of my messages in groups",
)
COPIED = "Copied. Fill in your grounds before you send it."
COVERS = (
    "LinkedIn will not use your data to train its content-creating AI models. The switch does not"
    " cover data already used, or AI models that do not create content, such as the Hiring"
    " Assistant's and those for safety and security."
)


def assert_objection(copied: str) -> None:
    paragraphs = copied.split("\n\n")
    assert GROUNDS in paragraphs, copied
    assert paragraphs.index(GROUNDS) < paragraphs.index(
        "Please stop this processing and confirm to me that you have done so."
    )
    for words in BEYOND_THE_SWITCH:
        assert words in copied, words


def test_the_objection_leaves_a_line_for_the_members_grounds(browser: Session) -> None:
    """In the popup and on the options page: the copied objection names what the switch leaves
    out, holds a line for the member's grounds, and the member is told to complete it."""
    store_latest(browser, stored("turned-off", clicks=1, proof="reload"))
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", OFF_TITLE)
    popup.bring_to_front()
    popup.click("#copy-objection")
    wait_for_text(popup, "#objection-copied", COPIED)
    assert_objection(browser.read_clipboard())

    options = browser.open_extension_page("options/options.html")
    row = "document.getElementById('include-ai-training')?.closest('.setting')"
    assert options.wait_until(f"() => {row}?.querySelector('.objection')?.hidden === false")
    assert options.evaluate(f"() => {row}.querySelector('.covers').textContent") == COVERS
    options.bring_to_front()
    options.click(".copy-objection")
    copied = f"() => {row}.querySelector('.copied').textContent === {json.dumps(COPIED)}"
    assert options.wait_until(copied)
    assert_objection(browser.read_clipboard())
    assert_accessible(options)


# ---------------------------------------------------------------- no empty block

# The widest horizontal band of the popup where nothing is drawn (no text, control, image or
# painted background; a list's lines count only where the list shows them), and how far the
# page goes on below the last thing drawn.
EMPTY_SPACE = """() => {
  const main = document.querySelector("main");
  const visible = (rect, node) => {
    let [top, bottom] = [rect.top, rect.bottom];
    for (let el = node.parentElement; el && el !== document.body; el = el.parentElement) {
      if (getComputedStyle(el).overflowY === "visible") continue;
      const box = el.getBoundingClientRect();
      [top, bottom] = [Math.max(top, box.top), Math.min(bottom, box.bottom)];
    }
    return bottom > top ? [top, bottom] : null;
  };
  const drawn = [];
  const texts = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) drawn.push(visible(rect, node));
  }
  for (const el of main.querySelectorAll("*")) {
    const background = getComputedStyle(el).backgroundColor;
    const painted = background !== "transparent" && !/^rgba\\(.*, 0\\)$/.test(background);
    if (!el.matches("button, input, img") && !painted) continue;
    for (const rect of el.getClientRects()) drawn.push(visible(rect, el));
  }
  const bands = drawn.filter(Boolean).sort((a, b) => a[0] - b[0]);
  let [widest, reached, where] = [0, bands[0][1], null];
  for (const [top, bottom] of bands) {
    if (top - reached > widest) [widest, where] = [top - reached, Math.round(reached)];
    reached = Math.max(reached, bottom);
  }
  const page = document.body.getBoundingClientRect().bottom;
  return { widest: Math.round(widest), at: where, below: Math.round(page - reached) };
}"""
# The popup's blocks are 12 px apart, a list's lines 7 px; a line of 12 px text is about 17 px.
WIDEST_GAP = 24
BELOW_LAST = 16


def empty_space(popup: Tab) -> dict:
    return popup.evaluate(EMPTY_SPACE)


def test_the_popup_has_no_empty_block_in_any_state(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    measured = {}
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", "Not checked yet")
    assert popup.evaluate("() => !document.getElementById('record-empty').hidden")
    measured["no record"] = empty_space(popup)

    store_latest(browser, stored("turned-off", clicks=1, proof="reload"))
    assert popup.wait_until("() => document.querySelectorAll('#record-list li').length === 1")
    wait_for_text(popup, "#status-title", OFF_TITLE)
    measured["one line in the record"] = empty_space(popup)

    set_storage(browser, {"chosen": [RULE, "share-with-partners"]})
    store_latest(
        browser,
        stored("turned-off", clicks=1, proof="reload"),
        stored("not-found", rule="share-with-partners"),
    )
    assert popup.wait_until("() => document.querySelectorAll('#chosen-list li').length === 2")
    assert popup.wait_until("() => document.querySelectorAll('#record-list li').length === 2")
    measured["two settings chosen"] = empty_space(popup)

    set_storage(browser, {"chosen": [RULE], "history": [], "latest": {}})
    wait_for_text(popup, "#status-title", "Not checked yet")
    linkedin.reset(busy_while_saving=True, save_delay_ms=3000)
    popup.bring_to_front()
    tab = browser.expect_new_tab(lambda: popup.click("#opt-out-now"))
    wait_for_text(popup, "#progress", "Switching off…", timeout=SLOW)
    measured["a run going"] = empty_space(popup)
    wait_for_text(popup, "#status-title", OFF_TITLE, timeout=SLOW)
    tab.wait_closed()
    measured["the run's result"] = empty_space(popup)

    for state, space in measured.items():
        assert space["widest"] < WIDEST_GAP, f"{state}: {space}"
        assert space["below"] <= BELOW_LAST, f"{state}: {space}"


# ---------------------------------------------------------------- diagnostics shown first

SHOWN = "() => document.getElementById('diagnostics-text').textContent"


def test_copy_diagnostics_shows_the_exact_text_it_copies(
    browser: Session, linkedin: FakeLinkedIn
) -> None:
    ambiguous_visit_with_personal_data(browser, linkedin)
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", "Could not find the setting")
    # Something else on the clipboard first, by the member's own click: the record.
    popup.bring_to_front()
    popup.click("#copy-record")
    wait_for_text(popup, "#copied", "Copied")
    before = browser.read_clipboard()
    assert "When this setting is off, LinkedIn will not use your data" in before, before

    popup.bring_to_front()
    popup.click("#copy-diagnostics")
    assert popup.wait_until("() => !document.getElementById('diagnostics-preview').hidden")
    assert (
        popup.evaluate(
            "() => document.getElementById('copy-diagnostics').getAttribute('aria-expanded')"
        )
        == "true"
    )
    assert text(popup, "#diagnostics-preview-intro") == (
        "This is exactly the text that will be copied. Nothing is sent: you choose where to"
        " paste it."
    )
    shown = popup.evaluate(SHOWN)
    assert "Extension: " in shown, shown
    assert "Page: /mypreferences/d/settings/data-for-ai-improvement, language en" in shown
    leaked = [item for item in PERSONAL if item.lower() in shown.lower()]
    assert leaked == [], f"personal data shown: {leaked}\n{shown}"
    assert browser.read_clipboard() == before, "nothing is copied before Copy is clicked"
    assert text(popup, "#diagnostics-copied") == ""
    for scheme in ("dark", "light"):
        popup.set_color_scheme(scheme)
        assert_accessible(popup)

    popup.bring_to_front()
    popup.click("#diagnostics-confirm")
    wait_for_text(popup, "#diagnostics-copied", "Copied")
    assert browser.read_clipboard() == shown == popup.evaluate(SHOWN)

    # A second click on Copy diagnostics… hides the text again.
    popup.bring_to_front()
    popup.click("#copy-diagnostics")
    assert popup.wait_until("() => document.getElementById('diagnostics-preview').hidden")
