import assert from "node:assert/strict";
import { test } from "node:test";

import {
  newRun,
  RUN_KINDS,
  RUN_STATES,
  runReadsOnly,
  transition,
} from "../../extension/background/runstate.js";

const PATH = "/mypreferences/d/settings/data-for-ai-improvement";
const AI = "ai-training";
const NOW = Date.parse("2026-12-07T10:00:00.000Z");
const OLD = "old-document";
const FRESH = "fresh-document";
const EVENTS = [
  "document",
  "progress",
  "tab-loading",
  "result",
  "tab-left",
  "tab-closed",
  "time-limit",
  "cancel",
];

const run = (overrides = {}) => ({
  ...newRun({ kind: "opt-out", queue: [AI], tabId: 5, opened: true, now: NOW }),
  ...overrides,
});
const result = (outcome, extra = {}) => ({ rule: AI, outcome, path: PATH, ...extra });
const event = (type, extra = {}) => ({ type, now: NOW + 1000, path: PATH, ...extra });
const did = (effects) => effects.map((effect) => effect.do);
const stores = (effects) => effects.filter((effect) => effect.do === "store");

/** The run after a list of events, with every effect each step returned. */
function walk(start, events) {
  let current = start;
  const effects = [];
  for (const each of events) {
    const step = transition(current, each);
    current = step.run;
    effects.push(...step.effects);
  }
  return { run: current, effects };
}

/** The page's "off" in the run's own tab, as far as the fresh load announcing itself. */
const toVerifying = [
  event("document", { doc: OLD }),
  event("progress"),
  event("result", { result: result("turned-off", { clicks: 1 }), doc: OLD }),
  event("tab-loading"),
  event("document", { doc: FRESH }),
];

test("every state answers every event: the run stays in a declared state, done answers nothing", () => {
  for (const kind of RUN_KINDS) {
    for (const state of RUN_STATES) {
      for (const type of EVENTS) {
        const before = run({
          kind,
          state,
          readOnly: kind !== "opt-out",
          pageResult: state === "verifying" ? result("turned-off") : null,
        });
        const { run: after, effects } = transition(
          before,
          event(type, { doc: FRESH, result: result("already-off") }),
        );
        assert.ok(RUN_STATES.includes(after.state), `${kind} ${state} ${type} -> ${after.state}`);
        if (state === "done")
          assert.deepEqual([after, effects], [before, []], `done ignores ${type}`);
      }
    }
  }
  assert.throws(() => transition(run(), event("reload")), /no such run event: reload/);
});

test("tab-closed, time-limit and cancel end the run from every state but done, each as itself", () => {
  const endings = { "tab-closed": "interrupted", "time-limit": "timed-out", cancel: "cancelled" };
  for (const state of RUN_STATES.filter((each) => each !== "done")) {
    for (const [type, ended] of Object.entries(endings)) {
      const { run: after, effects } = transition(run({ state }), event(type));
      assert.deepEqual([after.state, after.ended], ["done", ended], `${state} ${type}`);
      assert.equal(
        did(effects).includes("close-tab"),
        type !== "tab-closed",
        `${state} ${type}: its tab closed`,
      );
      assert.equal(
        did(effects).includes("reload") || did(effects).includes("navigate"),
        false,
        "nothing more is loaded",
      );
    }
  }
});

test("opt out now in its own tab: opening, reading, switching, settling, reloading, verifying, done", () => {
  const states = [];
  let current = run();
  const effects = [];
  for (const each of [
    ...toVerifying,
    event("result", { result: result("already-off"), doc: FRESH }),
  ]) {
    const step = transition(current, each);
    current = step.run;
    states.push(current.state);
    effects.push(...step.effects);
  }
  assert.deepEqual(states, ["reading", "switching", "settling", "reloading", "verifying", "done"]);
  assert.deepEqual(did(effects), ["store", "reload", "store", "summary", "close-tab"]);
  const [page, verified] = stores(effects);
  assert.equal(
    page.result.at,
    new Date(NOW + 1000).toISOString(),
    "the page's line carries the time it is replaced by",
  );
  assert.deepEqual(
    [verified.result.outcome, verified.result.proof, verified.replaces],
    ["turned-off", "reload", [page.result.at]],
  );
  assert.equal(current.ended, "done");
});

