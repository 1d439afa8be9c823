/* The toolbar badge: a mark for the worst latest result of the chosen settings. It follows
   the stored results, whoever wrote them, so it can never disagree with the popup. */

import { api } from "../lib/api.js";
import { OUTCOME_KINDS } from "../lib/outcomes.js";
import { chosenRuleIds } from "./choices.js";
import { MAIN_RULE } from "./ruleset.js";
import { localStore } from "./storage.js";

/** A mark for each kind of outcome; SEVERITY orders the kinds from the least to the most severe. */
const BADGES = {
  off: { text: "✓", color: "#17692f", title: "badgeOff" },
  action: { text: "!", color: "#8a4500", title: "badgeOn" },
  failed: { text: "×", color: "#b3261e", title: "badgeFailed" },
  // Off, shown for a setting other than the main one: its tooltip claims nothing about AI.
  offOther: { text: "✓", color: "#17692f", title: "badgeOffChosen" },
};
const SEVERITY = ["off", "action", "failed"];

/** The mark's kind: an off result says what the main setting's switch covers only if it is that setting's. */
function kindOf(latest) {
  const kind = OUTCOME_KINDS[latest?.outcome];
  return kind === "off" && latest.rule !== MAIN_RULE.id ? "offOther" : kind;
}

async function showBadge(latest) {
  const badge = BADGES[kindOf(latest)];
  await api.action.setBadgeText({ text: badge?.text ?? "" });
  await api.action.setTitle({ title: badge ? api.i18n.getMessage(badge.title) : "" });
  if (!badge) return;
  await api.action.setBadgeBackgroundColor({ color: badge.color });
  await api.action.setBadgeTextColor?.({ color: "#ffffff" });
}

/** The chosen settings' worst latest result: one that failed outranks one that needs action. */
function worstResult(latest, chosen) {
  const rank = (result) => SEVERITY.indexOf(OUTCOME_KINDS[result?.outcome]);
  return chosen
    .map((id) => latest[id])
    .filter(Boolean)
    .reduce((worst, result) => (rank(result) > rank(worst) ? result : worst), undefined);
}

export async function restoreBadge() {
  const [{ latest }, chosen] = await Promise.all([localStore.read("latest"), chosenRuleIds()]);
  await showBadge(worstResult(latest, chosen));
}

export function onStorageChanged(changes, area) {
  if (localStore.changed(changes, area, "latest", "chosen")) restoreBadge();
}
