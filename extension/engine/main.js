/* Wiring: asking the background which rules apply to this page and what to do with each,
   (re)arming when the settings app changes its URL without a page load, noticing the
   member's own clicks, and sending results. The rules themselves live in the background
   and arrive here with its answer, so this script carries no site data at all. */

import { api } from "../lib/api.js";
import { FROM_CONTENT, TO_CONTENT } from "../lib/messages.js";
import { normalizePath } from "../lib/text.js";
import { pageOutline } from "./outline.js";
import { optOut, reportMemberChoice } from "./run.js";
import { clickReaches, findSwitches } from "./switches.js";

const running = new Map(); // rule id -> AbortController of its current run
const memberChose = new Set(); // rule ids whose switch the member clicked on this page
let armedPath = null;
let armings = 0;
let visit = { config: null, rules: [] }; // the background's answer for armedPath

/**
 * The background's answer for a page: the site's timing and app selector, the
 * outcomes to send an outline of the page with, and the rules for this path that the member
 * chose, each with its plan: "act" (switch it off) or "read" (automatic mode is off: only
 * report the state). Unchosen rules are not sent. Texts arrive normalized.
 */
async function askVisit(path) {
  const answer = await api.runtime.sendMessage({ type: FROM_CONTENT.visit, path }).catch(() => null);
  return answer?.config && Array.isArray(answer.rules) ? answer : { config: null, rules: [] };
}

function report(rule, result) {
  const message = {
    type: FROM_CONTENT.result,
    result: {
      rule: rule.id,
      ...result,
      path: normalizePath(location.pathname),
      lang: document.documentElement.lang || null,
    },
  };
  if (visit.config?.diagnose.includes(result.outcome)) message.result.diagnostics = pageOutline(rule, visit.config);
  return api.runtime.sendMessage(message).catch(() => {});
}

function progress(phase) {
  api.runtime.sendMessage({ type: FROM_CONTENT.progress, phase }).catch(() => {});
}

function start(rule, task) {
  running.get(rule.id)?.abort();
  const controller = new AbortController();
  running.set(rule.id, controller);
  const context = {
    config: visit.config,
    signal: controller.signal,
    mayClick: rule.plan === "act",
    progress,
    report,
  };
  task(rule, context).finally(() => {
    if (running.get(rule.id) === controller) running.delete(rule.id);
  });
}

/** Runs the rules of the page now shown; `again` restarts those already running. */
async function arm({ again = false } = {}) {
  const path = normalizePath(location.pathname);
  if (path === armedPath && !again) return;
  armedPath = path;
  const arming = ++armings;
  const answer = await askVisit(path);
  if (arming !== armings) return; // the page moved on while the background answered
  visit = answer;
  for (const [id, controller] of running) {
    if (!visit.rules.some((rule) => rule.id === id)) controller.abort();
  }
  for (const rule of visit.rules) {
    if (running.has(rule.id) && !again) continue;
    start(rule, memberChose.has(rule.id) ? reportMemberChoice : optOut);
  }
}

function onMemberClick(event) {
  if (!event.isTrusted) return;
  for (const rule of visit.rules) {
    const found = findSwitches(rule);
    if (!found?.elements.some((element) => clickReaches(element, event.target))) continue;
    memberChose.add(rule.id);
    start(rule, reportMemberChoice);
  }
}

/** The member asked for a run from the popup while on this page: go again, from the top. */
function runNow() {
  memberChose.clear();
  arm({ again: true });
}

const BACKGROUND_MESSAGES = { [TO_CONTENT.locationChanged]: arm, [TO_CONTENT.runNow]: runNow };
document.addEventListener("click", onMemberClick, true);
addEventListener("popstate", () => arm());
api.runtime.onMessage.addListener((message, sender) => {
  if (sender.id !== api.runtime.id || sender.tab) return;
  if (Object.hasOwn(BACKGROUND_MESSAGES, message?.type)) BACKGROUND_MESSAGES[message.type]();
});
arm();
