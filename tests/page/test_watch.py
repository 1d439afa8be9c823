"""The engine's waiting (extension/engine/watch.js), in a plain Chromium page with the engine's
own sources and no extension: text edited in place inside a switch's label is seen, and a
switch that appears while the page keeps changing is found, wherever in the changes it comes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tools.build import make

# What the page scripts below call, from the extension's modules.
ENGINE_EXPORTS = {
    "lib/text.js": ["normalizeText"],
    "engine/switches.js": ["findSwitches", "switchLabels"],
    "engine/watch.js": ["watchDom"],
}

LABEL_TEXT = "Use my data for training content creation AI models"

# A checkbox whose <label> first reads "Loading…" and is then edited in place (the text
# node's data changes: no element is added, so only a text watch can notice it).
EDIT_LABEL_IN_PLACE = """
async ({ text, watchLabels, limitMs }) => {
  const label = document.createElement("label");
  label.htmlFor = "setting";
  label.textContent = "Loading…";
  const input = Object.assign(document.createElement("input"), { type: "checkbox", id: "setting" });
  input.checked = true;
  document.body.append(label, input);
  const rule = { switch: [{ by: "label-text", lang: "en", normalizedText: normalizeText(text) }] };
  const options = { deadline: performance.now() + limitMs, signal: new AbortController().signal };
  if (watchLabels) options.textIn = switchLabels;
  const watching = watchDom(() => findSwitches(rule)?.strategy, options);
  setTimeout(() => { label.firstChild.data = text; }, 50);
  return watching;
}
"""

# A region that changes (50 elements added and removed) in every task, without pause, while
# the switch is inserted after `afterMs`; resolves with what the watch found and how often
# the page changed and was looked at.
SWITCH_AMID_CHANGES = """
async ({ afterMs, limitMs }) => {
  const region = document.createElement("ul");
  document.body.append(region);
  let batches = 0;
  let stopped = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    if (stopped) return;
    for (let i = 0; i < 50; i += 1) {
      region.append(Object.assign(document.createElement("li"), { textContent: `item ${i}` }));
      if (region.children.length > 20) region.firstElementChild.remove();
    }
    batches += 1;
    channel.port2.postMessage(null);
  };
  channel.port2.postMessage(null);
  setTimeout(() => {
    const input = Object.assign(document.createElement("input"), { type: "checkbox" });
    input.setAttribute("role", "switch");
    input.setAttribute("aria-labelledby", "settingKey");
    region.before(input);
  }, afterMs);
  let looks = 0;
  const rule = { switch: [{ by: "aria-labelledby", id: "settingKey" }] };
  const check = () => {
    looks += 1;
    return findSwitches(rule)?.strategy;
  };
  const options = { deadline: performance.now() + limitMs, signal: new AbortController().signal };
  const outcome = await watchDom(check, { ...options, textIn: switchLabels });
  stopped = true;
  return { outcome, looks, batches };
}
"""


@pytest.fixture
def engine_page(page: Page) -> Page:
    page.set_content("<!doctype html><html lang='en'><body><main></main></body></html>")
    page.add_script_tag(content=make.script_exposing(ENGINE_EXPORTS))
    return page


def test_a_label_edited_in_place_is_seen(engine_page: Page) -> None:
    arg = {"text": LABEL_TEXT, "watchLabels": True, "limitMs": 10_000}
    assert engine_page.evaluate(EDIT_LABEL_IN_PLACE, arg) == {"value": "label-text:en"}


def test_text_is_watched_only_where_a_check_reads_it(engine_page: Page) -> None:
    # Without the labels named, the edit alone wakes nothing: text is not watched page-wide.
    arg = {"text": LABEL_TEXT, "watchLabels": False, "limitMs": 1_000}
    assert engine_page.evaluate(EDIT_LABEL_IN_PLACE, arg) == {"timedOut": True}


@pytest.mark.parametrize("after_ms", [0, 40, 130, 310, 650])
def test_a_switch_amid_constant_changes_is_found(engine_page: Page, after_ms: int) -> None:
    found = engine_page.evaluate(SWITCH_AMID_CHANGES, {"afterMs": after_ms, "limitMs": 10_000})
    assert found["outcome"] == {"value": "aria-labelledby"}, found


def test_a_page_that_changes_in_every_task_is_looked_at_less_often(engine_page: Page) -> None:
    found = engine_page.evaluate(SWITCH_AMID_CHANGES, {"afterMs": 500, "limitMs": 10_000})
    assert found["outcome"] == {"value": "aria-labelledby"}, found
    assert found["looks"] < found["batches"] / 2, found


# The page as a background tab shows it (document.hidden), where Firefox runs no timer sooner
# than 1 s after it was set.
AS_HIDDEN = "() => Object.defineProperty(document, 'hidden', { get: () => true })"


def test_a_hidden_page_is_looked_at_on_every_change(engine_page: Page) -> None:
    # No pause waiting for a timer: every batch of changes is looked at when it happens.
    engine_page.evaluate(AS_HIDDEN)
    found = engine_page.evaluate(SWITCH_AMID_CHANGES, {"afterMs": 300, "limitMs": 10_000})
    assert found["outcome"] == {"value": "aria-labelledby"}, found
    assert found["looks"] >= found["batches"], found


# A check that asks, at each look, to be called again at the same moment (as a switch that
# must hold until then does) while the page changes in every task; resolves with the outcome
# and the timers the watch set.
SAME_WAKE_AT_EVERY_LOOK = """
async ({ holdMs, limitMs }) => {
  const timers = [];
  const setTimer = window.setTimeout;
  window.setTimeout = (callback, ms) => { timers.push(ms); return setTimer(callback, ms); };
  const region = document.createElement("ul");
  document.body.append(region);
  let stopped = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    if (stopped) return;
    region.append(document.createElement("li"));
    channel.port2.postMessage(null);
  };
  channel.port2.postMessage(null);
  const heldFrom = performance.now();
  const check = (wake) => {
    const held = performance.now() - heldFrom;
    if (held >= holdMs) return "held";
    wake(holdMs - held);
  };
  const options = { deadline: performance.now() + limitMs, signal: new AbortController().signal };
  const outcome = await watchDom(check, options);
  stopped = true;
  window.setTimeout = setTimer;
  return { outcome, timers: timers.length };
}
"""


def test_a_wake_asked_for_the_same_moment_is_one_timer(engine_page: Page) -> None:
    # Set again at each look, a background tab's timer would wait 1 s from the last look.
    engine_page.evaluate(AS_HIDDEN)
    found = engine_page.evaluate(SAME_WAKE_AT_EVERY_LOOK, {"holdMs": 300, "limitMs": 10_000})
    assert found["outcome"] == {"value": "held"}, found
    assert found["timers"] == 2, found  # the deadline and the one wake-up
