import assert from "node:assert/strict";
import { test } from "node:test";

import "./browser.js";
import { worstResult } from "../../extension/background/badge.js";

const result = (rule, outcome) => ({ rule, outcome, at: "2026-11-29T14:02:00.000Z" });

test("the badge shows the worst latest result of the chosen settings", () => {
  const latest = {
    "ai-training": result("ai-training", "turned-off"),
    research: result("research", "on"),
    "ads-by-age": result("ads-by-age", "failed"),
    "ads-by-gender": result("ads-by-gender", "not-offered"),
  };
  assert.equal(worstResult(latest, ["ai-training"]).outcome, "turned-off");
  assert.equal(worstResult(latest, ["ai-training", "research"]).outcome, "on");
  assert.equal(worstResult(latest, ["research", "ads-by-age", "ai-training"]).outcome, "failed");
  // A failed setting the member no longer chose does not count.
  assert.equal(worstResult(latest, ["ai-training", "research"]).rule, "research");
});

test("nothing known, or only 'not offered': no badge", () => {
  assert.equal(worstResult({}, ["ai-training"]), undefined);
  assert.equal(worstResult({ "ai-training": result("ai-training", "not-offered") }, ["ai-training"]), undefined);
  assert.equal(worstResult({ "ai-training": result("ai-training", "signed-out") }, []), undefined);
});
