/* A run's lifecycle as data: its kinds, its states, and one pure transition function with a
   table of what each event does in each state. Nothing here touches the browser: a step
   returns the run as it is after the event and the effects to carry out, in order
   (background/runs.js carries them out and stores the run).

   A run visits each setting of its queue in one tab. In a tab of its own, a page's "off" is
   not taken at its word: the run reloads the tab and only "off" read by the document loaded
   after that (never by the one it reloaded) is stored as verified (proof "reload"). */

import { isOff, MAX_CLICKS } from "../lib/outcomes.js";

/** "Opt out now" (or a sweep), "Confirm" (a fresh load, only read) and the scheduled re-check. */
export const RUN_KINDS = ["opt-out", "confirm", "scheduled"];

/**
 * - opening: the tab loads the setting's page; no document of it has announced itself yet;
 * - reading: the page's document announced itself and looks for the switch;
 * - switching: it clicked the switch and waits for LinkedIn's answer;
 * - settling: it read the switch off; the run asked for a fresh load, which has not begun;
 * - reloading: the fresh load has begun; its document has not announced itself yet;
 * - verifying: the fresh load's document reads the switch (it never clicks);
 * - done: the run is over (how: `ended`).
 */
export const RUN_STATES = [
  "opening",
  "reading",
  "switching",
  "settling",
  "reloading",
  "verifying",
  "done",
];

/**
 * How a run ended: "done" (every setting answered, or a sign-in page stopped it), "member"
 * (the member changed the setting in the run's tab: their choice stands), "interrupted" (its
 * tab was closed, or the member took it elsewhere), "timed-out" (a page did not answer in
 * the time limit), "cancelled" (the member's Cancel).
 */
export const RUN_ENDINGS = ["done", "member", "interrupted", "timed-out", "cancelled"];

/**
 * Events, as runs.js makes them (each with `now`, the time in ms):
 * - document { doc }: a content script of the setting's page announced its document;
 * - progress: the page clicked the switch;
 * - tab-loading: the run's tab began a page load;
 * - result { result, doc, seenByBackground? }: a result for the run's setting from its tab;
 * - tab-left { path }: the tab went to a page that is not the setting's (`path`: the setting's
 *   own);
 * - tab-closed;
 * - time-limit { path, reason }: the setting's page did not answer in time;
 * - cancel { path }: the member's Cancel.
 */
const RUN_EVENTS = [
  "document",
  "progress",
  "tab-loading",
  "result",
  "tab-left",
  "tab-closed",
  "time-limit",
  "cancel",
];

/** @typedef {import("../lib/messages.js").Result} Result */

/**
 * A run (kept in storage.session while it goes on).
 * @typedef {object} Run
 * @property {"opt-out" | "confirm" | "scheduled"} kind one of RUN_KINDS
 * @property {string[]} queue the rule ids to visit, in order
 * @property {number} tabId its tab
 * @property {boolean} opened whether it opened that tab (else it is the member's own)
 * @property {boolean} readOnly whether its pages are only read (never clicked)
 * @property {string[]} offBefore a scheduled check's settings that were off before it
 * @property {string | null} dueBefore a scheduled check's due time, given back if it cannot run
 * @property {"opening" | "reading" | "switching" | "settling" | "reloading" | "verifying" | "done"}
 *   state one of RUN_STATES
 * @property {"done" | "member" | "interrupted" | "timed-out" | "cancelled"} [ended] how it ended
 *   (RUN_ENDINGS), once done
 * @property {number} index the setting of the queue it is at
 * @property {import("../lib/messages.js").RuleOutcome[]} results what each setting visited answered
 * @property {number} startedAt when its current setting began (ms)
 * @property {number} saves the clicks the current setting's visits made
 * @property {string | null} staleDoc the document it reloaded (never its fresh load)
 * @property {string | null} freshDoc the fresh load's document, once it announced itself
 * @property {(Result & { at: string }) | null} pageResult the page's "off", stored, awaiting the
 *   fresh load
 * @property {string[]} replaced the times of the lines the fresh load's reading replaces
 */

