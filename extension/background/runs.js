/* "Opt out now" and "Confirm": one run at a time, owned here so it survives the popup
   closing. The run is kept in storage.session: a background that the browser stopped and
   woke again still knows which tab it is waiting for.

   In a tab of its own, a run does not take the page's word for it: once the page reports
   the setting off, the run loads the setting's page again in that tab, where the content
   script only reads, and only "off" after that fresh load is stored as verified (proof
   "reload"). On after the fresh load, LinkedIn did not keep the save: one more try (click,
   then a fresh load again), then "failed" with reason "not-kept". In the member's own tab
   the run never reloads: its result stays checked on the page.

   A scheduled check (background/schedule.js) is such a run in a tab of its own, with its
   results marked "scheduled": with automatic mode off it only reads (every page is a fresh
   load it only reads, as Confirm does); a setting that was off before and is found on again
   is marked "backOn", and, once switched off, noted for the badge and the popup; a sign-in
   page ends it quietly: the record says it was skipped, the latest results and the badge stay
   as they were, and its tab is closed. */

import { api } from "../lib/api.js";
import { isOff, MAX_CLICKS } from "../lib/outcomes.js";
import { TO_CONTENT } from "../lib/messages.js";
import { chosenRuleIds, memberChoices } from "./choices.js";
import { inOrder, queued } from "./queue.js";
import { storeCorrection, storeResult } from "./record.js";
import { MAIN_RULE, pageOf, ruleAtUrl, SITE } from "./ruleset.js";
import { localStore, sessionStore } from "./storage.js";

const RUN_LIMIT_MS = SITE.timing.limitMs + 15000;
let runStarting = Promise.resolve();

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

/** Whether the content script in this tab must only read: the run is checking a fresh load there. */
export function readsOnly(run, tabId) {
  return run?.tabId === tabId && run.verifying === true;
}

/**
 * A run is a sweep over the chosen settings: one tab visits each setting's page in turn.
 * The member's own tab is used when it already shows the only setting to visit.
 */
