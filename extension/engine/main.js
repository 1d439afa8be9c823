/* Wiring: asking the background which rules apply to this page and what to do with each,
   (re)arming when the settings app changes its URL without a page load, noticing the
   member's own actions on a setting, and sending results. The rules themselves live in the
   background and arrive here with its answer, so this script carries no site data at all.
   It starts with the page (document_start), so that no action of the member goes unseen. */

import { api } from "../lib/api.js";
import { TEXT_MAX } from "../lib/facts.js";
import { FROM_CONTENT, TO_CONTENT } from "../lib/messages.js";
import { normalizePath } from "../lib/text.js";
import { pageFacts } from "./facts.js";
import { readHub } from "./hub.js";
import { optOut, reportMemberChoice } from "./run.js";
import { actionReaches, findSwitches, reachedIsRules, switchesReached } from "./switches.js";

// Names this document: a run takes a fresh load's reading only from a document that announced
// itself after the reload was asked for, never from the one it reloaded.
const DOCUMENT = crypto.randomUUID();
const running = new Map(); // rule id -> AbortController of its current run
const memberChose = new Set(); // rule ids whose setting the member acted on during this page
// Rule id -> the controls the member could see when the extension last clicked that rule's
// switch: a control the page shows after the click (an "Undo" in a toast, even one that was
// there hidden before) is about that click.
const shownAtClick = new Map();
const CONTROLS = 'button, a[href], [role="button"], [role="link"]';
let armedPath = null;
let armings = 0;
let visit = { config: null, rules: [] }; // the background's answer for armedPath
// The member's actions while the background answers: each target, and the switches it reached
// then (the page may render them anew before the rules arrive).
let waiting = [];
let hubReading = null; // the reading of a hub page's section, if this page is a hub

/**
 * The background's answer for a page: the site's timing and app selector, the outcomes to
 * send the facts of the page with (for the background's outline), and the rules for this
 * path that the member chose, each with its plan: "act" (switch it off) or "read" (automatic mode
 * is off: only report the state). Unchosen rules are not sent. Texts arrive normalized.
 * @param {string} path
 * @returns {Promise<import("../lib/messages.js").VisitAnswer>}
 */
async function askVisit(path) {
  const answer = await api.runtime
    .sendMessage({ type: FROM_CONTENT.visit, path, doc: DOCUMENT })
    .catch(() => null);
  return answer?.config && Array.isArray(answer.rules) ? answer : { config: null, rules: [] };
}

/** The message, with the facts of the page if the outcome is one to send them with. */
function withFacts(message, rule, outcome, config) {
  if (config.diagnose.includes(outcome)) message.facts = pageFacts(rule, config);
  return message;
}

/** @param {import("../lib/messages.js").ContentMessage} message */
function send(message) {
  return api.runtime.sendMessage(message).catch(() => {});
}

function start(rule, task) {
  running.get(rule.id)?.abort();
  const controller = new AbortController();
  running.set(rule.id, controller);
  const id = crypto.randomUUID(); // names this visit of the rule's page, for a correction
  const { config } = visit;
  const context = {
    config,
    signal: controller.signal,
    mayClick: rule.plan === "act",
    progress: (phase) => send({ type: FROM_CONTENT.progress, phase }),
    report: (rule, result) => {
      // The page's language as it says it (cut to size): the background reports its language part.
      const page = {
        path: normalizePath(location.pathname),
        lang: document.documentElement.lang.slice(0, TEXT_MAX),
      };
      const full = withFacts(
        { rule: rule.id, visit: id, ...result, ...page },
        rule,
        result.outcome,
        config,
      );
      return send({ type: FROM_CONTENT.result, result: full, doc: DOCUMENT });
    },
    correct: (rule, reason) =>
      send(
        withFacts(
          { type: FROM_CONTENT.correction, rule: rule.id, visit: id, reason },
          rule,
          "failed",
          config,
        ),
      ),
    clicking: () => shownAtClick.set(rule.id, visibleControls()),
  };
  task(rule, context).finally(() => {
    if (running.get(rule.id) !== controller) return;
    running.delete(rule.id);
    shownAtClick.delete(rule.id);
  });
}

