import assert from "node:assert/strict";
import { test } from "node:test";

import { englishMessage } from "./browser.js";
import {
  describeEntry,
  describeState,
  formatTime,
  recordLines,
  recordText,
  settingExplanation,
  settingName,
} from "../../extension/lib/describe.js";

const AT = "2026-11-29T14:02:00.000Z";
const PAGE = "/mypreferences/d/settings/data-for-ai-improvement";

test("English messages fill their placeholders as the browser does", () => {
  assert.equal(englishMessage("sweepDone", ["5", "6"]), "Done: 5 of 6 settings are off.");
  assert.equal(englishMessage("stateCheckedAt", "now"), "Checked now");
  assert.equal(englishMessage("no-such-message"), "");
});

test("the card says off, verified only after a fresh load, with the time", () => {
  const card = describeState({
    rule: "ai-training",
    outcome: "turned-off",
    proof: "reload",
    at: AT,
  });
  assert.equal(card.state, "off");
  assert.equal(card.title, englishMessage("stateOffTitle"));
  assert.equal(card.time, `Off — confirmed after reloading LinkedIn's page, ${formatTime(AT)}`);
  assert.equal(formatTime(AT), "Nov 29, 2026, 14:02");
  assert.deepEqual(describeState({ outcome: "already-off", proof: "reload", at: AT }), card);
  // Without the fresh load's proof (a record kept from before it existed, too): checked on a
  // page, in words that claim only that, never what LinkedIn does.
  const onPage = describeState({ rule: "ai-training", outcome: "turned-off", at: AT });
  assert.equal(onPage.time, `Checked on the page ${formatTime(AT)}`);
  assert.deepEqual(
    [onPage.state, onPage.title],
    ["checked", "Off as shown on the page (not yet confirmed)"],
  );
  assert.equal(onPage.detail, englishMessage("stateOffOnPageDetail"));
});

test("the card tells 'on because automatic mode is off' from 'on because you chose it'", () => {
  const automaticOff = describeState({ outcome: "on", reason: "automatic-off", at: AT });
  const byMember = describeState({ outcome: "on", reason: "changed-by-member", at: AT });
  assert.equal(automaticOff.state, "on");
  assert.equal(automaticOff.detail, englishMessage("stateOnAutomaticOff"));
  assert.equal(byMember.detail, englishMessage("stateOnByMember"));
  assert.equal(byMember.time, "Checked Nov 29, 2026, 14:02");
});

test("a failure says why, in words", () => {
  for (const [reason, message] of [
    ["save-error", "failedSaveError"],
    ["reverted", "failedReverted"],
    ["timed-out", "failedTimedOut"],
  ]) {
    const card = describeState({ outcome: "failed", reason, at: AT });
    assert.equal(card.state, "failed");
    assert.equal(card.detail, englishMessage(message), reason);
  }
  const line = describeEntry({ outcome: "failed", reason: "save-error", at: AT }, false);
  assert.equal(line, englishMessage("recordFailed", [englishMessage("reasonSaveError")]));
  assert.match(line, /^could not switch off: /);
});

test("nothing known yet: the card says so, without a time", () => {
  const card = describeState(null);
  assert.deepEqual(card, {
    state: "unknown",
    title: englishMessage("stateUnknownTitle"),
    detail: englishMessage("stateUnknownDetail"),
    time: "",
  });
});

test("the record reads oldest first, says when the setting was found on again, and names other settings", () => {
  const history = [
    { rule: "ai-training", outcome: "turned-off", path: PAGE, at: "2026-11-29T14:02:00.000Z" },
    { rule: "ads-by-age", outcome: "already-off", path: "/x", at: "2026-11-29T14:03:00.000Z" },
    { rule: "ai-training", outcome: "turned-off", path: PAGE, at: "2026-12-01T09:00:00.000Z" },
  ];
  assert.deepEqual(recordLines(history, "ai-training"), [
    `Nov 29, 2026, 14:02 — ${englishMessage("recordTurnedOffOnPage")}`,
    `Nov 29, 2026, 14:03 — Ads by age: ${englishMessage("recordAlreadyOffOnPage")}`,
    `Dec 1, 2026, 09:00 — ${englishMessage("recordFoundOnAgainOnPage")}`,
  ]);
});

test("the copied record starts with a header naming the setting and the extension, then what off covers", () => {
  const text = recordText([{ rule: "ai-training", outcome: "already-off", at: AT }], "ai-training");
  const [header, covers, line, end] = text.split("\n");
  assert.equal(
    header,
    "Record of LinkedIn's “Data for Generative AI Improvement” setting, kept by LinkedIn AI Opt-Out in this browser",
  );
  assert.equal(
    covers,
    "When this setting is off, LinkedIn will not use your data to train its content-creating AI models. " +
      "Data already used, and LinkedIn's other AI uses, need an objection through LinkedIn's form.",
  );
  assert.equal(line, `Nov 29, 2026, 14:02 — ${englishMessage("recordAlreadyOffOnPage")}`);
  assert.equal(end, "");
});

test("settings are named and explained from the messages rule_<id>_name and _explanation", () => {
  assert.equal(
    settingName("share-with-partners"),
    "Share data with affiliates and select partners",
  );
  assert.equal(settingExplanation("ai-training"), englishMessage("rule_ai_training_explanation"));
});

