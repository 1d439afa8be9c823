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

async function restoreBadge() {
  const { latest = {} } = await api.storage.local.get("latest");
  await updateBadge(latest[MAIN_RULE.id]);
}

function onStorageChanged(changes, area) {
  if (area === "local" && changes.latest) updateBadge(changes.latest.newValue?.[MAIN_RULE.id]);
}
