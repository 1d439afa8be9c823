/* The background reads rules of its own format only: rule data of another format (a build from
   a newer rule file, say) leaves it with no rule at all, never a guess at what the fields mean. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { RULE_FILE } from "./browser.js";

const RULESET = new URL("../../extension/background/ruleset.js", import.meta.url).href;
let loads = 0;

/** The rules the background's rule set holds when the build gives it `data` (a fresh copy of the module). */
async function rulesRead(data) {
  const shipped = globalThis.COMPILED_RULES;
  globalThis.COMPILED_RULES = JSON.stringify(data);
  try {
    loads += 1;
    return (await import(`${RULESET}?load=${loads}`)).RULES;
  } finally {
    globalThis.COMPILED_RULES = shipped;
  }
}

test("rules of the background's own format are read", async () => {
  assert.equal((await rulesRead(RULE_FILE)).length, RULE_FILE.rules.length);
});

test("rules of another format, or of none, are not used at all", async () => {
  const errors = [];
  const logged = console.error;
  console.error = (...parts) => errors.push(parts.join(" "));
  try {
    assert.deepEqual(await rulesRead({ ...RULE_FILE, formatVersion: 2 }), []);
    const { formatVersion, ...unversioned } = RULE_FILE;
    assert.deepEqual(await rulesRead(unversioned), []);
  } finally {
    console.error = logged;
  }
  assert.equal(errors.length, 2);
  assert.match(errors[0], /rules of format 2 are not format 1: no rule is used/);
});
