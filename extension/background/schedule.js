/* The scheduled re-check, opt-in: every week or month, the same sweep as "Opt out now", in a
   background tab of its own. One alarm, set for the next due time; the due time is stored, so
   a check missed while the browser was closed runs once when the background next starts, not
   once per missed period. A check that is due waits while the browser is offline or another
   run is going, and tries again a little later. */

import { api } from "../lib/api.js";
import { currentRun, optOutNow, whenCheckNotRun } from "./runs.js";
import { localStore, RECHECK_CHOICES } from "./storage.js";

const RECHECK_ALARM = "recheck";
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long each choice waits between checks. */
const PERIOD_MS = { week: 7 * DAY_MS, month: 30 * DAY_MS };
/** How long a due check waits when it cannot run now (offline, or another run going). */
const RETRY_MS = 10 * 60 * 1000;

/** @type {Promise<unknown>} */
let checking = Promise.resolve();

/** One change of the schedule at a time, in the order they come: no due check is run twice. */
/**
 * @template T
 * @param {() => Promise<T>} step
 * @returns {Promise<T>}
 */
function inTurn(step) {
  const turn = checking.then(step);
  checking = turn.catch((error) => console.error("linkedin-ai-optout: scheduled check", error));
  return turn;
}

/** The due time one period after `from` (ms), or null when the member chose never. */
function dueAfter(every, from) {
  return every === "never" ? null : new Date(from + PERIOD_MS[every]).toISOString();
}

/** Whether a schedule is due at `now`: a choice other than never, and its due time reached. */
function isDue(recheck, now) {
  return recheck.every !== "never" && recheck.due !== null && Date.parse(recheck.due) <= now;
}

const isOnline = () => globalThis.navigator?.onLine !== false;

function setAlarm(when) {
  return api.alarms.create(RECHECK_ALARM, { when });
}

/**
 * Runs the check if it is due: its next due time is stored before the sweep starts, so a
 * second alarm, or a background start, while it runs finds nothing due. Returns what it did:
 * "never", "waiting" (not due yet), "offline", "busy" (another run is going) or "started".
 */
function checkIfDue() {
  return inTurn(async () => {
    const now = Date.now();
    const { recheck } = await localStore.read("recheck");
    if (recheck.every === "never") {
      await api.alarms.clear(RECHECK_ALARM);
      return "never";
    }
    if (!isDue(recheck, now)) {
      await setAlarm(Date.parse(recheck.due));
      return "waiting";
    }
    if (!isOnline()) {
      await setAlarm(now + RETRY_MS);
      return "offline";
    }
    if (await currentRun()) {
      await setAlarm(now + RETRY_MS);
      return "busy";
    }
    const due = dueAfter(recheck.every, now);
    await localStore.write({ recheck: { ...recheck, due, last: new Date(now).toISOString() } });
    await setAlarm(Date.parse(due));
    await optOutNow(null, { scheduled: true, dueBefore: recheck.due });
    return "started";
  });
}

/**
 * A check that could not run (its pages never answered, or its tab was closed) gives its due
 * time back, unless the member chose never meanwhile: it tries again a little later.
 */
function giveDueBack(dueBefore) {
  return inTurn(async () => {
    const { recheck } = await localStore.read("recheck");
    if (recheck.every === "never" || dueBefore === null) return;
    await localStore.write({ recheck: { ...recheck, due: dueBefore } });
    await setAlarm(Date.now() + RETRY_MS);
  });
}
whenCheckNotRun(giveDueBack);

/** The alarm went off: the check runs if it is due (an early or repeated alarm finds it not). */
export function onAlarm(alarm) {
  // A failure is logged in its turn (inTurn); here it is only awaited.
  return alarm.name === RECHECK_ALARM ? checkIfDue().catch(() => null) : null;
}

/** The background started (the browser started, or woke it): a check missed meanwhile runs once. */
export function resumeSchedule() {
  return checkIfDue().catch(() => null);
}

/** What the options page shows of the schedule. */
export async function recheckStatus() {
  const { recheck } = await localStore.read("recheck");
  return recheck;
}

/**
 * The member's choice: a new choice counts its first period from now; the same choice again
 * changes nothing. The one alarm is set again (or cleared, for never).
 */
export function storeRecheck(every) {
  return inTurn(async () => {
    const { recheck } = await localStore.read("recheck");
    if (RECHECK_CHOICES.includes(every) && every !== recheck.every) {
      const changed = { ...recheck, every, due: dueAfter(every, Date.now()) };
      await localStore.write({ recheck: changed });
      if (changed.due === null) await api.alarms.clear(RECHECK_ALARM);
      else await setAlarm(Date.parse(changed.due));
      return changed;
    }
    return recheck;
  });
}
