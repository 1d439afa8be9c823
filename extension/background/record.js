/* The record: what content scripts send is checked field by field, then stored with its
   time as the rule's latest result and in the history: proof entries kept for two years,
   repeats folded into one line, the rest capped. The facts of a page sent with a result are
   made into its outline here, by the allow-list, and never stored themselves. */

import { knowledgeOf, reportedLanguage } from "../lib/allowlist.js";
import { isOff, isProofEntry, MAX_CLICKS, OUTCOME_KINDS, REASONS } from "../lib/outcomes.js";
import { outlineOf } from "../lib/outline.js";
import { normalizeText } from "../lib/text.js";
import { formsOf, RULES, rulesAt, SITE, wrongFormsOf } from "./ruleset.js";
import { HISTORY_LIMIT, localStore, PROOF_KEPT_DAYS, RESTORED_PROOF_LIMIT } from "./storage.js";

/** @typedef {import("../lib/messages.js").Result} Result */
/** @typedef {import("../lib/messages.js").StoredEntry} StoredEntry */

// A visit's id, as the content script makes it (crypto.randomUUID).
const VISIT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// What a correction may say went wrong after a verified "off".
const CORRECTION_REASONS = ["reverted", "save-error"];
const RULE_PAGES = new Map(RULES.map((rule) => [rule.id, new Set(formsOf(rule))]));
// The wrong addresses of each rule: a "wrong-address" line names the one a tab had opened.
const WRONG_PAGES = new Map(RULES.map((rule) => [rule.id, new Set(wrongFormsOf(rule))]));

/**
 * What the outline of a page may name: what the extension ships for the rules of that page
 * (the rules its content script was sent) and the site.
 */
const PAGE_KNOWLEDGE = new Map(
  RULES.flatMap(formsOf).map((path) => [path, knowledgeOf(rulesAt(path), SITE)]),
);
/** The strategies each rule's steps are named by. */
const RULE_STRATEGIES = new Map(RULES.map((rule) => [rule.id, knowledgeOf([rule], {}).strategies]));

function isClicks(value) {
  return Number.isInteger(value) && value >= 0 && value <= MAX_CLICKS;
}

// Each rule's headings, normalized: a rendered page with none of them does not offer it.
const RULE_HEADINGS = new Map(
  RULES.map((rule) => [rule.id, new Set(Object.values(rule.headings).flat().map(normalizeText))]),
);

// The headings of the site's hub sections, every language's: the settings app shows them where
// it lists the data-use settings, the setting's own or not.
const HUB_HEADINGS = new Set(
  (SITE.hubs ?? []).flatMap((hub) => Object.values(hub.section).flat()).map(normalizeText),
);

/**
 * A "not-found" from a page where LinkedIn's settings app rendered its list of data-use
 * settings (a hub section's heading) without any of the setting's headings, as the facts of
 * the page sent with it show, is "not-offered": the setting is not there, rather than not
 * recognised. An error page, another page or one that never rendered shows no such list: it
 * stays "not-found", a failure to check. Anything else is returned as it is.
 */
export function withOfferSeen(raw) {
  const wanted = RULE_HEADINGS.get(raw?.rule);
  if (raw?.outcome !== "not-found" || !wanted || raw.facts?.appFound !== true) return raw;
  if (!Array.isArray(raw.facts.headings)) return raw;
  const texts = raw.facts.headings
    .map((heading) => heading?.text)
    .filter((text) => typeof text === "string")
    .map(normalizeText);
  if (texts.some((text) => wanted.has(text)) || !texts.some((text) => HUB_HEADINGS.has(text)))
    return raw;
  const { facts, ...rest } = raw;
  return { ...rest, outcome: "not-offered" };
}

/**
 * The result in a stored shape, or null when anything in it is not what a content script sends.
 * @param {any} raw what a page sent (see VisitReport in lib/messages.js)
 * @returns {Result | null}
 */
