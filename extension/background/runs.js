/* "Opt out now", "Confirm" and the scheduled re-check: one run at a time, owned here so it
   survives the popup closing. The run's lifecycle is declared in background/runstate.js (its
   states and what each event does there); this module turns what the browser and the content
   scripts tell into its events, carries out the effects a step returns, and keeps the run in
   storage.session, so that a background the browser stopped and woke again still knows it.

   A scheduled check (background/schedule.js) is such a run in a tab of its own, with its
   results marked "scheduled": with automatic mode off it only reads; a setting that was off
   before and is found on again is marked "backOn", and, once switched off, noted for the
   badge and the popup; a sign-in page ends it quietly (a line in the record only). One whose
   pages never answered, or whose tab was closed, gives its due time back. */

import { api } from "../lib/api.js";
import { isOff } from "../lib/outcomes.js";
import { TO_CONTENT } from "../lib/messages.js";
import { normalizePath } from "../lib/text.js";
import { chosenRuleIds, memberChoices } from "./choices.js";
import { inOrder, queued } from "./queue.js";
import { storeCorrection, storeResult } from "./record.js";
import { newRun, runReadsOnly, settingOf, transition } from "./runstate.js";
import { MAIN_RULE, pageOf, ruleAtUrl, rulesAt, SITE } from "./ruleset.js";
import { localStore, sessionStore } from "./storage.js";

/** How long one setting's page may take to answer, from its first load (each setting anew). */
const RUN_LIMIT_MS = SITE.timing.limitMs + 15000;
const RUN_LIMIT_ALARM = "run-limit";
/** @type {Promise<unknown>} */
let runStarting = Promise.resolve();
let limitTimer = null;
// What a scheduled check gives back when it could not run (schedule.js sets it).
/** @type {(due: string | null) => Promise<void>} */
let onCheckNotRun = async () => {};

const nowIso = () => new Date().toISOString();

/** The run going on, or null. A run past its time limit is ended (timed-out) in the queue. */
export async function currentRun() {
  const { run } = await sessionStore.read("run");
  if (!run) return null;
  if (Date.now() - run.startedAt > RUN_LIMIT_MS) {
    expireRun();
    return null;
  }
  return run;
}

/** Resolves once a run that is starting has started (or failed to). */
export function runStarted() {
  return runStarting;
}

/**
 * Whether the content script in this tab must only read: the run is checking a fresh load there.
 */
export function readsOnly(run, tabId) {
  return run?.tabId === tabId && runReadsOnly(run);
}

/** schedule.js: what to do when a scheduled check could not run (its due time back). */
export function whenCheckNotRun(handler) {
  onCheckNotRun = handler;
}

/**
 * The time limit of the run's current setting: a timer while the background lives, an alarm if it
 * sleeps.
 */
function armLimit(run) {
  clearTimeout(limitTimer);
  if (run === null) {
    api.alarms.clear(RUN_LIMIT_ALARM);
    return;
  }
  const when = run.startedAt + RUN_LIMIT_MS + 50;
  limitTimer = setTimeout(expireRun, Math.max(0, when - Date.now()));
  // In Node (the unit tests), a run left going must not keep the process alive.
  limitTimer.unref?.();
  api.alarms.create(RUN_LIMIT_ALARM, { when });
}

async function writeRun(run) {
  if (run.state === "done") {
    await sessionStore.remove("run");
    armLimit(null);
  } else {
    await sessionStore.write({ run });
    armLimit(run);
  }
}

/** A setting a scheduled check found on again and switched off: said until the popup is opened. */
async function noteSwitchedBackOn(rule) {
  const { switchedBackOn } = await localStore.read("switchedBackOn");
  const rules = [...new Set([...(switchedBackOn?.rules ?? []), rule])];
  await localStore.write({ switchedBackOn: { at: nowIso(), rules } });
}

