/* "Save record" and "Restore record": the record as a document with its format and the
   extension's version, and a saved document read back. A file read back is checked whole
   (format, version, every line as the record keeps it) before anything is stored: one
   damaged line refuses the file, and a refused file changes nothing. */

import { api } from "../lib/api.js";
import { isOff, MAX_CLICKS, MAX_RUN_CLICKS, OUTCOME_KINDS } from "../lib/outcomes.js";
import { MAX_RECORD_SIZE, RECORD_FORMAT, RECORD_FORMAT_VERSION } from "../lib/recordfile.js";
import { inOrder } from "./queue.js";
import { cleanResult, restoreHistory } from "./record.js";
import { formsOf, MAIN_RULE, RULES, wrongFormsOf } from "./ruleset.js";
import { isStoredResult, localStore } from "./storage.js";

// A saved file's clock may run a little ahead of this browser's.
const CLOCK_SLACK_MS = 24 * 60 * 60 * 1000;

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
/** A time as the extension writes it (toISOString), nothing else. */
const isSavedTime = (value) =>
  typeof value === "string" &&
  !Number.isNaN(Date.parse(value)) &&
  new Date(value).toISOString() === value;

/**
 * What "Save record" writes: { record, mainRule }, the whole record as a document (its lines
 * as the background keeps them, every setting's), and the setting the text file is headed by.
 */
export async function recordToSave() {
  const { history } = await localStore.read("history");
  const record = {
    format: RECORD_FORMAT,
    formatVersion: RECORD_FORMAT_VERSION,
    extensionVersion: api.runtime.getManifest().version,
    savedAt: new Date().toISOString(),
    history,
  };
  return { record, mainRule: MAIN_RULE.id };
}

/** Whether two lines hold the same fields with the same values. */
function sameFields(a, b) {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key])
  );
}

/**
 * The first field of what a content script reported that the background would not have
 * stored as it is in the line: checked by the same cleaning a result gets on arrival.
 */
function reportedFieldProblem(reported) {
  const rule = RULES.find((item) => item.id === reported.rule);
  if (!rule) return "rule";
  if (!Object.hasOwn(OUTCOME_KINDS, reported.outcome)) return "outcome";
  const forms = reported.outcome === "wrong-address" ? wrongFormsOf(rule) : formsOf(rule);
  if (!forms.includes(reported.path)) return "path";
  const base = { rule: reported.rule, outcome: reported.outcome, path: reported.path };
  for (const [field, value] of Object.entries(reported)) {
    if (!Object.hasOwn(base, field) && cleanResult({ ...base, [field]: value })?.[field] !== value)
      return field;
  }
  const cleaned = cleanResult(reported);
  return cleaned && sameFields(cleaned, reported) ? null : WHOLE_LINE;
}

// What lineProblem names when no one field is to blame (a line that is not an object, say).
const WHOLE_LINE = "*";

/** The first field of a saved line that the record would not hold as it is, WHOLE_LINE, or null. */
function lineProblem(line, savedAt, now) {
  if (!isObject(line)) return WHOLE_LINE;
  // What the background adds to what a page reported: the time, repeats folded, the proof,
  // a scheduled check's mark, and a run's clicks (its visits' together).
  const { at, count, last, proof, check, backOn, clicks, restored, ...reported } = line;
  const field = reportedFieldProblem(reported);
  if (field) return field;
  // A line that came from an earlier saved file keeps when that file was saved.
  if (restored !== undefined && (!isSavedTime(restored) || Date.parse(restored) > savedAt))
    return "restored";
  const mostClicks = proof === "reload" ? MAX_RUN_CLICKS : MAX_CLICKS;
  if (clicks !== undefined && !(Number.isInteger(clicks) && clicks >= 0 && clicks <= mostClicks))
    return "clicks";
  if (check !== undefined && check !== "scheduled") return "check";
  if (backOn !== undefined && (backOn !== true || check !== "scheduled")) return "backOn";
  if (!isSavedTime(at) || Date.parse(at) > Math.min(savedAt, now)) return "at";
  // As the background sets it: a fresh load's reading, of any outcome; a page's, only of an off.
  if (proof !== undefined && !(proof === "reload" || (proof === "page" && isOff(line.outcome))))
    return "proof";
  const folded = last !== undefined;
  if (
    folded &&
    (!isSavedTime(last) || Date.parse(last) < Date.parse(at) || Date.parse(last) > savedAt)
  )
    return "last";
  if (folded !== (count !== undefined) || (folded && !(Number.isInteger(count) && count > 1)))
    return "count";
  return isStoredResult(line) ? null : WHOLE_LINE;
}

/**
 * A saved record file's text read back: { history } (its lines, every one checked), or
 * { refused: { problem, field?, entry?, version? } } saying what is wrong with it first
 * (problem: unreadable, too-large, not-json, not-record, format-version, field, entry, line).
 */
function readRecordFile(text, now = Date.now()) {
  if (typeof text !== "string") return { refused: { problem: "unreadable" } };
  if (text.length > MAX_RECORD_SIZE) return { refused: { problem: "too-large" } };
  let document;
  try {
    document = JSON.parse(text);
  } catch {
    return { refused: { problem: "not-json" } };
  }
  if (!isObject(document) || document.format !== RECORD_FORMAT)
    return { refused: { problem: "not-record", field: "format" } };
  if (document.formatVersion !== RECORD_FORMAT_VERSION) {
    return {
      refused: {
        problem: "format-version",
        field: "formatVersion",
        version: JSON.stringify(document.formatVersion ?? null).slice(0, 20),
      },
    };
  }
  if (typeof document.extensionVersion !== "string" || document.extensionVersion.length > 40) {
    return { refused: { problem: "field", field: "extensionVersion" } };
  }
  if (!isSavedTime(document.savedAt) || Date.parse(document.savedAt) > now + CLOCK_SLACK_MS) {
    return { refused: { problem: "field", field: "savedAt" } };
  }
  if (!Array.isArray(document.history)) return { refused: { problem: "field", field: "history" } };
  const savedAt = Date.parse(document.savedAt);
  for (const [index, line] of document.history.entries()) {
    const field = lineProblem(line, savedAt, now);
    if (field === WHOLE_LINE) return { refused: { problem: "line", entry: index + 1 } };
    if (field) return { refused: { problem: "entry", entry: index + 1, field } };
  }
  return { history: document.history, savedAt: document.savedAt };
}

/**
 * "Restore record": the file's text checked whole, then merged into the record; refused, nothing
 * changes.
 */
export async function restoreRecord(text) {
  const read = readRecordFile(text);
  if (read.refused) return { refused: read.refused };
  // In the queue that stores results: a result arriving meanwhile is kept, not overwritten.
  return {
    restored: await inOrder(() => restoreHistory(read.history, read.savedAt), "restore a record"),
  };
}