test("only the document loaded after the reload reads for it: the reloaded one is never taken for it", () => {
  const { run: verifying } = walk(run(), toVerifying);
  for (const outcome of ["already-off", "on", "signed-out"]) {
    const stale = transition(verifying, event("result", { result: result(outcome), doc: OLD }));
    assert.deepEqual(
      [stale.run, stale.effects],
      [verifying, []],
      `${outcome} from the reloaded document`,
    );
  }
  const other = transition(
    verifying,
    event("result", { result: result("already-off"), doc: "another" }),
  );
  assert.deepEqual(other.effects, [], "nor one that is neither the reloaded nor the fresh load's");
  const { run: settling } = walk(run(), toVerifying.slice(0, 3));
  assert.equal(settling.state, "settling");
  assert.equal(
    runReadsOnly(settling),
    true,
    "the run's tab only reads from the moment the page said off",
  );
  assert.deepEqual(
    transition(settling, event("document", { doc: OLD })).run,
    settling,
    "the old document again",
  );
  const early = transition(
    settling,
    event("result", { result: result("already-off"), doc: "unannounced" }),
  );
  assert.deepEqual(early.effects, [], "a document that has not announced itself reads for nothing");
  const signIn = transition(
    settling,
    event("result", { result: result("signed-out"), seenByBackground: true }),
  );
  assert.equal(signIn.run.state, "done", "what the background saw of the fresh load counts");
});

test("a fresh load that reads neither on nor off adds its line beside the page's off, which stays", () => {
  for (const outcome of ["signed-out", "not-found", "ambiguous"]) {
    const { run: after, effects } = walk(run(), [
      ...toVerifying,
      event("result", { result: result(outcome), doc: FRESH }),
    ]);
    const [, fresh] = stores(effects);
    assert.deepEqual(
      [fresh.result.outcome, fresh.replaces, fresh.recordOnly],
      [outcome, [], true],
      outcome,
    );
    assert.equal(after.state, "done");
  }
});

test("on after the fresh load: one more try, then failed not-kept after two saves; never a third click", () => {
  const onAgain = event("result", {
    result: result("on", { reason: "automatic-off", clicks: 0 }),
    doc: FRESH,
  });
  const { run: again, effects } = walk(run(), [...toVerifying, onAgain]);
  assert.deepEqual([again.state, again.staleDoc, runReadsOnly(again)], ["opening", FRESH, false]);
  assert.equal(did(effects).at(-1), "reload");
  const second = [
    event("document", { doc: "second" }),
    event("result", { result: result("turned-off", { clicks: 1 }), doc: "second" }),
    event("tab-loading"),
    event("document", { doc: "third" }),
    event("result", { result: result("on", { reason: "automatic-off", clicks: 0 }), doc: "third" }),
  ];
  const { run: after, effects: more } = walk(again, second);
  const last = stores(more).at(-1).result;
  assert.deepEqual(
    [last.outcome, last.reason, last.clicks, last.proof],
    ["failed", "not-kept", 2, "reload"],
  );
  assert.equal(
    did(more).filter((each) => each === "reload").length,
    1,
    "the second try's fresh load only",
  );
  assert.equal(after.state, "done");
});

test("the member's change in the run's tab ends the run as theirs: stored as they left it, nothing clicked again", () => {
  const theirs = (doc) =>
    event("result", { result: result("on", { reason: "changed-by-member", clicks: 0 }), doc });
  for (const [name, start, events] of [
    ["while reading", run(), [event("document", { doc: OLD }), theirs(OLD)]],
    ["on the fresh load", run(), [...toVerifying, theirs(FRESH)]],
    [
      "in Confirm",
      run({ kind: "confirm", readOnly: true }),
      [event("document", { doc: FRESH }), theirs(FRESH)],
    ],
  ]) {
    const { run: after, effects } = walk(start, events);
    assert.deepEqual([after.state, after.ended], ["done", "member"], name);
    const last = stores(effects).at(-1).result;
    assert.deepEqual(
      [last.outcome, last.reason],
      ["on", "changed-by-member"],
      `${name}: not "not kept", not switched off`,
    );
    assert.equal(did(effects).includes("close-tab"), false, `${name}: the tab they acted in stays`);
    assert.equal(
      did(effects).filter((each) => each === "reload").length,
      name === "on the fresh load" ? 1 : 0,
    );
  }
});