async function startRun(activeTabId, scheduled) {
  if (await currentRun()) return { started: false };
  const queue = await chosenRuleIds();
  if (queue.length === 0) return { started: false };
  const startedAt = Date.now();
  const sweep = { queue, index: 0, results: [], startedAt, saves: 0, verifying: false };
  if (scheduled) return startScheduledRun(sweep);
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

/**
 * A scheduled check: a background tab of its own; with automatic mode off every page is only
 * read. The settings off before it are kept, to tell a setting LinkedIn switched back on.
 */
async function startScheduledRun(sweep) {
  const [{ automatic }, { latest }] = await Promise.all([memberChoices(), localStore.read("latest")]);
  const readOnly = automatic === false;
  const offBefore = sweep.queue.filter((id) => isOff(latest[id]?.outcome));
  const tab = await api.tabs.create({ url: pageOf(sweep.queue[0]), active: false });
  await sessionStore.write({
    run: {
      ...sweep, tabId: tab.id, opened: true, scheduled: true, readOnly, offBefore,
      verifying: readOnly, phase: readOnly ? "verifying" : "opening",
    },
  });
  return { started: true };
}

/** Start a run unless one is going; content scripts asking meanwhile wait for it. */
export function optOutNow(activeTabId, { scheduled = false } = {}) {
  const starting = runStarting.then(() => startRun(activeTabId, scheduled));
  runStarting = starting.catch(() => {});
  return starting;
}

/**
 * "Confirm": a fresh load of the main setting's page in a background tab of the extension's
 * own, where the content script only reads (it never clicks), then the tab is closed.
 */
async function startConfirm() {
  if (await currentRun()) return { started: false };
  const queue = [MAIN_RULE.id];
  const tab = await api.tabs.create({ url: pageOf(queue[0]), active: false });
  await sessionStore.write({
    run: {
      queue, index: 0, results: [], startedAt: Date.now(), saves: 0,
      tabId: tab.id, opened: true, phase: "verifying", verifying: true, confirming: true,
    },
  });
  return { started: true };
}

export function confirmNow() {
  const starting = runStarting.then(startConfirm);
  runStarting = starting.catch(() => {});
  return starting;
}

export async function noteProgress(tabId, phase) {
  const run = await currentRun();
  if (run?.tabId === tabId && !run.verifying) await sessionStore.write({ run: { ...run, phase } });
}

/** The run's tab loads its setting's page again; its content script will only read. */
async function reloadToVerify(run, pageResult, staleDoc) {
  const replaced = [...(run.replaced ?? []), pageResult.at];
  await sessionStore.write({
    run: {
      ...run, verifying: true, verifyDoc: null, staleDoc, phase: "verifying", pageResult, replaced,
      startedAt: Date.now(),
    },
  });
  await api.tabs.reload(run.tabId, { bypassCache: true });
}

/** The setting read on after LinkedIn answered a save: click again, once, in the same tab. */
async function tryAgain(run) {
  await sessionStore.write({
    run: { ...run, verifying: false, verifyDoc: null, phase: "switching", pageResult: null, startedAt: Date.now() },
  });
  await api.tabs.reload(run.tabId, { bypassCache: true });
}

/** A setting a scheduled check found on again and switched off: said until the popup is opened. */
async function noteSwitchedBackOn(rule) {
  const { switchedBackOn } = await localStore.read("switchedBackOn");
  const rules = [...new Set([...(switchedBackOn?.rules ?? []), rule])];
  await localStore.write({ switchedBackOn: { at: new Date().toISOString(), rules } });
}

/** The run's setting is done: the next setting's page, or the end of the run. */
async function nextSetting(run, tabId, result) {
  const results = [...run.results, { rule: result.rule, outcome: result.outcome }];
  const signedOut = result.outcome === "signed-out";
  if (result.backOn && result.outcome === "turned-off") await noteSwitchedBackOn(result.rule);
  const next = run.index + 1;
  if (!signedOut && next < run.queue.length) {
    // Each page gets the whole time limit: the run's clock starts again with it.
    await sessionStore.write({
      run: {
        ...run, index: next, results, phase: run.readOnly ? "verifying" : "opening", startedAt: Date.now(),
        saves: 0, verifying: run.readOnly === true, verifyDoc: null, pageResult: null, replaced: [],
      },
    });
    await api.tabs.update(tabId, { url: pageOf(run.queue[next]) });
    return;
  }
  await sessionStore.remove("run");
  if (!run.confirming && !run.scheduled) {
    await localStore.write({
      lastSweep: { results, total: run.queue.length, signedOut, at: new Date().toISOString() },
    });
  }
  // The member must sign in on the page "Opt out now" opened: leave it open for them. A
  // scheduled check opens no sign-in page for the member: it tries again next period.
  if (run.opened && (!signedOut || run.scheduled)) await api.tabs.remove(tabId).catch(() => {});
}

/** What the fresh load read, as the result to store: verified off, or why not. */
function verifiedResult(run, read) {
  const base = run.pageResult ?? { rule: read.rule, path: read.path, outcome: read.outcome };
  if (isOff(read.outcome)) {
    const { at, ...page } = base;
    return { ...page, outcome: isOff(page.outcome) ? page.outcome : read.outcome, proof: "reload" };
  }
  if (read.outcome !== "on" || run.readOnly) return read; // signed out, not found, only read …: as the page said
  if (run.confirming) return { rule: read.rule, path: read.path, outcome: "on", reason: "not-kept", proof: "reload" };
  return { rule: read.rule, path: read.path, outcome: "failed", reason: "not-kept", clicks: run.saves, proof: "reload" };
}

/**
 * A result as a scheduled check records it: marked "scheduled", and "backOn" when the setting
 * was off before the check and was found on. Other runs' results are as they are.
 */
function asRunRecords(run, result) {
  if (!run.scheduled) return result;
  const foundOn = result.outcome === "turned-off" || result.outcome === "on";
  const backOn = foundOn && run.offBefore.includes(result.rule);
  return { ...result, check: "scheduled", ...(backOn ? { backOn: true } : {}) };
}

/** Stores a run's result; a scheduled check's sign-in page goes in the record only. */
function storeOfRun(run, tabId, result, replaces = []) {
  const recordOnly = run.scheduled === true && result.outcome === "signed-out";
  return storeResult(asRunRecords(run, result), { tabId, replaces, recordOnly });
}

/**
 * A result from the run's tab for the run's setting. A page-checked "off" in a tab of the
 * run's own is stored (it stays if the member closes the tab) and then checked on a fresh
 * load; what that load reads takes its place.
 */
async function resultOfRun(run, tabId, result, source) {
  if (run.verifying) {
    // Only the fresh load's document reads for it: a result of the document the run reloaded
    // (the member acting there while the reload is slow) is not a reading after a reload.
    const fromFreshLoad = source.seenByBackground === true || (run.verifyDoc != null && source.doc === run.verifyDoc);
    if (!fromFreshLoad) return undefined;
    if (result.outcome === "on" && !run.confirming && !run.readOnly && run.saves < MAX_CLICKS) return tryAgain(run);
    // The fresh load's reading takes the place of the page-checked entries of this setting.
    const stored = await storeOfRun(run, tabId, verifiedResult(run, result), run.replaced ?? []);
    return nextSetting(run, tabId, stored);
  }
  const stored = await storeOfRun(run, tabId, result);
  const saves = run.saves + (result.clicks ?? 0);
  if (run.opened && isOff(result.outcome)) return reloadToVerify({ ...run, saves }, stored, source.doc);
  return nextSetting({ ...run, saves }, tabId, stored);
}

/**
 * A checked result from a tab: stored with its time, or, from a run's tab, handled by the
 * run. One result at a time, in the order they arrive, so that no write is lost.
 */
export function resultArrived(result, tabId, source = { doc: null }) {
  return inOrder(async () => {
    await runStarting;
    const run = await currentRun();
    if (run?.tabId === tabId && result.rule === run.queue[run.index]) return resultOfRun(run, tabId, result, source);
    // A page only read for a fresh-load check reports nothing of its own.
    if (readsOnly(run, tabId)) return undefined;
    return storeResult(result, { tabId });
  }, "store a result");
}

/**
 * A content script announced its document in a tab (its visit): in the run's tab, while the
 * run waits for a fresh load, any document but the one it reloaded is that load (the newest).
 */
export function documentArrived(tabId, doc) {
  return inOrder(async () => {
    await runStarting;
    const run = await currentRun();
    if (run?.tabId !== tabId || !run.verifying || run.verifyDoc === doc) return;
    if (doc === null || doc === run.staleDoc) return;
    await sessionStore.write({ run: { ...run, verifyDoc: doc } });
  }, "note a document");
}

/** What the background itself saw (a wrong address): a line in the record only, in the same queue as results. */
export function noteArrived(result) {
  return inOrder(() => storeResult(result, { recordOnly: true }), "store a line");
}

/** A correction from a tab: in the same queue as results, so that it sees their writes. */
export function correctionArrived(correction, tabId) {
  return inOrder(() => storeCorrection(correction, tabId), "store a correction");
}

/**
 * The member closed the run's tab: the run ends as interrupted. What was stored stays (a
 * save that went through is on record, checked on the page).
 */
export async function forgetRunOfTab(tabId) {
  await queued();
  const run = await currentRun();
  if (run?.tabId !== tabId) return;
  await sessionStore.remove("run");
  if (run.confirming || run.scheduled) return;
  await localStore.write({
    lastSweep: {
      results: run.results, total: run.queue.length, signedOut: false, interrupted: true,
      at: new Date().toISOString(),
    },
  });
}
