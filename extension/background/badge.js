/* The toolbar badge: a mark for the latest known state of the main setting. It follows the
   stored results, whoever wrote them, so it can never disagree with the popup. */

const BADGES = {
  off: { text: "✓", color: "#17692f", title: "badgeOff" },
  action: { text: "!", color: "#8a4500", title: "badgeOn" },
  failed: { text: "×", color: "#b3261e", title: "badgeFailed" },
};
const BADGE_FOR_OUTCOME = {
  "turned-off": "off",
  "already-off": "off",
  on: "action",
  "signed-out": "action",
  failed: "failed",
  "not-found": "failed",
  ambiguous: "failed",
  disabled: "failed",
};

async function updateBadge(latest) {
  const badge = BADGES[BADGE_FOR_OUTCOME[latest?.outcome]];
  await api.action.setBadgeText({ text: badge?.text ?? "" });
  await api.action.setTitle({ title: badge ? api.i18n.getMessage(badge.title) : "" });
  if (!badge) return;
  await api.action.setBadgeBackgroundColor({ color: badge.color });
  await api.action.setBadgeTextColor?.({ color: "#ffffff" });
}

const BADGE_SEVERITY = ["off", "action", "failed"];

/** The chosen settings' worst latest result: one that failed outranks one that needs action. */
function worstResult(latest, chosen) {
  const rank = (result) => BADGE_SEVERITY.indexOf(BADGE_FOR_OUTCOME[result?.outcome]);
  return chosen
    .map((id) => latest[id])
    .filter(Boolean)
    .reduce((worst, result) => (rank(result) > rank(worst) ? result : worst), undefined);
}

async function restoreBadge() {
  const [{ latest = {} }, chosen] = await Promise.all([
    api.storage.local.get("latest"),
    chosenRuleIds(),
  ]);
  await updateBadge(worstResult(latest, chosen));
}

function onStorageChanged(changes, area) {
  if (area === "local" && (changes.latest || changes.chosen)) restoreBadge();
}