/** Carries out one effect of a step. */
async function carryOut(effect, run) {
  switch (effect.do) {
    case "store": {
      const stored = await storeResult(effect.result, {
        tabId: run.tabId,
        replaces: effect.replaces,
        recordOnly: effect.recordOnly,
      });
      if (stored.backOn && stored.outcome === "turned-off") await noteSwitchedBackOn(stored.rule);
      return;
    }
    case "reload":
      return api.tabs.reload(run.tabId, { bypassCache: true });
    case "navigate":
      return api.tabs.update(run.tabId, { url: pageOf(effect.rule) });
    case "close-tab":
      return api.tabs.remove(run.tabId).catch(() => {});
    case "summary": {
      const { kind, ended, results, total, signedOut } = effect;
      return localStore.write({
        lastSweep: { kind, ended, results, total, signedOut, at: nowIso() },
      });
    }
    case "keep-due":
      return onCheckNotRun(effect.due);
    default:
      throw new Error(`no such effect: ${effect.do}`);
  }
}

/**
 * One event for the run (in the record's queue): the step, then the run stored and its effects
 * carried out. A run that ends is forgotten only after its last results and summary are
 * stored: the popup, which follows storage, never sees it over with an earlier word standing.
 */
async function step(run, event) {
  const { run: next, effects } = transition(run, { ...event, now: Date.now() });
  const ends = next.state === "done";
  if (next !== run && !ends) await writeRun(next);
  for (const effect of effects) await carryOut(effect, next);
  if (ends) await writeRun(next);
  return next;
}

/** The stored run, whatever its age (the time limit is an event of its own). */
async function storedRun() {
  const { run } = await sessionStore.read("run");
  return run ?? null;
}

/** The path of the run's setting's page, for a line about it that no page sent. */
const pathOfSetting = (run) => normalizePath(new URL(pageOf(settingOf(run))).pathname);

/** Whether the browser withholds the site from the extension (the member's site access). */
async function siteWithheld() {
  const origins = [`${SITE.origin}/*`];
  return (await api.permissions?.contains({ origins }).catch(() => true)) === false;
}

/** The run's setting did not answer within its limit: the run ends as timed-out. */
function expireRun() {
  return inOrder(async () => {
    const run = await storedRun();
    if (!run || Date.now() - run.startedAt <= RUN_LIMIT_MS) return;
    const reason = (await siteWithheld()) ? "site-access" : "no-answer";
    await step(run, { type: "time-limit", path: pathOfSetting(run), reason });
  }, "end a run past its time limit");
}

/** The run's time-limit alarm went off (the background slept through its timer). */
export function onRunAlarm(alarm) {
  return alarm.name === RUN_LIMIT_ALARM ? expireRun() : null;
}

/** The member's Cancel: the run ends at once; its tab, if it opened one, is closed. */
export function cancelRun() {
  return inOrder(async () => {
    const run = await storedRun();
    if (!run) return { cancelled: false };
    await step(run, { type: "cancel", path: pathOfSetting(run) });
    if (!run.opened)
      await api.tabs.sendMessage(run.tabId, { type: TO_CONTENT.stop }).catch(() => {});
    return { cancelled: true };
  }, "cancel the run");
}

/**
 * A run is a sweep over the chosen settings: one tab visits each setting's page in turn.
 * The member's own tab is used when it already shows the only setting to visit.
 */
async function startRun(activeTabId) {
  if (await currentRun()) return { started: false };
  const queue = await chosenRuleIds();
  if (queue.length === 0) return { started: false };
  const now = Date.now();
  const active = activeTabId == null ? null : await api.tabs.get(activeTabId).catch(() => null);
  await localStore.remove("lastSweep");
  if (active && queue.length === 1 && ruleAtUrl(active.url)?.rule.id === queue[0]) {
    await writeRun(newRun({ kind: "opt-out", queue, tabId: active.id, opened: false, now }));
    await api.tabs
      .sendMessage(active.id, { type: TO_CONTENT.runNow })
      .catch(() => api.tabs.reload(active.id));
  } else {
    const tab = await api.tabs.create({ url: pageOf(queue[0]), active: false });
    await writeRun(newRun({ kind: "opt-out", queue, tabId: tab.id, opened: true, now }));
  }
  return { started: true };
}

/**
 * A scheduled check: a background tab of its own; with automatic mode off every page is only
 * read. The settings off before it are kept, to tell a setting found on again; `dueBefore`
 * is the due time it gives back if it cannot run.
 */
