/* What the content script's facts of a page (engine/facts.js) and the background's outline of
   them (lib/outline.js) agree on: how much of the page is read, and what a state mirror is
   called. The content script imports this alone of the diagnostics: the allow-list and the
   outline run in the background. */

export const HEADINGS_MAX = 40;
export const SWITCHES_MAX = 40;
export const LABELS_MAX = 10;
/**
 * Longest text sent, in UTF-16 units (the page's language tag too): far longer than any text
 * the rule data has (140), so that a page cannot make a huge message; a longer text is
 * reported by the shape of its start.
 */
export const TEXT_MAX = 1000;

/**
 * The facts as the content script sends them: every text cut to TEXT_MAX (the lists are cut
 * where they are read). A plain copy, as a message carries it.
 */
export function sentFacts(facts) {
  return JSON.parse(
    JSON.stringify(facts, (key, value) =>
      typeof value === "string" ? value.slice(0, TEXT_MAX) : value,
    ),
  );
}

/**
 * The name a state mirror of the rule data goes by in facts and reports: its class, or its
 * attribute.
 */
export function mirrorName(mirror) {
  return mirror.onClass ?? mirror.attribute;
}
