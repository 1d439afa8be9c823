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

const outlineOf = (texts) => pageOutline(RULE_FILE.rules[0], { appReady: "main" }, pageWithHeadings(texts));

test("the page sends texts as it has them, cut to OUTLINE_SENT_MAX: the background blanks them out", () => {
  const texts = ["Write to jane.doe@example.com", "x".repeat(OUTLINE_SENT_MAX + 5)];
  const [mail, long] = outlineOf(texts).headings;
  assert.equal(mail, texts[0]);
  assert.equal(long.length, OUTLINE_SENT_MAX);
});

test("the outline says whether the settings app rendered and what each step found", () => {
  const empty = { querySelector: () => null, querySelectorAll: () => [] };
  const outline = pageOutline(RULE_FILE.rules[0], { appReady: "main" }, empty);
  assert.equal(outline.appRendered, false);
  assert.deepEqual(outline.headings, []);
  assert.deepEqual(outline.strategies[0], { strategy: "aria-labelledby", matches: 0 });
  assert.deepEqual(outline.strategies[1], { strategy: "label-text:en", matches: 0 });
  assert.equal(outline.strategies.length, RULE_FILE.rules[0].switch.length);
});
