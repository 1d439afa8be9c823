"""The content script (extension/engine/main.js) in a plain Chromium page, with a stand-in for
the background that answers only when the test says so: a member's click on the switch
before the rules arrived is still the member's choice once they do. (In a real browser the
background usually answers before a person can click; a background that was asleep does not.)"""

from __future__ import annotations

from playwright.sync_api import Page

import build
from harness.fake_linkedin import HOST

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
    return build.run_esbuild(build.EXTENSION, ["engine/main.js", "--bundle", "--format=iife"])


def test_a_click_before_the_rules_arrive_is_the_members_choice(page: Page) -> None:
    open_page(page, SWITCH_OFF)

    page.click("#toggle")  # the member switches it on while the background has not answered
    page.evaluate("(reply) => releaseVisit(reply)", VISIT_ANSWER)

    page.wait_for_function(RESULT_SENT, timeout=5_000)
    result = page.evaluate(RESULT_SENT)
    assert (result["outcome"], result["reason"], result["clicks"]) == ("on", "changed-by-member", 0)
    assert page.evaluate("() => document.querySelector('#toggle').checked") is True
    progress = page.evaluate("() => sent.filter((message) => message.type === 'progress')")
    assert progress == [], "the extension never clicked"


def test_without_the_members_click_it_switches_off(page: Page) -> None:
    """The same page and answer with no click of the member: the switch on goes off (the
    test above would pass for an engine that never clicks at all without this one)."""
    open_page(page, SWITCH_OFF.replace('id="toggle"', 'id="toggle" checked'))
    page.evaluate("(reply) => releaseVisit(reply)", VISIT_ANSWER)

    page.wait_for_function(RESULT_SENT, timeout=5_000)
    result = page.evaluate(RESULT_SENT)
    assert (result["outcome"], result["clicks"], result["proof"]) == ("turned-off", 1, "page")
    assert page.evaluate("() => document.querySelector('#toggle').checked") is False
