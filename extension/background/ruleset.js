/* The site and its rules, from extension/rules/*.json: build.py checks them against the
   schema, keeps what the extension uses, and esbuild puts that JSON text in place of
   COMPILED_RULES (its `define`). Everything else here finds rules by page. */

import { normalizePath } from "../lib/text.js";

const RULE_DATA = JSON.parse(COMPILED_RULES);

/** The site: its origin, settings paths, app selector, sign-in pages, timing, known texts, state mirrors. */
export const SITE = RULE_DATA.site;

/** Every rule, in the order of the rule files; the first is the main setting (the popup's card). */
export const RULES = RULE_DATA.rules;
export const MAIN_RULE = RULES[0];

/** The rules of the page at this path (a trailing slash does not count). */
export function rulesAt(path) {
  const page = normalizePath(path);
  return RULES.filter((rule) => rule.pages.includes(page));
}

/** The rule whose page this URL shows and that page's path, or null (for any text). */
export function ruleAtUrl(url) {
  let parsed;
  try {
    parsed = new URL(url, SITE.origin);
  } catch {
    return null;
  }
  if (parsed.origin !== SITE.origin) return null;
  const [rule] = rulesAt(parsed.pathname);
  return rule ? { rule, path: normalizePath(parsed.pathname) } : null;
}

/** The URL of a rule's page, where a visit or a run opens it. */
export function pageOf(ruleId) {
  return SITE.origin + RULES.find((rule) => rule.id === ruleId).pages[0];
}

/** The URL of the site's form for objecting to what a rule's switch does not cover, or null. */
export function objectionFormOf(ruleId) {
  const form = RULES.find((rule) => rule.id === ruleId).objectionForm;
  return form ? SITE.origin + form : null;
}