test("confirm only reads: its first load is the fresh load; on is 'not kept', off is verified", () => {
  const confirm = run({ kind: "confirm", readOnly: true });
  assert.equal(runReadsOnly(confirm), true);
  const on = walk(confirm, [
    event("document", { doc: FRESH }),
    event("result", { result: result("on", { reason: "automatic-off" }), doc: FRESH }),
  ]);
  assert.deepEqual([on.run.state, stores(on.effects)[0].result.reason], ["done", "not-kept"]);
  assert.equal(did(on.effects).includes("summary"), false, "a check that finished is not a sweep");
  const off = walk(confirm, [
    event("document", { doc: FRESH }),
    event("result", { result: result("already-off"), doc: FRESH }),
  ]);
  assert.equal(stores(off.effects)[0].result.proof, "reload");
  const late = transition(confirm, event("time-limit"));
  assert.deepEqual(
    did(late.effects),
    ["store", "summary", "close-tab"],
    "a confirm that timed out is told",
  );
});

test("a page that never answers ends the run timed-out: a line for the setting, its tab closed", () => {
  const { run: after, effects } = transition(
    run({ state: "opening" }),
    event("time-limit", { reason: "no-answer" }),
  );
  assert.equal(after.ended, "timed-out");
  const [line] = stores(effects);
  assert.deepEqual(
    [line.result.outcome, line.result.reason, line.result.path, line.recordOnly],
    ["failed", "no-answer", PATH, false],
  );
  const withheld = transition(
    run({ state: "opening" }),
    event("time-limit", { reason: "site-access" }),
  );
  assert.equal(stores(withheld.effects)[0].result.reason, "site-access");
  const { run: verifying } = walk(run(), toVerifying);
  const afterOff = transition(verifying, event("time-limit", { reason: "no-answer" }));
  assert.equal(
    stores(afterOff.effects)[0].recordOnly,
    true,
    "the page's off stays the latest result",
  );
});

test("a scheduled check that could not run gives its due time back; one that ran does not", () => {
  const due = "2026-12-01T09:00:00.000Z";
  const scheduled = run({ kind: "scheduled", dueBefore: due });
  for (const type of ["time-limit", "tab-closed"]) {
    const { effects } = transition(scheduled, event(type));
    assert.deepEqual(
      effects.find((effect) => effect.do === "keep-due"),
      { do: "keep-due", due },
      type,
    );
    assert.equal(
      did(effects).includes("summary"),
      false,
      "no popup summary for a check the member did not start",
    );
  }
  const ran = walk(scheduled, [
    ...toVerifying,
    event("result", { result: result("already-off"), doc: FRESH }),
  ]);
  assert.equal(did(ran.effects).includes("keep-due"), false);
  const skipped = transition(
    scheduled,
    event("result", { result: result("signed-out"), seenByBackground: true }),
  );
  assert.equal(
    stores(skipped.effects)[0].recordOnly,
    true,
    "a sign-in page is a line in the record only",
  );
});

test("the tab taken elsewhere: a run's own tab records that it could not check and goes on; the member's own ends", () => {
  const sweep = run({ queue: [AI, "research"] });
  const { run: next, effects } = transition(sweep, event("tab-left"));
  assert.deepEqual([next.state, next.index], ["opening", 1]);
  assert.deepEqual(did(effects), ["store", "navigate"]);
  assert.deepEqual(
    [stores(effects)[0].result.outcome, stores(effects)[0].result.reason],
    ["failed", "redirected"],
  );
  const own = transition(run({ opened: false, state: "reading" }), event("tab-left"));
  assert.deepEqual(
    [own.run.ended, own.effects.map((each) => each.do)],
    ["interrupted", ["summary"]],
  );
});

test("cancel: no click after it, a record line, the tab it opened closed", () => {
  const { run: after, effects } = transition(run({ state: "switching" }), event("cancel"));
  assert.equal(after.ended, "cancelled");
  assert.deepEqual(did(effects), ["store", "summary", "close-tab"]);
  assert.deepEqual(
    [effects[0].result.reason, effects[0].recordOnly],
    ["cancelled", true],
    "the card keeps what it knew",
  );
  const later = transition(
    after,
    event("result", { result: result("turned-off", { clicks: 1 }), doc: OLD }),
  );
  assert.deepEqual(later.effects, [], "what the page says after the cancel changes nothing");
});