export function cleanResult(raw) {
  if (typeof raw !== "object" || raw === null) return null;
  const pages = (raw.outcome === "wrong-address" ? WRONG_PAGES : RULE_PAGES).get(raw.rule);
  if (!pages || !Object.hasOwn(OUTCOME_KINDS, raw.outcome) || !pages.has(raw.path)) return null;
  if (raw.reason !== undefined && !REASONS.includes(raw.reason)) return null;
  if (raw.strategy !== undefined && !RULE_STRATEGIES.get(raw.rule).has(raw.strategy)) return null;
  if (raw.clicks !== undefined && !isClicks(raw.clicks)) return null;
  if (raw.visit !== undefined && !VISIT_ID.test(String(raw.visit))) return null;
  // A page can only say it read the switch off itself: "reload" is the background's to set
  // (a page's claim of it is dropped); any other proof, or one with an outcome that is not
  // off, makes the result forged.
  if (
    raw.proof !== undefined &&
    raw.proof !== "reload" &&
    !(isOff(raw.outcome) && raw.proof === "page")
  )
    return null;
  /** @type {Result} */
  const result = { rule: raw.rule, outcome: raw.outcome, path: raw.path };
  if (raw.proof === "page") result.proof = "page";
  for (const key of ["reason", "strategy", "clicks", "visit"]) {
    if (raw[key] != null) result[key] = raw[key];
  }
  // The page's language as the page says it, reported as its 2-3 letter code or a language of
  // the rules (the subtags after the language can spell a name); it only helps to read a report.
  const knowledge = PAGE_KNOWLEDGE.get(raw.path);
  const lang = typeof raw.lang === "string" ? reportedLanguage(raw.lang, knowledge) : null;
  if (lang !== null) result.lang = lang;
  // The outline of the page is made here from the facts the page was read for, by the
  // allow-list: no outline a page sends is taken, and the facts themselves are not kept.
  if (typeof raw.facts === "object" && raw.facts !== null)
    result.diagnostics = outlineOf(raw.facts, knowledge);
  return result;
}

const PROOF_KEPT_MS = PROOF_KEPT_DAYS * 24 * 60 * 60 * 1000;

/** Whether a new entry repeats the newest line of its setting (and so folds into it). */
function repeats(line, entry) {
  return (
    line !== undefined &&
    entry.outcome !== "turned-off" && // each switching off is an event of its own
    ["outcome", "reason", "proof", "path", "check", "backOn"].every(
      (key) => line[key] === entry[key],
    )
  );
}

/** The history with `entry` added: folded into a repeat, proof kept, the rest capped. */
function withEntry(history, entry, now = Date.now()) {
  const newestOfRule = history.findLastIndex((line) => line.rule === entry.rule);
  let lines;
  if (repeats(history[newestOfRule], entry)) {
    const line = history[newestOfRule];
    const folded = { ...line, count: (line.count ?? 1) + 1, last: entry.at };
    lines = [...history.slice(0, newestOfRule), ...history.slice(newestOfRule + 1), folded];
  } else {
    lines = [...history, entry];
  }
  return withinCaps(lines, now);
}

/**
 * The lines the record keeps, oldest first: proof for PROOF_KEPT_DAYS (of proof restored from
 * saved files, the newest RESTORED_PROOF_LIMIT), the newest of the rest up to the cap.
 */
function withinCaps(all, now) {
  const restoredProof = all.filter((line) => line.restored !== undefined && isProofEntry(line));
  const overflow = new Set(restoredProof.slice(0, -RESTORED_PROOF_LIMIT));
  const lines = all.filter((line) => !overflow.has(line));
  const kept = (line) =>
    isProofEntry(line) && now - Date.parse(line.last ?? line.at) < PROOF_KEPT_MS;
  const rest = lines.filter((line) => !kept(line));
  const dropped = new Set(rest.slice(0, Math.max(0, rest.length - HISTORY_LIMIT)));
  return lines.filter((line) => !dropped.has(line));
}

/**
 * Stores one result with its time: as its rule's latest (with the page outline, kept for
 * the latest result only) and in the history. `replaces` are the times of earlier entries of
 * the same setting this one takes the place of (a run's page-checked result, once the fresh
 * load confirmed it). `recordOnly`: in the history only, the latest result left as it was.
 * Returns what was stored.
 * @param {Result} result
 * @param {{ tabId?: number, replaces?: string[], recordOnly?: boolean }} [options]
 * @returns {Promise<StoredEntry>}
 */
