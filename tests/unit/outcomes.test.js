import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import "./browser.js";
import { describeEntry, describeState, hasDiagnostics } from "../../extension/lib/describe.js";
import {
  isOff,
  MAX_CLICKS,
  needsDiagnostics,
  OUTCOME_KINDS,
  REASONS,
} from "../../extension/lib/outcomes.js";

const OUTCOMES = Object.keys(OUTCOME_KINDS);
const source = (path) => readFileSync(new URL(`../../extension/${path}`, import.meta.url), "utf8");

test("every outcome has one of the kinds the badge and the popup know", () => {
  for (const outcome of OUTCOMES) {
    assert.ok(["off", "action", "failed", "none"].includes(OUTCOME_KINDS[outcome]), outcome);
  }
  assert.deepEqual(OUTCOMES.filter(isOff).sort(), ["already-off", "turned-off"]);
});

test("exactly the outcomes of the failed kind carry diagnostics", () => {
  assert.deepEqual(OUTCOMES.filter(needsDiagnostics).sort(), [
    "ambiguous",
    "disabled",
    "failed",
    "not-found",
  ]);
  for (const outcome of OUTCOMES) {
    assert.equal(hasDiagnostics({ outcome }), OUTCOME_KINDS[outcome] === "failed", outcome);
  }
  assert.equal(needsDiagnostics("made-up"), false);
});

test("every outcome and reason the extension writes is in the vocabulary", () => {
  const written = ["engine/run.js", "background/navigation.js"].map(source).join("\n");
  const words = (pattern) => [...written.matchAll(pattern)].flatMap((match) => match.slice(1));
  // Written out as `outcome: "x"`, as a decision's `kind: "x"` (reported as the outcome), or
  // chosen in a line that names an outcome or a failure: `… ? "x" : "y"`.
  const outcomes = [
    ...words(/\b(?:outcome|kind): "([a-z-]+)"/g),
    ...words(/(?:outcome|Outcome).*\? "([a-z-]+)" : "([a-z-]+)"/g),
    ...words(/return rendered .*\? "([a-z-]+)" : "([a-z-]+)"/g),
  ];
  const reasons = [
    ...words(/\breason: "([a-z-]+)"/g),
    ...words(/failure = .*\? "([a-z-]+)" : "([a-z-]+)"/g),
  ];
  assert.ok(outcomes.length >= 10 && reasons.length >= 5, "the sources were read");
  for (const outcome of outcomes) assert.ok(Object.hasOwn(OUTCOME_KINDS, outcome), outcome);
  for (const reason of reasons) assert.ok(REASONS.includes(reason), reason);
});

test("every outcome is put in its own words on the card and in the record", () => {
  const at = "2026-11-29T14:02:00.000Z";
  const notFoundCard = describeState({ outcome: "not-found", at });
  const notFoundLine = describeEntry({ outcome: "not-found", at }, false);
  for (const outcome of OUTCOMES) {
    const card = describeState({ outcome, at });
    const line = describeEntry({ outcome, at }, false);
    assert.ok(card.title && line, outcome);
    if (outcome === "not-found") continue;
    assert.notDeepEqual(card, notFoundCard, `${outcome} falls through to "not found" on the card`);
    assert.notEqual(line, notFoundLine, `${outcome} falls through to "not found" in the record`);
  }
});

test("a visit clicks at most twice: the click and one retry", () => {
  assert.equal(MAX_CLICKS, 2);
});
