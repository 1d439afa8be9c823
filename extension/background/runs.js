/* "Opt out now": one run at a time, owned here so it survives the popup closing. The run
   is kept in storage.session: a background that the browser stopped and woke again still
   knows which tab it is waiting for. */

import { api } from "../lib/api.js";
import { TO_CONTENT } from "../lib/messages.js";
import { chosenRuleIds } from "./choices.js";
import { storeCorrection, storeResult } from "./record.js";
import { pageOf, ruleAtUrl, SITE } from "./ruleset.js";
import { localStore, sessionStore } from "./storage.js";

const RUN_LIMIT_MS = SITE.timing.limitMs + 15000;
let runStarting = Promise.resolve();
let arriving = Promise.resolve();

/** The run going on, or null (a run older than its time limit is over). */
export async function currentRun() {
  const { run } = await sessionStore.read("run");
  if (run && Date.now() - run.startedAt > RUN_LIMIT_MS) {
    await sessionStore.remove("run");
    return null;
  }
  return run;
}

/** Resolves once a run that is starting has started (or failed to). */
export function runStarted() {
  return runStarting;
}

/**
 * A run is a sweep over the chosen settings: one tab visits each setting's page in turn.
 * The member's own tab is used when it already shows the only setting to visit.
 */
async function startRun(activeTabId) {
  if (await currentRun()) return { started: false };
  const queue = await chosenRuleIds();
  if (queue.length === 0) return { started: false };
  const startedAt = Date.now();
  const sweep = { queue, index: 0, results: [], startedAt };
  const active = activeTabId == null ? null : await api.tabs.get(activeTabId).catch(() => null);
  if (active && queue.length === 1 && ruleAtUrl(active.url)?.rule.id === queue[0]) {
    await sessionStore.write({ run: { ...sweep, tabId: active.id, opened: false, phase: "switching" } });
    await api.tabs.sendMessage(active.id, { type: TO_CONTENT.runNow }).catch(() => api.tabs.reload(active.id));
  } else {
    const tab = await api.tabs.create({ url: pageOf(queue[0]), active: false });
    await sessionStore.write({ run: { ...sweep, tabId: tab.id, opened: true, phase: "opening" } });
  }
  await localStore.remove("lastSweep");
  return { started: true };
}

/** Start a run unless one is going; content scripts asking meanwhile wait for it. */
export function optOutNow(activeTabId) {
  const starting = runStarting.then(() => startRun(activeTabId));
  runStarting = starting.catch(() => {});
  return starting;
}

export async function noteProgress(tabId, phase) {
  const run = await currentRun();
  if (run?.tabId === tabId) await sessionStore.write({ run: { ...run, phase } });
}

/**
 * A result arrived from a tab. If it is the run's setting, the run moves on to the next
 * page, or ends: after the last setting, or at once when LinkedIn asks the member to sign in.
 */
async function advanceRun(tabId, result) {
  await runStarting;
  const run = await currentRun();
  if (run?.tabId !== tabId || result.rule !== run.queue[run.index]) return;
  const results = [...run.results, { rule: result.rule, outcome: result.outcome }];
  const signedOut = result.outcome === "signed-out";
  const next = run.index + 1;
  if (!signedOut && next < run.queue.length) {
    // Each page gets the whole time limit: the run's clock starts again with it.
    await sessionStore.write({
      run: { ...run, index: next, results, phase: "opening", startedAt: Date.now() },
    });
    await api.tabs.update(tabId, { url: pageOf(run.queue[next]) });
    return;
  }
  await sessionStore.remove("run");
  await localStore.write({
    lastSweep: { results, total: run.queue.length, signedOut, at: new Date().toISOString() },
  });
  // The member must sign in on the page we opened: leave it open for them.
  if (run.opened && !signedOut) await api.tabs.remove(tabId).catch(() => {});
}

/**
 * A checked result from a tab: store it with its time, then move the run on if it was the
 * run's. One result at a time, in the order they arrive, so that no write is lost.
 */
export function resultArrived(result, tabId) {
  arriving = arriving
    .then(async () => advanceRun(tabId, await storeResult(result, tabId)))
    .catch((error) => console.error("linkedin-ai-optout: could not store a result", error));
  return arriving;
}

/** A correction from a tab: in the same queue as results, so that it sees their writes. */
export function correctionArrived(correction, tabId) {
  arriving = arriving
    .then(() => storeCorrection(correction, tabId))
    .catch((error) => console.error("linkedin-ai-optout: could not store a correction", error));
  return arriving;
}

export async function forgetRunOfTab(tabId) {
  const run = await currentRun();
  if (run?.tabId === tabId) await sessionStore.remove("run");
}
