/* Every message between the extension's parts, by who may send it: the one map of who talks
   to whom, with what each carries and what the background answers. */

/**
 * From a content script to the background (accepted only from the site's settings pages):
 * - visit { path } -> { config, rules, hub? }: what to look for on this page and what to do there;
 * - result { result }: how a visit of one rule's page ended (checked, then stored);
 * - progress { phase: "switching" }: the switch was just clicked;
 * - correction { rule, visit, reason, diagnostics? }: the page took back the "turned-off"
 *   this visit reported (reason "reverted" or "save-error"): the stored result becomes "failed";
 * - hub { path, rows: [{ href, text }] }: the rows of a hub page's section (visit answered
 *   with a hub), compared with the rules' pages; rows no rule knows are kept for the popup.
 */
export const FROM_CONTENT = {
  visit: "visit",
  result: "result",
  progress: "progress",
  correction: "correction",
  hub: "hub",
};

/**
 * From the background to the content script of one tab:
 * - location-changed: the settings app changed its URL without a page load; look again;
 * - run-now: "Opt out now" uses this tab; go again from the top;
 * - stop: the member cancelled the run in this tab; click nothing more on this page.
 */
export const TO_CONTENT = { locationChanged: "location-changed", runNow: "run-now", stop: "stop" };

/**
 * From the extension's own pages (popup, options) to the background:
 * - get-status -> everything the popup shows;
 * - opt-out-now { tabId } -> { started };
 * - confirm -> { started }: a fresh-load check of the main setting in a background tab;
 * - cancel -> { cancelled }: the run going on ends now (its tab closed if it opened one);
 * - repair-seen: the member dismissed the notice that damaged storage was reset;
 * - get-settings -> every setting the rules know, for the options page;
 * - set-chosen { chosen: rule ids } -> the settings, as get-settings answers;
 * - set-automatic { automatic } -> the popup's status, as get-status answers;
 * - get-recheck -> the scheduled re-check: { every, due, last };
 * - set-recheck { every: "week" | "month" | "never" } -> the re-check, as get-recheck answers;
 * - back-on-seen: the popup showed that a scheduled check found a setting on again;
 * - get-record -> { record, mainRule }: the record as "Save record" writes it (background/recordfile.js);
 * - restore-record { text } -> { restored: { added, already } } or { refused: { problem, field?, entry?, version? } }:
 *   a saved record file's text, checked whole, then merged into the record (nothing changes when refused).
 */
export const FROM_PAGES = {
  getStatus: "get-status",
  optOutNow: "opt-out-now",
  confirm: "confirm",
  cancel: "cancel",
  repairSeen: "repair-seen",
  getSettings: "get-settings",
  setChosen: "set-chosen",
  setAutomatic: "set-automatic",
  getRecheck: "get-recheck",
  setRecheck: "set-recheck",
  backOnSeen: "back-on-seen",
  getRecord: "get-record",
  restoreRecord: "restore-record",
};
