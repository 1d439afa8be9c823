/* One visit of one rule's page: detect the switch, act only if it reads on, verify, report.
   The invariant: never click a switch that does not read "on" right now, never click
   twice without reading again in between, never more than one retry, never after the
   member has clicked the switch themselves. */

import { MAX_CLICKS } from "../lib/outcomes.js";
import {
  findSwitches, headingPresent, isBusy, isDisabled, readState, STEP_KINDS, switchLabels,
} from "./switches.js";
import { watchDom } from "./watch.js";

/** What to do with the switch as the page is now; undefined while there is nothing to decide. */
function decide(rule) {
  const found = findSwitches(rule);
  if (!found) return undefined;
  const { elements, strategy } = found;
  if (elements.length > 1) return { kind: "ambiguous", strategy, reason: "several-switches" };
  const [element] = elements;
  if (isBusy(element)) return undefined;
  if (isDisabled(element)) return { kind: "disabled", strategy };
  const state = readState(element);
  if (state === "unknown") return { kind: "ambiguous", strategy, reason: "unreadable-state" };
  return { kind: state, strategy, element };
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
 * A check for watchDom: resolves once the switch reads the same, readable, not busy,
 * for settleMs. Re-finds the switch every time (the framework may replace the element).
 */
function settledState(rule, settleMs) {
  let last;
  let since = 0;
  let sawSaveError = false;
  return (wake) => {
    sawSaveError ||= document.querySelector(rule.saveError) !== null;
    const decision = decide(rule);
    const reading = decision?.kind ?? "pending";
    const now = performance.now();
    if (reading !== last) {
      last = reading;
      since = now;
    }
    if (reading !== "on" && reading !== "off") return undefined;
    const held = now - since;
    if (held >= settleMs) return { state: reading, sawSaveError };
    wake(settleMs - held);
    return undefined;
  };
}

/** What one visit waits with: one deadline for all of it, and the labels' text watched. */
function visitWatch(config, signal) {
  return { deadline: performance.now() + config.timing.limitMs, signal, textIn: switchLabels };
}

/** Why nothing was found once time ran out: the setting missing from a rendered page, or not found. */
function absenceOutcome(rule, config) {
  const rendered = document.querySelector(config.appReady) !== null;
  return rendered && !headingPresent(rule) ? "not-offered" : "not-found";
}

export async function optOut(rule, { config, signal, mayClick, progress, report }) {
  const watching = visitWatch(config, signal);
  const found = await watchDom(steadyDecision(rule, config.timing.settleMs), watching);
  if (found.aborted) return;
  if (found.timedOut) return report(rule, { outcome: absenceOutcome(rule, config) });

  const { kind, strategy, reason } = found.value;
  if (kind === "ambiguous" || kind === "disabled") return report(rule, { outcome: kind, reason, strategy });
  if (kind === "off") return report(rule, { outcome: "already-off", strategy, clicks: 0 });
  if (!mayClick) return report(rule, { outcome: "on", reason: "automatic-off", strategy });

  let clicks = 0;
  let sawSaveError = false;
  while (clicks < MAX_CLICKS) {
    const current = decide(rule);
    if (clicks === 0 && current?.kind === "off") {
      return report(rule, { outcome: "already-off", strategy, clicks });
    }
    if (current?.kind !== "on") break;
    current.element.click();
    clicks += 1;
    if (clicks === 1) progress("switching"); // after the click: the click is what counts
    const settled = await watchDom(settledState(rule, config.timing.settleMs), watching);
    if (settled.aborted) return;
    if (settled.timedOut) return report(rule, { outcome: "failed", reason: "timed-out", strategy, clicks });
    if (settled.value.state === "off") return report(rule, { outcome: "turned-off", strategy, clicks });
    sawSaveError ||= settled.value.sawSaveError;
  }
  const failure = sawSaveError ? "save-error" : "reverted";
  return report(rule, { outcome: "failed", reason: failure, strategy, clicks });
}

/** After the member clicked the switch: read what they chose, once it holds, and report it. */
export async function reportMemberChoice(rule, { config, signal, report }) {
  const watching = visitWatch(config, signal);
  const settled = await watchDom(settledState(rule, config.timing.settleMs), watching);
  if (!settled.value) return;
  const outcome = settled.value.state === "on" ? "on" : "already-off";
  return report(rule, { outcome, reason: "changed-by-member", clicks: 0 });
}