async function startScheduledRun(dueBefore) {
  if (await currentRun()) return { started: false };
  const queue = await chosenRuleIds();
  if (queue.length === 0) return { started: false };
  const [{ automatic }, { latest }] = await Promise.all([
    memberChoices(),
    localStore.read("latest"),
  ]);
  const offBefore = queue.filter((id) => isOff(latest[id]?.outcome));
  const tab = await api.tabs.create({ url: pageOf(queue[0]), active: false });
  const readOnly = automatic === false;
  await writeRun(
    newRun({
      kind: "scheduled",
      queue,
      tabId: tab.id,
      opened: true,
      readOnly,
      offBefore,
      dueBefore,
      now: Date.now(),
    }),
  );
  return { started: true };
}

/** Start a run unless one is going; content scripts asking meanwhile wait for it. */
export function optOutNow(activeTabId, { scheduled = false, dueBefore = null } = {}) {
  const starting = runStarting.then(() =>
    scheduled ? startScheduledRun(dueBefore) : startRun(activeTabId),
  );
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
  await writeRun(
    newRun({
      kind: "confirm",
      queue,
      tabId: tab.id,
      opened: true,
      readOnly: true,
      now: Date.now(),
    }),
  );
  return { started: true };
}

export function confirmNow() {
  const starting = runStarting.then(startConfirm);
  runStarting = starting.catch(() => {});
  return starting;
}

export function noteProgress(tabId, phase) {
  return phase === "switching" ? forRunTab(tabId, { type: "progress" }, "note progress") : null;
}

/**
 * A checked result from a tab: stored with its time, or, from a run's tab, handled by the
 * run. One result at a time, in the order they arrive, so that no write is lost.
 * @param {import("../lib/messages.js").Result} result
 * @param {number} tabId
 * @param {{ doc?: string | null, seenByBackground?: boolean }} [source] the document that sent
 *   it, or that the background saw it itself (a sign-in page)
 */
export function resultArrived(result, tabId, source = { doc: null }) {
  return inOrder(async () => {
    await runStarting;
    const run = await currentRun();
    if (run?.tabId === tabId && result.rule === settingOf(run)) {
      return step(run, {
        type: "result",
        result,
        doc: source.doc ?? null,
        seenByBackground: source.seenByBackground === true,
      });
    }
    // A page only read for a fresh-load check reports nothing of its own.
    if (readsOnly(run, tabId)) return undefined;
    return storeResult(result, { tabId });
  }, "store a result");
}

/** A content script announced its document in a tab (its visit) on a page of `path`. */
export function documentArrived(tabId, doc, path = null) {
  return inOrder(async () => {
    await runStarting;
    const run = await currentRun();
    if (run?.tabId !== tabId || doc === null) return;
    if (path !== null && !rulesAt(path).some((rule) => rule.id === settingOf(run))) return;
    await step(run, { type: "document", doc });
  }, "note a document");
}

/**
 * The run's tab changed (background/navigation.js tells every change but a sign-in page and
 * a wrong address, which it handles): a load began (the fresh load), or the tab went to a
 * page that is not the setting's (a redirect, or the member went elsewhere). An address not
 * of the web (about:blank while a tab opens) is no page.
 */
export function runTabUpdated(tabId, change) {
  return inOrder(async () => {
    await runStarting;
    let run = await currentRun();
    if (run?.tabId !== tabId) return;
    if (change.status === "loading") run = await step(run, { type: "tab-loading" });
    const url = typeof change.url === "string" ? parsedUrl(change.url) : null;
    if (run.state === "done" || !url || !/^https?:$/.test(url.protocol)) return;
    if (ruleAtUrl(url.href)?.rule.id === settingOf(run)) return;
    await step(run, { type: "tab-left", path: pathOfSetting(run) });
  }, "follow the run's tab");
}

function parsedUrl(text) {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * What the background itself saw (a wrong address): a line in the record only, in the same queue as
 * results.
 */
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
  return forRunTab(tabId, { type: "tab-closed" }, "end the run of a closed tab");
}

/** An event for the run if `tabId` is its tab, in the queue. */
function forRunTab(tabId, event, what) {
  return inOrder(async () => {
    await runStarting;
    const run = await storedRun();
    if (run?.tabId === tabId) await step(run, event);
  }, what);
}