/** Whether the member's action on `target` is about this rule's setting. */
function touches(rule, target) {
  const control = target?.closest?.(CONTROLS);
  if (control && shownAtClick.has(rule.id) && !shownAtClick.get(rule.id).has(control)) return true;
  return findSwitches(rule)?.elements.some((element) => actionReaches(element, target)) ?? false;
}

/** Whether an action made before the rules arrived was about this rule's setting. */
function touchedEarly(rule, { target, reached }) {
  return touches(rule, target) || reached.some((each) => reachedIsRules(rule, each));
}

/**
 * The controls the member can see now: one shown after the extension's click is about that click.
 */
function visibleControls() {
  return new Set(
    [...document.querySelectorAll(CONTROLS)].filter(
      (control) => control.checkVisibility?.() ?? true,
    ),
  );
}

/** The member acted on the setting: their choice stands; report it, click nothing more. */
function memberActed(rule) {
  memberChose.add(rule.id);
  start(rule, reportMemberChoice);
}

/** Runs the rules of the page now shown; `again` restarts those already running. */
async function arm({ again = false } = {}) {
  const path = normalizePath(location.pathname);
  if (path === armedPath && !again) return;
  armedPath = path;
  const arming = ++armings;
  visit = { config: null, rules: [] };
  const answer = await askVisit(path);
  if (arming !== armings) return; // the page moved on while the background answered
  // One element answers to one rule: each rule knows the page's other rules, chosen or not.
  for (const rule of answer.rules) rule.rivals = answer.rules.filter((other) => other !== rule);
  visit = { ...answer, rules: answer.rules.filter((rule) => rule.plan !== "skip") };
  hubReading?.abort();
  hubReading = answer.hub ? readHub(answer.hub, answer.config, path) : null;
  for (const [id, controller] of running) {
    if (!visit.rules.some((rule) => rule.id === id)) controller.abort();
  }
  const early = waiting;
  waiting = [];
  for (const rule of visit.rules) {
    if (early.some((action) => touchedEarly(rule, action))) memberChose.add(rule.id);
    if (running.has(rule.id) && !again) continue;
    start(rule, memberChose.has(rule.id) ? reportMemberChoice : optOut);
  }
}

/** A trusted click, pointer press, or Space/Enter: matched now, or once the rules arrive. */
function onMemberAction(event) {
  if (!event.isTrusted || (event.type === "keydown" && event.key !== " " && event.key !== "Enter"))
    return;
  if (!visit.config) waiting.push({ target: event.target, reached: switchesReached(event.target) });
  for (const rule of visit.rules) if (touches(rule, event.target)) memberActed(rule);
}

/** The member asked for a run from the popup while on this page: go again, from the top. */
function runNow() {
  memberChose.clear();
  arm({ again: true });
}

/**
 * The member cancelled the run in this tab: nothing more is clicked on this page until it loads
 * again.
 */
function stop() {
  for (const controller of running.values()) controller.abort();
  running.clear();
}

const BACKGROUND_MESSAGES = {
  [TO_CONTENT.locationChanged]: arm,
  [TO_CONTENT.runNow]: runNow,
  [TO_CONTENT.stop]: stop,
};
for (const type of ["click", "pointerdown", "keydown"])
  document.addEventListener(type, onMemberAction, true);
addEventListener("popstate", () => arm());
api.runtime.onMessage.addListener((message, sender) => {
  if (sender.id !== api.runtime.id || sender.tab) return;
  if (Object.hasOwn(BACKGROUND_MESSAGES, message?.type)) BACKGROUND_MESSAGES[message.type]();
});
arm();