export async function storeResult(result, { tabId, replaces = [], recordOnly = false } = {}) {
  // A run gives the time it took a page's "off" at, to name the line its fresh load replaces.
  const entry = { ...result, at: result.at ?? new Date().toISOString() };
  const { diagnostics, ...recorded } = entry;
  const { history, latest } = await localStore.read("history", "latest");
  const earlier = history.filter(
    (line) => !(line.rule === entry.rule && replaces.includes(line.at)),
  );
  const latestEntry = tabId === undefined ? entry : { ...entry, tab: tabId };
  await localStore.write({
    history: withEntry(earlier, recorded),
    latest: recordOnly ? latest : { ...latest, [entry.rule]: latestEntry },
  });
  return entry;
}

/**
 * The failure a correction turns the latest result into, or null when it may not: only the
 * "turned-off" of the same visit, reported from the same tab, becomes "failed", for one of
 * the reasons a page takes an "off" back. Nothing ever becomes an off state this way.
 */
function correctedResult(latest, correction, tabId) {
  const verified = latest?.[correction?.rule];
  if (verified?.outcome !== "turned-off" || verified.tab !== tabId) return null;
  if (typeof correction.visit !== "string" || verified.visit !== correction.visit) return null;
  if (!CORRECTION_REASONS.includes(correction.reason)) return null;
  const { proof, diagnostics, tab, at, ...kept } = verified;
  return cleanResult({
    ...kept,
    outcome: "failed",
    reason: correction.reason,
    facts: correction.facts,
  });
}

/**
 * A correction from the tab of a visit: that visit's entry, in the latest results and in
 * the history, is replaced by the failure (never a second entry). Returns what was stored.
 */
export async function storeCorrection(correction, tabId) {
  const { history, latest } = await localStore.read("history", "latest");
  const failed = correctedResult(latest, correction, tabId);
  if (!failed) return null;
  const entry = { ...failed, at: latest[failed.rule].at, tab: tabId };
  const { diagnostics, tab, ...recorded } = entry;
  const index = history.findLastIndex(
    (old) => old.rule === failed.rule && old.visit === failed.visit,
  );
  const corrected =
    index < 0 ? [...history, recorded].slice(-HISTORY_LIMIT) : history.with(index, recorded);
  await localStore.write({ history: corrected, latest: { ...latest, [entry.rule]: entry } });
  return entry;
}

/**
 * What makes two record lines the same entry: the setting, what was found, on which page,
 * why, how it was checked and when it was first seen (to the millisecond). Two lines with
 * the same key are one entry, whatever else they say (a later copy may have folded more
 * repeats into it).
 */
const entryKey = (line) =>
  JSON.stringify([
    line.rule,
    line.outcome,
    line.path,
    line.reason ?? null,
    line.proof ?? null,
    line.at,
  ]);

/** When a line was last seen: its last repeat, or its own time. */
const lastSeen = (line) => Date.parse(line.last ?? line.at);

/**
 * The history with `restored` lines merged in: each entry once (of two copies, the one that
 * folded more repeats), ordered by when each was last seen, as new lines are, and kept
 * within the record's caps (proof kept, the rest capped).
 */
function mergedHistory(history, restored, now = Date.now()) {
  const byKey = new Map();
  for (const line of [...history, ...restored]) {
    const key = entryKey(line);
    const known = byKey.get(key);
    if (!known || (line.count ?? 1) > (known.count ?? 1)) byKey.set(key, line);
  }
  return withinCaps(
    [...byKey.values()].sort((a, b) => lastSeen(a) - lastSeen(b)),
    now,
  );
}

/**
 * Lines of a saved record (already checked) merged into the stored record. Returns how many
 * entries were added and how many it held already.
 */
export async function restoreHistory(restored, savedAt) {
  const { history } = await localStore.read("history");
  const before = new Set(history.map(entryKey));
  // A line from a file is marked so (when that file was saved), unless an earlier file's
  // mark is on it: the record tells what it saw from what it was given.
  const marked = restored.map((line) => ({ ...line, restored: line.restored ?? savedAt }));
  const merged = mergedHistory(history, marked);
  await localStore.write({ history: merged });
  const already = new Set(marked.map(entryKey).filter((key) => before.has(key)));
  return {
    added: merged.filter((line) => !before.has(entryKey(line))).length,
    already: already.size,
  };
}
