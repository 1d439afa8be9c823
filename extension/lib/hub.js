/* The rows of a hub page's section (site.hubs in the rule data), as the background keeps
   them: rebuilt from what a content script sent (links to the site's settings pages only,
   each a path and a one-line name), compared with the pages the rule data knows, and
   outlined for a diagnostics report. Pure: no DOM, no browser. */

import { reportedPath, reportedText } from "./allowlist.js";
import { pageForms } from "./pages.js";
import { normalizePath } from "./text.js";

/** How many rows no rule knows are kept, over all hubs. */
export const UNKNOWN_ROWS_MAX = 10;
const ROWS_MAX = 50;
const TEXT_MAX = 200;
const PLAIN_PATH = /^(\/[A-Za-z0-9_.-]+)+$/;

/** The hub whose page is at this path, or null. */
export function hubAt(path, site) {
  const page = normalizePath(path);
  return (site.hubs ?? []).find((hub) => hub.pages.includes(page)) ?? null;
}

/**
 * Every page a row may link to that the rule data knows: the rules' (under every address
 * form), the hubs', and those holding no switch.
 */
export function knownPages(rules, site) {
  const hubs = site.hubs ?? [];
  const rulePages = rules.flatMap((rule) => pageForms(rule, site));
  return new Set([...rulePages, ...hubs.flatMap((hub) => [...hub.pages, ...hub.notSwitches])]);
}

function rowPath(href, site) {
  let url;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  const path = normalizePath(url.pathname);
  const inSettings = site.settingsPaths.some((pattern) =>
    path.startsWith(pattern.replace(/\*$/, "")),
  );
  return url.origin === site.origin && inSettings && PLAIN_PATH.test(path) ? path : null;
}

/**
 * The rows of a message, rebuilt: each a page of the site inside its settings paths (the
 * path alone: no query, no hash, no trailing slash) and a name of one line; anything else is
 * dropped, and a page listed twice counts once.
 */
export function cleanRows(raw, site) {
  const rows = new Map();
  for (const row of Array.isArray(raw) ? raw.slice(0, ROWS_MAX) : []) {
    const path = typeof row?.href === "string" ? rowPath(row.href, site) : null;
    const text =
      typeof row?.text === "string" ? row.text.replace(/\s+/g, " ").trim().slice(0, TEXT_MAX) : "";
    if (path && text && !rows.has(path)) rows.set(path, { path, text });
  }
  return [...rows.values()];
}

/** The rows whose page the rule data does not know. */
export function unknownRows(rows, known) {
  return rows.filter((row) => !known.has(row.path));
}

/**
 * Stored rows of one hub replaced by what it lists now; the other hubs' kept, UNKNOWN_ROWS_MAX in
 * all.
 */
export function withHubRows(stored, hubPage, rows) {
  const others = stored.filter((entry) => entry.hub !== hubPage);
  return [...rows.map((row) => ({ hub: hubPage, ...row })), ...others].slice(0, UNKNOWN_ROWS_MAX);
}

/**
 * Rows as a diagnostics report shows them: a shipped text or its shape, a known path or its shape.
 */
export function reportedRows(rows, knowledge, known) {
  return rows.map((row) => ({
    text: reportedText(row.text, knowledge),
    path: reportedPath(row.path, known),
  }));
}
