"""The content script (extension/engine/main.js) in a plain Chromium page, with a stand-in for
the background that answers only when the test says so: a member's click on the switch
before the rules arrived is still the member's choice once they do. (In a real browser the
background usually answers before a person can click; a background that was asleep does not.)"""

from __future__ import annotations

from playwright.sync_api import Page

from harness.fake_linkedin import HOST
from tools.build import make

# A stand-in for the WebExtensions API: the answer to "visit" waits for releaseVisit(), and
# every message the content script sends is kept in `sent`.
FAKE_API = """
globalThis.sent = [];
let answer;
const visitAnswered = new Promise((resolve) => { answer = resolve; });
globalThis.releaseVisit = (reply) => answer(reply);
globalThis.chrome = {
  runtime: {
    id: "test-extension",
    sendMessage: async (message) => {
      sent.push(message);
      return message.type === "visit" ? visitAnswered : undefined;
    },
    onMessage: { addListener: () => {} },
  },
};
"""

# The setting, off: a checkbox labelled by the setting's key, as on LinkedIn.
SWITCH_OFF = """
<!doctype html><html lang="en"><body><main>
  <h1>Data for Generative AI Improvement</h1>
  <div class="row">
    <label id="allowDataForGenerativeAI" for="toggle">
      Use my data for training content creation AI models
    </label>
    <input type="checkbox" role="switch" id="toggle" aria-labelledby="allowDataForGenerativeAI">
  </div>
</main></body></html>
"""

VISIT_ANSWER = {
    "config": {
        "appReady": "main",
        "timing": {"limitMs": 5000, "settleMs": 300},
        "diagnose": ["ambiguous", "disabled", "failed", "not-found"],
    },
    "rules": [
        {
            "id": "ai-training",
            "switch": [{"by": "aria-labelledby", "id": "allowDataForGenerativeAI"}],
            "normalizedHeadings": ["data for generative ai improvement"],
            "saveError": '[role="alert"]',
            "stateMirrors": [],
            "plan": "act",
        }
    ],
}

RESULT_SENT = "() => sent.find((message) => message.type === 'result')?.result ?? null"


def open_page(page: Page, markup: str) -> None:
    """The markup on a page of the site (a secure origin, as the content script runs in)."""
    page.goto(f"https://{HOST}/feed/")
    page.set_content(markup)
    page.add_script_tag(content=FAKE_API)
    page.add_script_tag(content=content_script())


def content_script() -> str:
    """The content script as the build bundles it, as a plain script."""
    return make.run_esbuild(make.EXTENSION, ["engine/main.js", "--bundle", "--format=iife"])


def assert_the_members_choice_stands(page: Page) -> None:
    """The result says the member switched it on, the switch is on, and nothing was clicked."""
    page.wait_for_function(RESULT_SENT, timeout=5_000)
    result = page.evaluate(RESULT_SENT)
    assert (result["outcome"], result["reason"], result["clicks"]) == ("on", "changed-by-member", 0)
    assert page.evaluate("() => document.querySelector('#toggle').checked") is True
    progress = page.evaluate("() => sent.filter((message) => message.type === 'progress')")
    assert progress == [], "the extension never clicked"


def test_a_click_before_the_rules_arrive_is_the_members_choice(page: Page) -> None:
    open_page(page, SWITCH_OFF)

    page.click("#toggle")  # the member switches it on while the background has not answered
    page.evaluate("(reply) => releaseVisit(reply)", VISIT_ANSWER)

    assert_the_members_choice_stands(page)


def test_without_the_members_click_it_switches_off(page: Page) -> None:
    """The same page and answer with no click of the member: the switch on goes off (the
    test above would pass for an engine that never clicks at all without this one)."""
    open_page(page, SWITCH_OFF.replace('id="toggle"', 'id="toggle" checked'))
    page.evaluate("(reply) => releaseVisit(reply)", VISIT_ANSWER)

    page.wait_for_function(RESULT_SENT, timeout=5_000)
    result = page.evaluate(RESULT_SENT)
    assert (result["outcome"], result["clicks"], result["proof"]) == ("turned-off", 1, "page")
    assert page.evaluate("() => document.querySelector('#toggle').checked") is False


# The row rendered anew (as LinkedIn's new front end does on every change) once the member's
# click went through: the element they clicked is gone, a new one shows the state they chose.
RENDER_ROW_ANEW = """() => {
  const row = document.querySelector(".row");
  const fresh = row.cloneNode(true);
  fresh.querySelector("input").checked = row.querySelector("input").checked;
  row.replaceWith(fresh);
}"""


def test_a_click_before_the_rules_arrive_counts_after_the_row_is_rendered_anew(page: Page) -> None:
    open_page(page, SWITCH_OFF)

    page.click("#toggle")  # the member switches it on while the background has not answered
    page.evaluate(RENDER_ROW_ANEW)
    assert page.evaluate("() => document.querySelector('#toggle').checked") is True
    page.evaluate("(reply) => releaseVisit(reply)", VISIT_ANSWER)

    assert_the_members_choice_stands(page)


# The setting on; after a change, a toast that was in the page all along (hidden) shows an
# "Undo" that puts the switch back as it was.
SWITCH_ON_WITH_HIDDEN_UNDO = """
<!doctype html><html lang="en"><body><main>
  <h1>Data for Generative AI Improvement</h1>
  <div class="row">
    <label id="allowDataForGenerativeAI" for="toggle">
      Use my data for training content creation AI models
    </label>
    <input type="checkbox" role="switch" id="toggle" aria-labelledby="allowDataForGenerativeAI"
      checked>
  </div>
</main>
<div role="status" id="toast" hidden>
  <p>Setting saved.</p><button type="button" id="undo">Undo</button>
</div>
<script>
  const toggle = document.getElementById("toggle");
  const toast = document.getElementById("toast");
  toggle.addEventListener("change", () => { toast.hidden = false; });
  document.getElementById("undo").addEventListener("click", () => {
    toggle.checked = !toggle.checked;
    toast.hidden = true;
  });
</script>
</body></html>
"""

RESULTS_SENT = "() => sent.filter((message) => message.type === 'result').map((m) => m.result)"


def test_an_undo_that_was_there_hidden_before_the_click_is_the_members(page: Page) -> None:
    open_page(page, SWITCH_ON_WITH_HIDDEN_UNDO)
    page.evaluate("(reply) => releaseVisit(reply)", VISIT_ANSWER)
    page.wait_for_function(f"() => ({RESULTS_SENT})().length === 1", timeout=5_000)
    assert page.evaluate(RESULTS_SENT)[0]["outcome"] == "turned-off"

    page.click("#undo")  # the member takes the extension's change back
    page.wait_for_function(f"() => ({RESULTS_SENT})().length === 2", timeout=5_000)
    member = page.evaluate(RESULTS_SENT)[1]
    assert (member["outcome"], member["reason"]) == ("on", "changed-by-member")
    corrections = page.evaluate("() => sent.filter((message) => message.type === 'correction')")
    assert corrections == [], "the member's undo is not blamed on LinkedIn"
    assert page.evaluate("() => document.querySelector('#toggle').checked") is True