/**
 * An event of RUN_EVENTS, as runs.js makes it.
 * @typedef {object} RunEvent
 * @property {"document" | "progress" | "tab-loading" | "result" | "tab-left" | "tab-closed" |
 *   "time-limit" | "cancel"} type
 * @property {number} now the time (ms)
 * @property {string | null} [doc] the document that sent it
 * @property {Result} [result]
 * @property {boolean} [seenByBackground] the background saw the result itself (a sign-in page)
 * @property {string} [path] the setting's path, for a line no page sent
 * @property {string} [reason] why a time limit ended it
 */

/**
 * What a step asks runs.js to do, in order.
 * @typedef {{ do: "store", result: Result, replaces: string[], recordOnly: boolean }
 *   | { do: "reload" } | { do: "navigate", rule: string } | { do: "close-tab" }
 *   | { do: "summary", kind: Run["kind"], ended: Run["ended"], results: Run["results"],
 *       total: number, signedOut: boolean }
 *   | { do: "keep-due", due: string | null }} Effect
 */

/** States in which the run's tab only reads: it checks a fresh load. */
const CHECKING = new Set(["settling", "reloading", "verifying"]);

/**
 * A new run, in its first state. The member's own tab already shows the page: it is read at once.
 * @param {{ kind: Run["kind"], queue: string[], tabId: number, opened: boolean, readOnly?: boolean,
 *   offBefore?: string[], dueBefore?: string | null, now: number }} options
 * @returns {Run}
 */
export function newRun({
  kind,
  queue,
  tabId,
  opened,
  readOnly = false,
  offBefore = [],
  dueBefore = null,
  now,
}) {
  return {
    kind,
    queue,
    tabId,
    opened,
    readOnly,
    offBefore,
    dueBefore,
    state: opened ? "opening" : "reading",
    index: 0,
    results: [],
    startedAt: now,
    saves: 0,
    staleDoc: null,
    freshDoc: null,
    pageResult: null,
    replaced: [],
  };
}

/** Whether the content script in the run's tab must only read (never click). */
export function runReadsOnly(run) {
  return run.readOnly || CHECKING.has(run.state);
}

/** The setting the run is at. */
export const settingOf = (run) => run.queue[run.index];

const stay = (run) => ({ run, effects: [] });
const isMembers = (result) => result.reason === "changed-by-member";
const isStale = (run, event) =>
  event.doc != null && event.doc === run.staleDoc && !event.seenByBackground;

/**
 * A result as a scheduled check records it: marked "scheduled", and "backOn" when the setting
 * was off before the check and was found on. Other runs' results are as they are.
 */
function asRunRecords(run, result) {
  if (run.kind !== "scheduled") return result;
  const foundOn = result.outcome === "turned-off" || result.outcome === "on";
  const backOn = foundOn && run.offBefore.includes(result.rule);
  return { ...result, check: "scheduled", ...(backOn ? { backOn: true } : {}) };
}

/** The effect storing a result; a scheduled check's sign-in page goes in the record only. */
function store(run, result, { replaces = [], recordOnly = false } = {}) {
  const quiet = run.kind === "scheduled" && result.outcome === "signed-out";
  return {
    do: "store",
    result: asRunRecords(run, result),
    replaces,
    recordOnly: recordOnly || quiet,
  };
}

