/* The record: what content scripts send is checked field by field, then stored with its
   time as the rule's latest result and in a bounded history. */

import { OUTLINE_ITEMS_MAX, OUTLINE_SENT_MAX } from "../lib/diagnostics.js";
import { MAX_CLICKS, OUTCOME_KINDS, REASONS } from "../lib/outcomes.js";
import { outlineText } from "./redact.js";
import { RULES } from "./ruleset.js";
import { HISTORY_LIMIT, localStore } from "./storage.js";

const RULE_PAGES = new Map(RULES.map((rule) => [rule.id, new Set(rule.pages)]));

function isShortText(value, max) {
  return typeof value === "string" && value.length > 0 && value.length <= max;
}

/** A text of the outline, blanked out and cut (the content script sends it as the page has it). */
function shortText(value) {
  return typeof value === "string" ? outlineText(value.slice(0, OUTLINE_SENT_MAX)) : null;
}

function boolOrNull(value) {
  return typeof value === "boolean" ? value : null;
}

function listOf(value, clean) {
  return Array.isArray(value) ? value.slice(0, OUTLINE_ITEMS_MAX).map(clean) : [];
}

/** The page outline rebuilt field by field from what is allowed, whatever else was sent. */
function cleanDiagnostics(raw) {
  if (typeof raw !== "object" || raw === null) return undefined;
  return {
    appRendered: raw.appRendered === true,
    headings: listOf(raw.headings, shortText),
    switches: listOf(raw.switches, (item) => ({
      tag: shortText(item?.tag),
      id: shortText(item?.id),
      type: shortText(item?.type),
      role: shortText(item?.role),
      ariaChecked: shortText(item?.ariaChecked),
      checked: boolOrNull(item?.checked),
      disabled: boolOrNull(item?.disabled),
      busy: boolOrNull(item?.busy),
      ariaLabel: shortText(item?.ariaLabel),
      labelledBy: listOf(item?.labelledBy, (label) => ({
        id: shortText(label?.id),
        found: boolOrNull(label?.found),
        text: shortText(label?.text),
      })),
      labels: listOf(item?.labels, shortText),
    })),
    strategies: listOf(raw.strategies, (tried) => ({
      strategy: shortText(tried?.strategy),
      matches: Number.isInteger(tried?.matches) ? tried.matches : null,
    })),
  };
}

function isClicks(value) {
  return Number.isInteger(value) && value >= 0 && value <= MAX_CLICKS;
}

/** The result in a stored shape, or null when anything in it is not what a content script sends. */
export function cleanResult(raw) {
  if (typeof raw !== "object" || raw === null) return null;
  const pages = RULE_PAGES.get(raw.rule);
  if (!pages || !Object.hasOwn(OUTCOME_KINDS, raw.outcome) || !pages.has(raw.path)) return null;
  if (raw.reason !== undefined && !REASONS.includes(raw.reason)) return null;
  if (raw.strategy !== undefined && !/^[a-z-]+(:[A-Za-z-]+)?$/.test(String(raw.strategy))) return null;
  if (raw.clicks !== undefined && !isClicks(raw.clicks)) return null;
  if (raw.lang != null && !isShortText(raw.lang, 35)) return null;
  const result = { rule: raw.rule, outcome: raw.outcome, path: raw.path };
  for (const key of ["reason", "strategy", "clicks", "lang"]) {
    if (raw[key] != null) result[key] = raw[key];
  }
  const diagnostics = cleanDiagnostics(raw.diagnostics);
  if (diagnostics) result.diagnostics = diagnostics;
  return result;
}

/**
 * Stores one result with its time: as its rule's latest (with the page outline, kept for
 * the latest result only) and at the end of the history. Returns what was stored.
 */
export async function storeResult(result) {
  const entry = { ...result, at: new Date().toISOString() };
  const { diagnostics, ...recorded } = entry;
  const { history, latest } = await localStore.read("history", "latest");
  await localStore.write({
    history: [...history, recorded].slice(-HISTORY_LIMIT),
    latest: { ...latest, [entry.rule]: entry },
  });
  return entry;
}
