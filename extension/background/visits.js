/* The answer to a content script arriving on a settings page: what to look for there and
   what to do with it. The content script knows no site: everything it looks for comes from
   here. */

import { needsDiagnostics, OUTCOME_KINDS } from "../lib/outcomes.js";
import { normalizeText } from "../lib/text.js";
import { chosenIn, memberChoices } from "./choices.js";
import { hubToRead } from "./hub.js";
import { RULES, rulesAt, SITE } from "./ruleset.js";
import { currentRun, documentArrived, readsOnly, runStarted } from "./runs.js";

/**
 * What every content script is told about the site, and with which results to send the facts
 * of the page (the background makes its outline of them: background/record.js).
 */
/** Words that turn a text into its opposite, every language's (the rule data's site.negations). */
const NEGATIONS = Object.values(SITE.negations ?? {})
  .flat()
  .map(normalizeText);

/** @type {import("../lib/messages.js").VisitConfig} */
const CONFIG = {
  appReady: SITE.appReady,
  frontEnds: SITE.frontEnds ?? [],
  timing: SITE.timing,
  diagnose: Object.keys(OUTCOME_KINDS).filter(needsDiagnostics),
};

/**
 * A rule as a content script is sent it: what to find on its page, texts normalized, the app
 * region (where a page-level step such as only-switch looks), and where the site's switch
 * component mirrors its state besides the switch itself.
 */
function ruleToFind({ id, switch: steps, headings, saveError }) {
  const normalizedHeadings = Object.values(headings).flat().map(normalizeText);
  const labels = steps.filter((step) => step.text).map((step) => normalizeText(step.text));
  return {
    id,
    app: SITE.appReady,
    stateMirrors: SITE.stateMirrors ?? [],
    switch: steps.map((step) =>
      step.text ? { ...step, normalizedText: normalizeText(step.text) } : step,
    ),
    normalizedHeadings,
    sense: { known: [...labels, ...normalizedHeadings], negations: NEGATIONS },
    saveError,
  };
}

const TO_FIND = new Map(RULES.map((rule) => [rule.id, ruleToFind(rule)]));

/**
 * What the content script in this tab does with a rule: "act" in automatic mode or in the
 * run's tab, "read" when automatic mode is off or while a run checks a fresh load in this
 * tab, "skip" for a setting the member did not choose.
 */
async function visitPlan(tabId, ruleId) {
  await runStarted();
  const [stored, run] = await Promise.all([memberChoices(), currentRun()]);
  if (readsOnly(run, tabId)) return "read";
  if (!chosenIn(stored).includes(ruleId)) return "skip";
  if (stored.automatic !== false) return "act";
  return run?.tabId === tabId ? "act" : "read";
}

/**
 * The answer for a content script on `path`: the site's app selector and timing, the outcomes
 * to send the facts of the page with, each rule of that page with what to find and its plan
 * (an unchosen one's is "skip": it is only looked for, so that no other rule takes its switch),
 * and on a hub page what its section's rows are (nothing is clicked there).
 * @param {number} tabId
 * @param {string} path
 * @param {string | null} [doc]
 * @returns {Promise<import("../lib/messages.js").VisitAnswer>}
 */
export async function visitFor(tabId, path, doc = null) {
  await documentArrived(tabId, doc, path);
  const rules = [];
  for (const rule of rulesAt(path)) {
    rules.push({ ...TO_FIND.get(rule.id), plan: await visitPlan(tabId, rule.id) });
  }
  const hub = hubToRead(path);
  return hub ? { config: CONFIG, rules, hub } : { config: CONFIG, rules };
}