/** The run is over: what it leaves behind (its summary, its tab, a scheduled check's due time). */
function end(run, ended, effects, { signedOut = false } = {}) {
  const done = { ...run, state: "done", ended };
  const after = [...effects];
  if (
    run.kind === "opt-out" ||
    (run.kind === "confirm" && ended !== "done" && ended !== "member")
  ) {
    after.push({
      do: "summary",
      kind: run.kind,
      ended,
      results: run.results,
      total: run.queue.length,
      signedOut,
    });
  }
  // The member must sign in on the page "Opt out now" opened, and sees their own change where
  // they made it: both stay open. A scheduled check opens no sign-in page for the member.
  const keepOpen =
    ended === "member" || ended === "interrupted" || (signedOut && run.kind !== "scheduled");
  if (run.opened && !keepOpen) after.push({ do: "close-tab" });
  if (run.kind === "scheduled" && (ended === "timed-out" || ended === "interrupted")) {
    after.push({ do: "keep-due", due: run.dueBefore });
  }
  return { run: done, effects: after };
}

/** The setting answered: the next setting's page in the same tab, or the end of the run. */
function advance(run, result, event, effects) {
  const results = [...run.results, { rule: result.rule, outcome: result.outcome }];
  const moved = { ...run, results };
  const signedOut = result.outcome === "signed-out";
  const next = run.index + 1;
  if (signedOut || next >= run.queue.length) return end(moved, "done", effects, { signedOut });
  const nextRun = {
    ...moved,
    index: next,
    state: "opening",
    startedAt: event.now,
    saves: 0,
    staleDoc: event.doc ?? run.freshDoc ?? run.staleDoc,
    freshDoc: null,
    pageResult: null,
    replaced: [],
  };
  return { run: nextRun, effects: [...effects, { do: "navigate", rule: run.queue[next] }] };
}

/**
 * The member changed the setting in the run's tab: stored as theirs, and the run stops clicking.
 */
function membersChange(run, event) {
  return end(run, "member", [store(run, event.result)]);
}

/** What the page the run's tab shows reported (it may have clicked). */
function pageReported(run, event) {
  const { result } = event;
  if (isMembers(result)) return membersChange(run, event);
  const saves = run.saves + (result.clicks ?? 0);
  if (run.opened && !run.readOnly && isOff(result.outcome) && !event.seenByBackground) {
    // Stored now (it stays if the member closes the tab), then checked on a fresh load.
    const pageResult = { ...result, at: new Date(event.now).toISOString() };
    const settling = {
      ...run,
      saves,
      state: "settling",
      staleDoc: event.doc,
      freshDoc: null,
      pageResult,
      replaced: [...run.replaced, pageResult.at],
      startedAt: event.now,
    };
    return { run: settling, effects: [store(run, pageResult), { do: "reload" }] };
  }
  const stored = store(run, result);
  return advance({ ...run, saves }, stored.result, event, [stored]);
}

/** What the fresh load read, as the result to store: verified off, or why not. */
function verifiedResult(run, read) {
  const base = run.pageResult ?? read;
  if (isOff(read.outcome)) {
    const { at, ...page } = base;
    return { ...page, outcome: isOff(page.outcome) ? page.outcome : read.outcome, proof: "reload" };
  }
  const found = { rule: read.rule, path: read.path, reason: "not-kept", proof: "reload" };
  if (read.outcome === "on" && run.kind === "confirm") return { ...found, outcome: "on" };
  // Signed out, not found, only read …: as the page said.
  if (read.outcome !== "on" || run.readOnly) return read;
  return { ...found, outcome: "failed", clicks: run.saves };
}

/** The fresh load's reading: verified, one more try, or, beside the page's "off", what it found. */
function freshReading(run, event) {
  const { result } = event;
  if (isMembers(result)) return membersChange(run, event);
  if (result.outcome === "on" && !run.readOnly && run.saves < MAX_CLICKS) {
    // Confirm only reads
    const again = {
      ...run,
      state: "opening",
      staleDoc: run.freshDoc ?? run.staleDoc,
      freshDoc: null,
      pageResult: null,
      startedAt: event.now,
    };
    return { run: again, effects: [{ do: "reload" }] };
  }
  // A load that read neither on nor off (a sign-in page, nothing found) proves nothing either
  // way: its line goes beside the page's "off", which stays the latest.
  const beside = run.pageResult !== null && !isOff(result.outcome) && result.outcome !== "on";
  const verified = verifiedResult(run, result);
  const stored = beside
    ? store(run, verified, { recordOnly: true })
    : store(run, verified, { replaces: run.replaced });
  return advance(run, stored.result, event, [stored]);
}

