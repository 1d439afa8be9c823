/* What is blanked out of every text of a page outline before it is stored: addresses, links,
   the paths of the site's personal pages (profiles: from its rules), long numbers, and session
   tokens and ids (long words that mix letters and digits). The content script sends the
   texts as the page has them (cut to OUTLINE_SENT_MAX); only what this lets through is kept,
   and nothing leaves the browser unless the member copies it. */

import { OUTLINE_TEXT_MAX } from "../lib/diagnostics.js";
import { SITE } from "./ruleset.js";

const REDACTIONS = [
  [/[^\s@]+@[^\s@]+/g, "[email]"],
  [/\b(?:https?:\/\/|www\.)\S+/gi, "[link]"],
  ...SITE.personalPaths.map((path) => [new RegExp(`${path}\\S+`, "g"), "[link]"]),
  [/[A-Za-z0-9:_-]*\d{5,}[A-Za-z0-9:_-]*/g, "[number]"],
  [/\b(?=[\w:-]*\d)(?=[\w:-]*[A-Za-z])[\w:-]{12,}/g, "[token]"],
];

/** The text with spacing collapsed, blanked out, and cut to OUTLINE_TEXT_MAX (with "…"). */
export function outlineText(text) {
  let clean = text.replace(/\s+/g, " ").trim();
  for (const [pattern, replacement] of REDACTIONS) clean = clean.replace(pattern, replacement);
  return clean.length > OUTLINE_TEXT_MAX ? `${clean.slice(0, OUTLINE_TEXT_MAX - 1)}…` : clean;
}