test("a switch found only as the page's only switch is said so on the card", () => {
  const found = {
    rule: "ai-training",
    outcome: "turned-off",
    strategy: "only-switch",
    path: PAGE,
    at: AT,
  };
  const card = describeState(found);
  assert.equal(card.state, "checked");
  assert.ok(
    card.detail.endsWith(" Found by the page's only switch (LinkedIn has changed its label)."),
    card.detail,
  );
  assert.equal(
    describeState({ ...found, strategy: "label-text:de" }).detail,
    englishMessage("stateOffOnPageDetail"),
  );
  const verified = describeState({ ...found, proof: "reload" });
  assert.equal(
    verified.detail,
    "Found by the page's only switch (LinkedIn has changed its label).",
  );
});

test("an off read on the member's own page says 'checked on the page', never 'verified'", () => {
  for (const outcome of ["turned-off", "already-off"]) {
    const card = describeState({ rule: "ai-training", outcome, proof: "page", at: AT });
    assert.equal(card.state, "checked", "neutral, not the verified off's colour");
    assert.equal(card.title, englishMessage("stateOffOnPageTitle"));
    assert.equal(card.time, `Checked on the page ${formatTime(AT)}`);
  }
  const history = [
    { rule: "ai-training", outcome: "turned-off", proof: "page", at: AT },
    { rule: "ai-training", outcome: "already-off", proof: "page", at: AT },
    { rule: "ai-training", outcome: "turned-off", proof: "page", at: AT },
  ];
  const lines = recordLines(history, "ai-training").map((line) =>
    line.split(" — ").slice(1).join(" — "),
  );
  assert.deepEqual(lines, [
    "switched off — checked on the page",
    "off — checked on the page",
    "found on again, switched off — checked on the page",
  ]);
  for (const line of lines) assert.doesNotMatch(line, /verified/);
});

test("repeats folded into one line say how many times and when last", () => {
  const folded = {
    rule: "ai-training",
    outcome: "signed-out",
    path: "/p",
    at: "2026-11-29T09:00:00.000Z",
    count: 12,
    last: "2026-11-29T14:02:00.000Z",
  };
  assert.deepEqual(recordLines([folded], "ai-training"), [
    "Nov 29, 2026, 09:00 — not checked: signed out of LinkedIn ×12, last Nov 29, 2026, 14:02",
  ]);
});

test("only off after a fresh load is worded as confirmed; a page cannot word it so by itself", () => {
  const off = {
    rule: "ai-training",
    outcome: "turned-off",
    path: "/p",
    at: "2026-11-29T14:02:00.000Z",
    clicks: 1,
  };
  assert.equal(
    describeState({ ...off, proof: "reload" }).time,
    "Off — confirmed after reloading LinkedIn's page, Nov 29, 2026, 14:02",
  );
  assert.doesNotMatch(describeState(off).time, /confirmed after reloading/);
  assert.doesNotMatch(describeState({ ...off, proof: "page" }).time, /confirmed after reloading/);
  assert.equal(
    recordLines([{ ...off, outcome: "already-off", proof: "reload" }], "ai-training")[0],
    "Nov 29, 2026, 14:02 — off — confirmed after reloading LinkedIn's page",
  );
  const notKept = { ...off, outcome: "failed", reason: "not-kept", clicks: 2, proof: "reload" };
  assert.equal(describeState(notKept).detail, englishMessage("failedNotKept"));
  assert.equal(
    recordLines([notKept], "ai-training")[0],
    "Nov 29, 2026, 14:02 — could not switch off: LinkedIn did not keep the change",
  );
});

test("the off title says what the main setting's switch covers; another setting's says only 'Off'", () => {
  const main = describeState(
    { rule: "ai-training", outcome: "turned-off", proof: "reload", at: AT },
    "ai-training",
  );
  assert.equal(
    main.title,
    "Off: LinkedIn will not use your data to train its content-creating AI models",
  );
  const other = describeState(
    { rule: "research", outcome: "already-off", proof: "reload", at: AT },
    "ai-training",
  );
  assert.deepEqual([other.state, other.title], ["off", "Off"]);
  const onPage = describeState(
    { rule: "research", outcome: "already-off", proof: "page", at: AT },
    "ai-training",
  );
  assert.deepEqual(
    [onPage.state, onPage.title],
    ["checked", englishMessage("stateOffOnPageTitle")],
  );
});

test("a check's 'found on again' says when the setting was off, never who switched it on", () => {
  const off = {
    rule: "ai-training",
    outcome: "turned-off",
    proof: "reload",
    at: "2026-11-01T10:00:00.000Z",
  };
  const found = {
    rule: "ai-training",
    outcome: "turned-off",
    proof: "reload",
    check: "scheduled",
    backOn: true,
    at: "2026-11-08T10:00:00.000Z",
  };
  const [, dated] = recordLines([off, found], "ai-training");
  assert.match(
    dated,
    / — scheduled check: found on again \(it was off on Nov 1, 2026, 10:00\); switched off — confirmed/,
  );
  // The earlier off no longer in the record (its cap): said without a date.
  const [undated] = recordLines([found], "ai-training");
  assert.match(
    undated,
    / — scheduled check: found on again \(it was off before\); switched off — confirmed/,
  );
  assert.doesNotMatch(`${dated} ${undated}`, /LinkedIn had/);
});
