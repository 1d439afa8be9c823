/* What the extension keeps in the browser's storage, the value of each key until it is
   first written, and the shape each stored value must have. Only the background reads and
   writes it (pages ask it by message), and every read goes through `read`, which checks
   what it finds: a damaged value (an old or broken profile) is reset to its default, the
   rest kept, and the reset is noted for the popup to say once. */

import { api } from "../lib/api.js";
import { UNKNOWN_ROWS_MAX } from "../lib/hub.js";
import { OUTCOME_KINDS, PROOFS, REASONS } from "../lib/outcomes.js";
import { RUN_ENDINGS, RUN_KINDS, RUN_STATES } from "./runstate.js";

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value) => typeof value === "string" && value.length > 0 && value.length <= 200;
const isTime = (value) => isText(value) && !Number.isNaN(Date.parse(value));
const isCount = (value) => Number.isInteger(value) && value >= 0;

/**
 * Whether a stored result (a latest result or a record line) has the shape the background writes.
 */
export function isStoredResult(entry) {
  return (
    isObject(entry) &&
    isText(entry.rule) &&
    isText(entry.path) &&
    Object.hasOwn(OUTCOME_KINDS, entry.outcome) &&
    isTime(entry.at) &&
    (entry.reason === undefined || REASONS.includes(entry.reason)) &&
    (entry.proof === undefined || PROOFS.includes(entry.proof)) &&
    (entry.count === undefined || (isCount(entry.count) && entry.count > 1)) &&
    (entry.last === undefined || isTime(entry.last)) &&
    (entry.check === undefined || entry.check === "scheduled") &&
    (entry.backOn === undefined || entry.backOn === true) &&
    (entry.restored === undefined || isTime(entry.restored))
  );
}

/** A stored value checked: the value to use and whether anything in it was damaged. */
const whole = (check) => (value) =>
  check(value) ? { value, damaged: false } : { value: undefined, damaged: true };

/** A list of results: entries that are not results are dropped, the rest kept. */
function checkHistory(value) {
  if (!Array.isArray(value)) return { value: undefined, damaged: true };
  const kept = value.filter(isStoredResult);
  return { value: kept, damaged: kept.length !== value.length };
}

/** Rule id -> latest result: a damaged result is dropped, the others kept. */
function checkLatest(value) {
  if (!isObject(value)) return { value: undefined, damaged: true };
  const kept = Object.entries(value).filter(
    ([id, entry]) => isStoredResult(entry) && entry.rule === id,
  );
  return { value: Object.fromEntries(kept), damaged: kept.length !== Object.keys(value).length };
}

const isSweep = (value) =>
  value === null ||
  (isObject(value) &&
    Array.isArray(value.results) &&
    value.results.every(
      (result) =>
        isObject(result) && isText(result.rule) && Object.hasOwn(OUTCOME_KINDS, result.outcome),
    ) &&
    isCount(value.total) &&
    (value.ended === undefined || RUN_ENDINGS.includes(value.ended)) &&
    isTime(value.at));

const isRun = (value) =>
  value === null ||
  (isObject(value) &&
    Number.isInteger(value.tabId) &&
    Array.isArray(value.queue) &&
    value.queue.every(isText) &&
    isCount(value.index) &&
    Array.isArray(value.results) &&
    RUN_KINDS.includes(value.kind) &&
    RUN_STATES.includes(value.state) &&
    Number.isFinite(value.startedAt));

/** How often the member chose to have their settings checked again ("never": not at all). */
export const RECHECK_CHOICES = ["never", "week", "month"];

const isRecheck = (value) =>
  isObject(value) &&
  RECHECK_CHOICES.includes(value.every) &&
  (value.due === null || isTime(value.due)) &&
  (value.last === null || isTime(value.last));

const isBackOnNotice = (value) =>
  value === null ||
  (isObject(value) &&
    isTime(value.at) &&
    Array.isArray(value.rules) &&
    value.rules.length > 0 &&
    value.rules.every(isText));

