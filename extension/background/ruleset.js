/* The site and its rules, from extension/rules/*.json: build.py checks them against the
   schema, keeps what the extension uses, and esbuild puts that JSON text in place of
   COMPILED_RULES (its `define`). Everything else here finds rules by page. */

import { pageForms, pagesIndex, wrongAddressForms } from "../lib/pages.js";
import { normalizePath } from "../lib/text.js";

/**
 * The rule format this extension reads (build.py refuses any other; see RULE_FORMAT_VERSION there).
 */
const RULE_FORMAT_VERSION = 1;

/** The compiled rules, or none when they are of a format this extension does not know. */
function readRuleData(text) {
  const data = JSON.parse(text);
  if (data.formatVersion === RULE_FORMAT_VERSION) return data;
  const formats = `rules of format ${data.formatVersion} are not format ${RULE_FORMAT_VERSION}`;
  console.error(`linkedin-ai-optout: ${formats}: no rule is used`);
  return { ...data, rules: [] };
}

const RULE_DATA = readRuleData(COMPILED_RULES);

/**
 * The site: its origin, settings paths, app selector, sign-in pages, timing, known texts, state
 * mirrors.
 */
export const SITE = RULE_DATA.site;

/** Every rule, in the order of the rule files; the first is the main setting (the popup's card). */
export const RULES = RULE_DATA.rules;
export const MAIN_RULE = RULES[0];

const RULES_BY_PAGE = pagesIndex(RULES, SITE);
const WRONG_ADDRESSES = new Map(
  RULES.flatMap((rule) => wrongAddressForms(rule, SITE).map((path) => [path, rule])),
);

/**
 * The rules of the page at this path, under any of its address forms (a trailing slash does not
 * count).
 */
export function rulesAt(path) {
  return RULES_BY_PAGE.get(normalizePath(path)) ?? [];
}

/** Every path the rule's page may show at. */
export const formsOf = (rule) => pageForms(rule, SITE);
/** Every path of the rule's known wrong addresses. */
export const wrongFormsOf = (rule) => wrongAddressForms(rule, SITE);

/**
 * The rule whose known wrong address this path is (a slug in circulation for its page), or null.
 */
export function wrongAddressAt(path) {
  return WRONG_ADDRESSES.get(normalizePath(path)) ?? null;
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

/** The URL of a rule's page as the site links it today, where a run opens it. */
export function pageOf(ruleId) {
  return SITE.origin + RULES.find((rule) => rule.id === ruleId).pages[0];
}

/** The URL of the site's form for objecting to what a rule's switch does not cover, or null. */
export function objectionFormOf(ruleId) {
  const form = RULES.find((rule) => rule.id === ruleId).objectionForm;
  return form ? SITE.origin + form : null;
}