/** A line for the setting the run could not check (its page never answered, or went elsewhere). */
function notChecked(run, event, reason) {
  const result = { rule: settingOf(run), outcome: "failed", reason, path: event.path };
  // After the page's "off", in a scheduled check, and after the member's own Cancel (they know
  // what they did), the latest result stays as it was: the line is in the record.
  const recordOnly = run.pageResult !== null || run.kind === "scheduled" || reason === "cancelled";
  return store(run, result, { recordOnly });
}

function documentArrived(run, event) {
  if (event.doc == null || isStale(run, event) || event.doc === run.freshDoc) return stay(run);
  if (CHECKING.has(run.state) || run.readOnly)
    return stay({ ...run, state: "verifying", freshDoc: event.doc });
  return run.state === "opening" ? stay({ ...run, state: "reading" }) : stay(run);
}

function resultArrived(run, event) {
  if (isStale(run, event)) return stay(run);
  if (run.state === "verifying") {
    const fromFreshLoad =
      event.seenByBackground === true || (run.freshDoc !== null && event.doc === run.freshDoc);
    return fromFreshLoad ? freshReading(run, event) : stay(run);
  }
  // Before its document announced itself, only what the background saw (a sign-in page) counts.
  if (CHECKING.has(run.state) || run.readOnly) {
    return event.seenByBackground === true
      ? freshReading({ ...run, state: "verifying" }, event)
      : stay(run);
  }
  return pageReported(run, event);
}

function tabLeft(run, event) {
  if (!run.opened) return end(run, "interrupted", []); // the member took their own tab elsewhere
  const line = notChecked(run, event, "redirected");
  return advance({ ...run, pageResult: null }, line.result, event, [line]);
}

const expired = (run, event) =>
  end(run, "timed-out", [notChecked(run, event, event.reason ?? "no-answer")]);
const cancelled = (run, event) => end(run, "cancelled", [notChecked(run, event, "cancelled")]);
const closed = (run) => end(run, "interrupted", []);

/**
 * What each event does in each state (a missing entry: nothing). Every state but done ends
 * on tab-closed, time-limit and cancel.
 */
const ENDINGS = { "tab-closed": closed, "time-limit": expired, cancel: cancelled };
const RUN_TABLE = {
  opening: { document: documentArrived, result: resultArrived, "tab-left": tabLeft, ...ENDINGS },
  reading: {
    document: documentArrived,
    progress: (run) => stay({ ...run, state: "switching" }),
    result: resultArrived,
    "tab-left": tabLeft,
    ...ENDINGS,
  },
  switching: { document: documentArrived, result: resultArrived, "tab-left": tabLeft, ...ENDINGS },
  settling: {
    document: documentArrived,
    "tab-loading": (run) => stay({ ...run, state: "reloading" }),
    result: resultArrived,
    "tab-left": tabLeft,
    ...ENDINGS,
  },
  reloading: { document: documentArrived, result: resultArrived, "tab-left": tabLeft, ...ENDINGS },
  verifying: { document: documentArrived, result: resultArrived, "tab-left": tabLeft, ...ENDINGS },
  done: {},
};

/**
 * One step: the run after `event` and the effects to carry out, in order.
 * @param {Run} run
 * @param {RunEvent} event
 * @returns {{ run: Run, effects: Effect[] }}
 */
export function transition(run, event) {
  if (!RUN_EVENTS.includes(event.type)) throw new Error(`no such run event: ${event.type}`);
  const handler = RUN_TABLE[run.state]?.[event.type];
  return handler ? handler(run, event) : stay(run);
}
