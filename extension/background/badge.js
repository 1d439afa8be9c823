/* The toolbar badge: a mark for the worst latest result of the chosen settings. It follows
   the stored results, whoever wrote them, so it can never disagree with the popup. */

import { api } from "../lib/api.js";
import { OUTCOME_KINDS } from "../lib/outcomes.js";
import { chosenRuleIds } from "./choices.js";
import { MAIN_RULE } from "./ruleset.js";
import { localStore } from "./storage.js";

/** A mark for each kind of outcome, and for a setting LinkedIn had switched back on. */
const BADGES = {
  off: { text: "✓", color: "#17692f", title: "badgeOff" },
  action: { text: "!", color: "#8a4500", title: "badgeOn" },
  failed: { text: "×", color: "#b3261e", title: "badgeFailed" },
  // Off, shown for a setting other than the main one: its tooltip claims nothing about AI.
  offOther: { text: "✓", color: "#17692f", title: "badgeOffChosen" },
  // Off as read on a page only (no fresh load has confirmed it): neutral, never ✓.
  offOnPage: { text: "…", color: "#5f6368", title: "badgeOffOnPage" },
  // A scheduled check found a setting on again and switched it off: until the popup is opened.
  backOn: { text: "!", color: "#8a4500", title: "badgeBackOn" },
};
/** The kinds of outcome, from the least to the most severe. */
const SEVERITY = ["off", "action", "failed"];

/**
 * The mark for the worst result: the notice that a setting was found on again (unless one
 * failed); an off result's tooltip says what the main setting's switch covers only for it.
 */
function badgeKind(latest, backOn) {
  const kind = OUTCOME_KINDS[latest?.outcome];
  if (backOn && kind !== "failed") return "backOn";
  if (kind === "off" && latest.proof !== "reload") return "offOnPage";
  return kind === "off" && latest.rule !== MAIN_RULE.id ? "offOther" : kind;
}

async function showBadge(latest, backOn) {
  const badge = BADGES[badgeKind(latest, backOn)];
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
  const [{ latest, switchedBackOn }, chosen] = await Promise.all([
    localStore.read("latest", "switchedBackOn"),
    chosenRuleIds(),
  ]);
  await showBadge(worstResult(latest, chosen), switchedBackOn !== null);
}

export function onStorageChanged(changes, area) {
  if (localStore.changed(changes, area, "latest", "chosen", "switchedBackOn")) restoreBadge();
}
