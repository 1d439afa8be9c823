import assert from "node:assert/strict";
import { test } from "node:test";

import { RULE_FILE } from "./browser.js";
import { pageOutline } from "../../extension/engine/outline.js";
import { OUTLINE_SENT_MAX } from "../../extension/lib/diagnostics.js";

const heading = (text) => ({ textContent: text });

/** A rendered settings app with these headings and no switch. */
function pageWithHeadings(texts) {
  const app = { querySelectorAll: () => texts.map(heading) };
  return { querySelector: () => app, querySelectorAll: () => [] };
}

test("the content script sends texts as the page has them, cut: the background blanks them out", () => {
  const texts = ["Write to jane.doe@example.com", "word ".repeat(200)];
  const outline = pageOutline(RULE_FILE.rules[0], { appReady: "main" }, pageWithHeadings(texts));
  assert.deepEqual(outline.headings, [texts[0], texts[1].slice(0, OUTLINE_SENT_MAX)]);
});

test("the outline says whether the settings app rendered and what each step found", () => {
  const empty = { querySelector: () => null, querySelectorAll: () => [] };
  const outline = pageOutline(RULE_FILE.rules[0], { appReady: "main" }, empty);
  assert.equal(outline.appRendered, false);
  assert.deepEqual(outline.headings, []);
  assert.deepEqual(outline.strategies[0], { strategy: "aria-labelledby", matches: 0 });
  assert.deepEqual(outline.strategies[1], { strategy: "label-text:en", matches: 0 });
  assert.deepEqual(outline.strategies.at(-1), { strategy: "only-switch", matches: 0 });
  assert.equal(outline.strategies.length, RULE_FILE.rules[0].switch.length);
});
