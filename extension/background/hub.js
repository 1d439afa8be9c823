/* The site's hub pages: the rows of their section that no rule knows, kept for the popup
   ("LinkedIn lists a data-use setting this extension does not know yet") and the
   diagnostics report. A row the rule data comes to know is no longer shown. */

import { knowledgeOf } from "../lib/allowlist.js";
import {
  cleanRows,
  hubAt,
  knownPages,
  reportedRows,
  unknownRows,
  withHubRows,
} from "../lib/hub.js";
import { normalizeText } from "../lib/text.js";
import { RULES, SITE } from "./ruleset.js";
import { localStore } from "./storage.js";

const KNOWN = knownPages(RULES, SITE);
const KNOWLEDGE = knowledgeOf(RULES, SITE);

/**
 * What a content script on a hub page is sent: the section's headings (normalized) and what a row
 * is.
 */
export function hubToRead(path) {
  const hub = hubAt(path, SITE);
  return hub && { section: Object.values(hub.section).flat().map(normalizeText), row: hub.row };
}

/** A hub page's rows arrived: those no rule knows replace what was kept of that hub. */
export async function hubRowsArrived(message) {
  const hub = typeof message.path === "string" ? hubAt(message.path, SITE) : null;
  if (!hub) return;
  const unknown = unknownRows(cleanRows(message.rows, SITE), KNOWN);
  const { hubUnknown } = await localStore.read("hubUnknown");
  const kept = withHubRows(hubUnknown, hub.pages[0], unknown);
  if (JSON.stringify(kept) !== JSON.stringify(hubUnknown))
    await localStore.write({ hubUnknown: kept });
}

/**
 * The kept rows the rule data still does not know: for the popup (name, link) and the report
 * (outlined).
 */
export async function hubStatus() {
  const { hubUnknown } = await localStore.read("hubUnknown");
  const rows = unknownRows(hubUnknown, KNOWN);
  return {
    unknown: rows.map((row) => ({ text: row.text, url: SITE.origin + row.path })),
    report: reportedRows(rows, KNOWLEDGE, KNOWN),
  };
}
