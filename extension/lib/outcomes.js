/* The outcome vocabulary: what a visit of a setting's page can end with, and why. The content
   script and the background produce these, the background checks and stores them, the
   popup, the options page and the badge put them in words and marks. */

/**
 * Every outcome, with its kind: "off" (the setting is off), "action" (it is on, or the member
 * must sign in), "failed" (the extension could not find or switch it), or "none".
 */
export const OUTCOME_KINDS = {
  "turned-off": "off",
  "already-off": "off",
  on: "action",
  "signed-out": "action",
  failed: "failed",
  "not-found": "failed",
  ambiguous: "failed",
  disabled: "failed",
  "not-offered": "none",
  // The background's own: a tab opened an address in circulation for the setting where the
  // site shows none, and was brought to the setting's page (a line in the record only).
  "wrong-address": "none",
};

/** Why an outcome came about, where it needs saying. */
export const REASONS = [
  "reverted",
  "save-error",
  "timed-out",
  "several-switches",
  "unreadable-state",
  "automatic-off",
  "changed-by-member",
  "not-kept",
  "unsure-sense",
  "claimed-by-another-rule",
  // A run's own, for a setting it could not check: its page did not answer in time, the browser
  // withholds the site from the extension, LinkedIn showed another page, or the member cancelled.
  "no-answer",
  "site-access",
  "redirected",
  "cancelled",
];

/**
 * How a stored "off" was checked: "page" (read on the page the extension clicked on) or
 * "reload" (read again on a fresh load of the setting's page, in a tab of the extension's
 * own: the only proof called verified). Only the background sets it, never a page.
 */
export const PROOFS = ["page", "reload"];

/**
 * Whether a member may want to send results with this outcome to the maintainers: those of
 * the "failed" kind carry an outline of the page, and the popup offers "Copy diagnostics".
 */
export function needsDiagnostics(outcome) {
  return OUTCOME_KINDS[outcome] === "failed";
}

/** The most clicks one visit may make: the click, and one retry if the site reverts it. */
export const MAX_CLICKS = 2;

/**
 * The most clicks a run's line may count: its visits' together. A run tries a second visit
 * only after fewer than MAX_CLICKS saves (background/runs.js), so 1 + MAX_CLICKS at most.
 */
export const MAX_RUN_CLICKS = 1 + MAX_CLICKS;

/** Whether the outcome means the setting is off. */
export function isOff(outcome) {
  return OUTCOME_KINDS[outcome] === "off";
}

/**
 * Whether a stored result is proof a member may need to show: the setting off, or their own change.
 */
export function isProofEntry(entry) {
  return isOff(entry.outcome) || entry.reason === "changed-by-member";
}
