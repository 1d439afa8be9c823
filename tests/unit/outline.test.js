import assert from "node:assert/strict";
import { test } from "node:test";

import { RULE_FILE } from "./browser.js";
import { pageOutline } from "../../extension/engine/outline.js";
import { OUTLINE_TEXT_MAX } from "../../extension/lib/diagnostics.js";

const heading = (text) => ({ textContent: text });

/** A rendered settings app with these headings and no switch. */
function pageWithHeadings(texts) {
  const app = { querySelectorAll: () => texts.map(heading) };
  return { querySelector: () => app, querySelectorAll: () => [] };
}

const outlineOf = (texts, personalPaths) =>
  pageOutline(RULE_FILE.rules[0], { appReady: "main", personalPaths }, pageWithHeadings(texts));

test("the site's personal paths, from its rules, are blanked out of the outline", () => {
  const texts = ["Jane's profile: /in/janedoe and /in/janedoe/details", "Data for Generative AI Improvement"];
  assert.deepEqual(outlineOf(texts, RULE_FILE.site.personalPaths).headings, [
    "Jane's profile: [link] and [link]",
    "Data for Generative AI Improvement",
  ]);
  // The paths are rule data: without them, the same text is kept.
  assert.equal(outlineOf(texts, []).headings[0], texts[0]);
  assert.deepEqual(RULE_FILE.site.personalPaths, ["/in/"]);
});

test("addresses, links, long numbers and tokens are blanked out, and long texts cut", () => {
  const [mail, link, number, token, long] = outlineOf(
    [
      "Write to jane.doe@example.com",
      "See https://www.linkedin.com/feed/?x=1 or www.example.com",
      "Member 123456789",
      "session AQEDAR2x9f7cKq3j",
      "word ".repeat(40),
    ],
    [],
  ).headings;
  assert.equal(mail, "Write to [email]");
  assert.equal(link, "See [link] or [link]");
  assert.equal(number, "Member [number]");
  assert.equal(token, "session [token]");
  assert.equal(long.length, OUTLINE_TEXT_MAX);
  assert.ok(long.endsWith("…"));
});

test("the outline says whether the settings app rendered and what each step found", () => {
  const empty = { querySelector: () => null, querySelectorAll: () => [] };
  const outline = pageOutline(RULE_FILE.rules[0], { appReady: "main", personalPaths: [] }, empty);
  assert.equal(outline.appRendered, false);
  assert.deepEqual(outline.headings, []);
  assert.deepEqual(outline.strategies[0], { strategy: "aria-labelledby", matches: 0 });
  assert.deepEqual(outline.strategies[1], { strategy: "label-text:en", matches: 0 });
  assert.equal(outline.strategies.length, RULE_FILE.rules[0].switch.length);
});
