/* Every message between the extension's parts, by who may send it: the one map of who talks
   to whom, with what each carries and what the background answers. */

/**
 * From a content script to the background (accepted only from the site's settings pages):
 * - visit { path } -> { config, rules, hub? }: what to look for on this page and what to do there;
 * - result { result }: how a visit of one rule's page ended (checked, then stored);
 * - progress { phase: "switching" }: the switch was just clicked;
 * - correction { rule, visit, reason, facts? }: the page took back the "turned-off"
 *   this visit reported (reason "reverted" or "save-error"): the stored result becomes "failed";
 * - hub { path, rows: [{ href, text }] }: the rows of a hub page's section (visit answered
 *   with a hub), compared with the rules' pages; rows no rule knows are kept for the popup.
 */
/**
 * @type {{
 *   visit: "visit"; result: "result"; progress: "progress"; correction: "correction"; hub: "hub";
 * }}
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
/** @type {{ locationChanged: "location-changed"; runNow: "run-now"; stop: "stop" }} */
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
 * - get-record -> { record, mainRule }: the record as "Save record" writes it
 *   (background/recordfile.js);
 * - restore-record { text } -> { restored: { added, already } }
 *   or { refused: { problem, field?, entry?, version? } }: a saved record file's text, checked
 *   whole, then merged into the record (nothing changes when refused).
 */
/**
 * @type {{
 *   getStatus: "get-status"; optOutNow: "opt-out-now"; confirm: "confirm"; cancel: "cancel";
 *   repairSeen: "repair-seen"; getSettings: "get-settings"; setChosen: "set-chosen";
 *   setAutomatic: "set-automatic"; getRecheck: "get-recheck"; setRecheck: "set-recheck";
 *   backOnSeen: "back-on-seen"; getRecord: "get-record"; restoreRecord: "restore-record";
 * }}
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

/* The same map as types, for tsc (tsconfig.json): each message with what it carries and what
   the background answers, the answers' parts, and the API typed with them (lib/api.js).
   JSDoc only: esbuild leaves these comments out of the bundles. */

/** @typedef {keyof typeof import("./outcomes.js").OUTCOME_KINDS} Outcome */
/** @typedef {{ rule: string, outcome: Outcome }} RuleOutcome A setting and what was found. */

/**
 * What a visit of one rule's page reports (engine/run.js, sent by engine/main.js): the
 * background checks it field by field (background/record.js cleanResult) before storing it.
 * @typedef {object} VisitReport
 * @property {string} rule the rule's id
 * @property {Outcome} outcome
 * @property {string} [reason] one of lib/outcomes.js REASONS
 * @property {string} [strategy] the kind of rule step that found the switch
 * @property {number} [clicks]
 * @property {"page"} [proof] "off" read on the page that clicked
 * @property {string} visit names this visit of the page (for a correction)
 * @property {string} path
 * @property {string} lang the page's language, as it says it
 * @property {object} [facts] of the page, for the background's outline (lib/facts.js)
 */

/**
 * A result as the background keeps it: a visit's report cleaned, or a line the background
 * or a run wrote itself (a sign-in page, a wrong address, a setting a run could not check).
 * @typedef {object} Result
 * @property {string} rule
 * @property {Outcome} outcome
 * @property {string} path
 * @property {string} [reason]
 * @property {string} [strategy]
 * @property {number} [clicks]
 * @property {string} [visit]
 * @property {string} [lang] the page's language part (lib/allowlist.js reportedLanguage)
 * @property {"page" | "reload"} [proof]
 * @property {object} [diagnostics] the outline of the page (lib/outline.js)
 * @property {"scheduled"} [check] a scheduled check's
 * @property {true} [backOn] a scheduled check found the setting on again
 * @property {string} [at] when a run took a page's "off" (names the line a fresh load replaces)
 */

/**
 * A stored result (background/storage.js isStoredResult): a rule's latest result, or a line of
 * the record (without its outline and tab), with its time.
 * @typedef {Result & StoredFields} StoredEntry
 * @typedef {object} StoredFields
 * @property {string} at when it was stored
 * @property {number} [count] how many times the line repeated (folded into one)
 * @property {string} [last] when it last repeated
 * @property {string} [restored] when the saved record file it came from was saved
 * @property {number} [tab] the tab it came from (latest results only)
 */

/**
 * The visit answer's part every content script gets (background/visits.js CONFIG).
 * @typedef {object} VisitConfig
 * @property {string} appReady the selector of the site's settings app
 * @property {object[]} frontEnds
 * @property {{ limitMs: number, settleMs: number }} timing
 * @property {string[]} diagnose the outcomes to send the facts of the page with
 */

/**
 * A rule as a content script is sent it (background/visits.js ruleToFind), with its plan.
 * @typedef {object} RuleToFind
 * @property {string} id
 * @property {string} app
 * @property {string[]} stateMirrors
 * @property {{ by: string, id?: string, lang?: string, text?: string, normalizedText?: string }[]}
 *   switch
 * @property {string[]} normalizedHeadings
 * @property {{ known: string[], negations: string[] }} sense
 * @property {string} saveError
 * @property {"act" | "read" | "skip"} plan
 * @property {RuleToFind[]} [rivals] the page's other rules (engine/main.js sets them)
 */

/** @typedef {{ section: string[], row: string }} HubToRead A hub page's section and its rows. */

/**
 * visit { path } -> { config, rules, hub? }.
 * @typedef {{ config: VisitConfig, rules: RuleToFind[], hub?: HubToRead }} VisitAnswer
 */

