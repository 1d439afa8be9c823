/* One visit of one rule's page: detect the switch, act only if it reads on, verify, report.
   The invariant: never click a switch that does not read "on" right now, never click
   twice without reading again in between, never more than one retry, never after the
   member has acted on the setting themselves, never again after a correction. */

import { MAX_CLICKS } from "../lib/outcomes.js";
import { isBusy, isDisabled, readState, STEP_KINDS, switchFor, switchLabels } from "./switches.js";
import { watchDom } from "./watch.js";

/** What to do with the switch as the page is now; undefined while there is nothing to decide. */
function decide(rule) {
  const found = switchFor(rule);
  if (!found) return undefined;
  const { element, strategy, reason } = found;
  if (reason) return { kind: "ambiguous", strategy, reason };
  if (isBusy(element)) return undefined;
  if (isDisabled(element)) return { kind: "disabled", strategy };
  const state = readState(element, rule.stateMirrors);
  if (state === "unknown") return { kind: "ambiguous", strategy, reason: "unreadable-state" };
  return { kind: state, strategy, element };
}

/** The site's save error messages on the page now. */
const saveErrors = (rule) => new Set(document.querySelectorAll(rule.saveError));

/** Whether a save error message is shown that was not there in `before`. */
function newSaveError(rule, before) {
  return [...saveErrors(rule)].some((message) => !before.has(message));
}

/**
 * A check for watchDom: what to do with the switch, once there is something to decide. What a
 * page-level step found must hold for settleMs first: a page still rendering its switches one
 * by one must not pass its first one off as its only one.
 */
function steadyDecision(rule, settleMs) {
  let last;
  let since;
  return (wake) => {
    const decision = decide(rule);
    const reading = decision && decision.kind + decision.strategy;
    if (reading !== last) [last, since] = [reading, performance.now()];
    const wait = since + settleMs - performance.now();
    if (!decision || !STEP_KINDS[decision.strategy]?.pageLevel || wait <= 0) return decision;
    wake(wait);
  };
}

/**
 * A check for watchDom: resolves once the page is quiet after a click: the switch reads
 * the same, readable, not busy, not disabled, for settleMs, and "off" counts only while no
 * new save error shows. Re-finds the switch every time (the framework may replace it).
 * `seen.saveError` tells afterwards whether a new save error showed at all.
 */
function settledState(rule, { settleMs, errorsBefore, seen }) {
  let last;
  let since = 0;
  return (wake) => {
    const error = newSaveError(rule, errorsBefore);
    seen.saveError ||= error;
    let reading = decide(rule)?.kind ?? "pending";
    if (reading === "off" && error) reading = "off-with-error";
    const now = performance.now();
    if (reading !== last) {
      last = reading;
      since = now;
    }
    if (reading !== "on" && reading !== "off") return undefined;
    const held = now - since;
    if (held >= settleMs) return reading;
    wake(settleMs - held);
    return undefined;
  };
}

/** What one visit waits with: one deadline for all of it, and the labels' text watched. */
function visitWatch(config, signal) {
  return { deadline: performance.now() + config.timing.limitMs, signal, textIn: switchLabels };
}

/**
 * After a verified "off", while the member stays on the page (until it unloads, the app
 * leaves the setting's path, or the visit's time limit): a switch that reads on again, or
 * a new save error, turns the result into a failure. The member's own actions end this
 * watch before it can see their change (main.js aborts it), so what it sees is the site's.
 */
async function watchKept(rule, { correct }, watching, errorsBefore) {
  const broken = await watchDom(() => {
    if (newSaveError(rule, errorsBefore)) return "save-error";
    if (decide(rule)?.kind === "on") return "reverted";
    return undefined;
  }, watching);
  if (broken.value) correct(rule, broken.value);
}

export async function optOut(rule, context) {
  const { config, signal, mayClick, progress, report, clicking } = context;
  const watching = visitWatch(config, signal);
  const found = await watchDom(steadyDecision(rule, config.timing.settleMs), watching);
  if (found.aborted) return;
  // Not found in time: the background tells "not offered" (the app rendered without the
  // setting's heading) from the page outline this outcome is sent with.
  if (found.timedOut) return report(rule, { outcome: "not-found" });

  const { kind, strategy, reason } = found.value;
  if (kind === "ambiguous" || kind === "disabled")
    return report(rule, { outcome: kind, reason, strategy });
  if (kind === "off")
    return report(rule, { outcome: "already-off", strategy, clicks: 0, proof: "page" });
  if (!mayClick) return report(rule, { outcome: "on", reason: "automatic-off", strategy });

  let clicks = 0;
  const seen = { saveError: false };
  while (clicks < MAX_CLICKS) {
    const current = decide(rule);
    if (clicks === 0 && current?.kind === "off") {
      return report(rule, { outcome: "already-off", strategy, clicks, proof: "page" });
    }
    if (current?.kind !== "on") break;
    const errorsBefore = saveErrors(rule);
    clicking();
    /** @type {HTMLElement} */ (current.element).click();
    clicks += 1;
    if (clicks === 1) progress("switching"); // after the click: the click is what counts
    const quiet = { settleMs: config.timing.settleMs, errorsBefore, seen };
    const settled = await watchDom(settledState(rule, quiet), watching);
    if (settled.aborted) return;
    if (settled.timedOut) {
      const failure = seen.saveError ? "save-error" : "timed-out";
      return report(rule, { outcome: "failed", reason: failure, strategy, clicks });
    }
    if (settled.value === "off") {
      await report(rule, { outcome: "turned-off", strategy, clicks, proof: "page" });
      return watchKept(rule, context, watching, errorsBefore);
    }
  }
  const failure = seen.saveError ? "save-error" : "reverted";
  return report(rule, { outcome: "failed", reason: failure, strategy, clicks });
}

/** After the member acted on the setting: read what they chose, once it holds, and report it. */
export async function reportMemberChoice(rule, { config, signal, report }) {
  const watching = visitWatch(config, signal);
  const quiet = { settleMs: config.timing.settleMs, errorsBefore: saveErrors(rule), seen: {} };
  const settled = await watchDom(settledState(rule, quiet), watching);
  if (!settled.value) return;
  const outcome = settled.value === "on" ? "on" : "already-off";
  return report(rule, { outcome, reason: "changed-by-member", clicks: 0 });
}
