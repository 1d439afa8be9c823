/* The member's choices: which settings to opt out of, and whether to do it on every visit.
   Read from storage once and kept until storage says they changed, so that a settings page
   that has just loaded gets its answer without a storage read. */

import { RULES } from "./ruleset.js";
import { localStore } from "./storage.js";

let choices = null; // the promise of { automatic, chosen } as storage has them

export function memberChoices() {
  choices ??= localStore.read("automatic", "chosen").catch((error) => {
    choices = null;
    throw error;
  });
  return choices;
}

export function forgetChoicesIfChanged(changes, area) {
  if (localStore.changed(changes, area, "automatic", "chosen")) choices = null;
}

/** Stores the member's choices; what is read after this returns is what was stored. */
export async function storeChoices(values) {
  await localStore.write(values);
  choices = null;
}

/**
 * The rule ids chosen in these stored choices, in rule order (the rules' defaults until chosen).
 */
export function chosenIn({ chosen }) {
  if (Array.isArray(chosen))
    return RULES.filter((rule) => chosen.includes(rule.id)).map((r) => r.id);
  return RULES.filter((rule) => rule.chosenByDefault).map((rule) => rule.id);
}

/** The rules the member chose to opt out of. */
export async function chosenRuleIds() {
  return chosenIn(await memberChoices());
}

/** Keeps only the ids of known rules, for a choice a page sends. */
export function knownRuleIds(ids) {
  return ids.filter((id) => RULES.some((rule) => rule.id === id));
}