/**
 * Messages from a content script.
 * @typedef {{ type: "visit", path: string, doc: string }} VisitMessage
 * @typedef {{ type: "result", result: VisitReport, doc: string }} ResultMessage
 * @typedef {{ type: "progress", phase: "switching" }} ProgressMessage
 * @typedef {{ type: "correction", rule: string, visit: string, reason: "reverted" | "save-error",
 *   facts?: object }} CorrectionMessage
 * @typedef {{ type: "hub", path: string, rows: { href: string, text: string }[] }} HubMessage
 * @typedef {VisitMessage | ResultMessage | ProgressMessage | CorrectionMessage | HubMessage}
 *   ContentMessage
 */

/**
 * Messages from the extension's pages.
 * @typedef {{ type: "get-status" | "confirm" | "cancel" | "repair-seen" | "get-settings"
 *   | "get-recheck" | "back-on-seen" | "get-record" }} PageQuestion
 * @typedef {{ type: "opt-out-now", tabId: number | null }} OptOutNowMessage
 * @typedef {{ type: "set-chosen", chosen: string[] }} SetChosenMessage
 * @typedef {{ type: "set-automatic", automatic: boolean }} SetAutomaticMessage
 * @typedef {{ type: "set-recheck", every: "week" | "month" | "never" }} SetRecheckMessage
 * @typedef {{ type: "restore-record", text: string }} RestoreRecordMessage
 * @typedef {PageQuestion | OptOutNowMessage | SetChosenMessage | SetAutomaticMessage
 *   | SetRecheckMessage | RestoreRecordMessage} PageMessage
 */

/** @typedef {ContentMessage | PageMessage} ToBackground */
/** @typedef {{ type: "location-changed" | "run-now" | "stop" }} ToContentMessage */

/**
 * Where a run is, as the popup shows it (background/status.js).
 * @typedef {object} RunProgress
 * @property {"opt-out" | "confirm" | "scheduled"} kind
 * @property {string} phase the run's state
 * @property {number} step
 * @property {number} total
 * @property {string} rule
 * @property {RuleOutcome | null} done
 * @property {boolean} confirming
 */

/**
 * How the last "Opt out now" ended (storage.local lastSweep).
 * @typedef {object} Sweep
 * @property {"opt-out" | "confirm" | "scheduled"} [kind]
 * @property {string} [ended] one of background/runstate.js RUN_ENDINGS
 * @property {RuleOutcome[]} results
 * @property {number} total
 * @property {boolean} [signedOut]
 * @property {string} at
 */

/**
 * @typedef {{ every: "never" | "week" | "month", due: string | null, last: string | null }} Recheck
 */
/** @typedef {{ unknown: { text: string, url: string }[], report: object[] }} HubStatus */

/**
 * get-status -> everything the popup shows.
 * @typedef {object} PopupStatus
 * @property {boolean} repaired
 * @property {string} mainRule
 * @property {StoredEntry | null} latest the main setting's
 * @property {StoredEntry[]} history the chosen settings' lines
 * @property {RunProgress | null} run
 * @property {Sweep | null} lastSweep
 * @property {{ id: string, latest: StoredEntry | null }[]} settings the chosen ones
 * @property {boolean} automatic
 * @property {string} settingUrl
 * @property {{ at: string, rules: string[] } | null} switchedBackOn
 * @property {string | null} objectionUrl
 * @property {HubStatus} hub
 */

/**
 * get-settings -> one of these per setting the rules know.
 * @typedef {{ id: string, chosen: boolean, url: string, latest: StoredEntry | null,
 *   objectionUrl: string | null }} SettingStatus
 */

/**
 * get-record -> the record as "Save record" writes it (background/recordfile.js), and the
 * setting its text file is headed by.
 * @typedef {object} SavedRecord
 * @property {string} format
 * @property {number} formatVersion
 * @property {string} extensionVersion
 * @property {string} savedAt
 * @property {StoredEntry[]} history
 */

/**
 * restore-record -> what was merged, or why the file was refused (nothing changed).
 * @typedef {{ restored: { added: number, already: number }, refused?: undefined }
 *   | { refused: Refusal, restored?: undefined }} Restored
 * @typedef {{ problem: string, field?: string, entry?: number, version?: string }} Refusal
 */

/**
 * What the background answers each message with (null when its handler failed).
 * @typedef {{
 *   "visit": VisitAnswer | null, "result": void, "progress": void, "correction": void, "hub": void,
 *   "get-status": PopupStatus, "opt-out-now": { started: boolean },
 *   "confirm": { started: boolean },
 *   "cancel": { cancelled: boolean }, "repair-seen": void, "get-settings": SettingStatus[],
 *   "set-chosen": SettingStatus[], "set-automatic": PopupStatus, "get-recheck": Recheck,
 *   "set-recheck": Recheck, "back-on-seen": void, "restore-record": Restored,
 *   "get-record": { record: SavedRecord, mainRule: string },
 * }} Answers
 */

/**
 * The background's handlers of messages of type M, by type: each takes its message and answers.
 * @template {ToBackground} M
 * @typedef {{ [T in M["type"]]: (
 *   message: Extract<M, { type: T }>,
 *   sender: chrome.runtime.MessageSender,
 * ) => Answers[T] | Promise<Answers[T]> }} Handlers
 */

/**
 * The WebExtensions API (lib/api.js) with its messages typed: what may be sent, and the answer.
 * @typedef {Omit<typeof chrome, "runtime" | "tabs">
 *   & { runtime: MessagingRuntime, tabs: MessagingTabs }} Api
 * @typedef {Omit<typeof chrome.runtime, "sendMessage"> & {
 *   sendMessage<M extends ToBackground>(message: M): Promise<Answers[M["type"]]>;
 * }} MessagingRuntime
 * @typedef {Omit<typeof chrome.tabs, "sendMessage"> & {
 *   sendMessage(tabId: number, message: ToContentMessage): Promise<unknown>;
 * }} MessagingTabs
 */