const isPath = (value) => isText(value) && /^(\/[A-Za-z0-9_.-]+)+$/.test(value);
const isHubRows = (value) =>
  Array.isArray(value) &&
  value.length <= UNKNOWN_ROWS_MAX &&
  value.every((row) => isObject(row) && isPath(row.hub) && isPath(row.path) && isText(row.text));

const DEFAULTS = {
  local: {
    // Rule id -> its latest result, with the page outline when it needs one.
    latest: {},
    // The opt-out record, oldest first, without outlines: proof (off, the member's own
    // changes) for PROOF_KEPT_DAYS, the rest capped at HISTORY_LIMIT, repeats folded.
    history: [],
    // Switch chosen settings off on every visit (false: only read them).
    automatic: true,
    // Rule ids the member chose; null until they choose: the rules' defaults.
    chosen: null,
    // How the last "Opt out now" ended (over several settings, or interrupted).
    lastSweep: null,
    // True after a damaged stored value was reset, until the popup has said so once.
    repaired: false,
    // The scheduled re-check: how often (RECHECK_CHOICES), when it is due next, when it last
    // ran (a check that found the member signed out counts: it tries again next period).
    recheck: { every: "never", due: null, last: null },
    // Settings a scheduled check found on again and switched off, until the popup is opened.
    switchedBackOn: null,
    // Rows of a hub page's section that no rule knows: { hub, path, text }, newest hub first.
    hubUnknown: [],
  },
  session: {
    // The "Opt out now" or "Confirm" going on, if any (survives the background being stopped).
    run: null,
  },
};

const CHECKS = {
  local: {
    latest: checkLatest,
    history: checkHistory,
    automatic: whole((value) => typeof value === "boolean"),
    chosen: whole((value) => value === null || (Array.isArray(value) && value.every(isText))),
    lastSweep: whole(isSweep),
    repaired: whole((value) => typeof value === "boolean"),
    recheck: whole(isRecheck),
    switchedBackOn: whole(isBackOnNotice),
    hubUnknown: whole(isHubRows),
  },
  session: { run: whole(isRun) },
};

/** How many results other than proof the opt-out record keeps. */
export const HISTORY_LIMIT = 50;
/** The most proof lines from saved files the record keeps (the newest), beside its own. */
export const RESTORED_PROOF_LIMIT = 200;
/** How long the record keeps proof entries, at least. */
export const PROOF_KEPT_DAYS = 731;

/** One storage area, by the keys it may hold; an unknown key is a mistake in the code. */
function storageArea(name) {
  const defaults = DEFAULTS[name];
  const known = (keys) => {
    for (const key of keys) {
      if (!Object.hasOwn(defaults, key)) throw new Error(`storage.${name}: unknown key ${key}`);
    }
    return keys;
  };
  /** The stored values checked; damaged ones are repaired in storage and the repair noted. */
  async function checked(keys, stored) {
    const values = {};
    const repairs = {};
    for (const key of keys) {
      if (stored[key] === undefined) {
        values[key] = structuredClone(defaults[key]);
        continue;
      }
      const { value, damaged } = CHECKS[name][key](stored[key]);
      values[key] = value === undefined ? structuredClone(defaults[key]) : value;
      if (damaged) repairs[key] = values[key];
    }
    if (Object.keys(repairs).length > 0) {
      console.warn(
        `linkedin-ai-optout: damaged storage.${name} reset:`,
        Object.keys(repairs).join(", "),
      );
      await api.storage[name].set(repairs);
      await api.storage.local.set({ repaired: true });
    }
    return values;
  }
  return {
    /** The stored values of these keys, checked, each its default until first written. */
    async read(...keys) {
      return checked(keys, await api.storage[name].get(known(keys)));
    },
    write(values) {
      known(Object.keys(values));
      return api.storage[name].set(values);
    },
    remove(key) {
      known([key]);
      return api.storage[name].remove(key);
    },
    /** Whether a storage.onChanged event touches any of these keys of this area. */
    changed(changes, area, ...keys) {
      return area === name && known(keys).some((key) => Object.hasOwn(changes, key));
    },
  };
}

/** storage.local: kept across browser restarts. */
export const localStore = storageArea("local");
/** storage.session: forgotten when the browser closes. */
export const sessionStore = storageArea("session");
