/* Diagnostics a member can send when the switch could not be found or confirmed. This file
   reads facts from the settings app alone (the site's `appReady` element: never the
   navigation, banners or the rest of the document): its headings and switch-like elements.
   lib/outline.js turns them into the outline, in which no text of the page's own is left.
   The facts never leave the content script. */

import { knowledgeOf } from "../lib/allowlist.js";
import { HEADINGS_MAX, LABELS_MAX, outlineOf, SWITCHES_MAX } from "../lib/outline.js";
import {
  HEADING_SELECTOR, idsIn, isBusy, isDisabled, labelsOf, mirrorReadings, stepMatchCounts, switchesSeen,
} from "./switches.js";

/** Switch-like for the outline: what the steps look at, and anything else with a toggle's state. */
const SWITCH_LIKE = '[role="switch"], [role="checkbox"], input[type="checkbox"], [aria-checked], [aria-pressed]';

/** The index of the last heading before the element, or null. */
function headingBefore(element, headings) {
  let found = null;
  headings.forEach((heading, index) => {
    if (heading.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) found = index;
  });
  return found;
}

function switchFacts(element, { app, headings, rule, seen }) {
  const doc = element.ownerDocument;
  const isToggleInput = element.tagName === "INPUT" && /^(checkbox|radio)$/i.test(element.type);
  const steps = seen.get(element);
  return {
    tag: element.tagName,
    id: element.id || null,
    role: element.getAttribute("role"),
    type: element.getAttribute("type"),
    ariaChecked: element.getAttribute("aria-checked"),
    ariaPressed: element.getAttribute("aria-pressed"),
    checked: isToggleInput ? element.checked : null,
    disabled: isDisabled(element),
    busy: isBusy(element),
    candidate: steps !== undefined,
    name: steps?.text ?? null,
    ariaLabel: element.getAttribute("aria-label"),
    title: element.getAttribute("title"),
    labelledBy: idsIn(element.getAttribute("aria-labelledby")).slice(0, LABELS_MAX).map((id) => {
      const target = doc.getElementById(id);
      const where = target === null ? "missing" : app.contains(target) ? "app" : "outside";
      return { id, where, text: where === "app" ? target.textContent : null };
    }),
    labels: labelsOf(element)
      .filter((label) => app.contains(label))
      .slice(0, LABELS_MAX)
      .map((label) => label.textContent),
    mirrors: mirrorReadings(element, rule.stateMirrors),
    heading: headingBefore(element, headings),
    matchedBy: steps?.strategies ?? [],
  };
}

/** The facts the outline is made of: read in the settings app only, and counts elsewhere. */
function pageFacts(rule, config, root) {
  const strategies = stepMatchCounts(rule, root);
  const app = root.querySelector(config.appReady);
  const switchLike = [...root.querySelectorAll(SWITCH_LIKE)];
  if (!app) return { appFound: false, headings: [], switches: [], switchLikeOutside: switchLike.length, strategies };
  const inApp = switchLike.filter((element) => app.contains(element));
  const headingElements = [...app.querySelectorAll(HEADING_SELECTOR)];
  const headings = headingElements.slice(0, HEADINGS_MAX);
  const seen = new Map(switchesSeen(rule, app, root).map(({ element, ...steps }) => [element, steps]));
  const context = { app, headings, rule, seen };
  return {
    appFound: true,
    headings: headingElements.map((heading, index) =>
      index < HEADINGS_MAX
        ? { tag: heading.tagName, ariaLevel: heading.getAttribute("aria-level"), text: heading.textContent }
        : null,
    ),
    switches: inApp.map((element, index) => (index < SWITCHES_MAX ? switchFacts(element, context) : null)),
    switchLikeOutside: switchLike.length - inApp.length,
    strategies,
  };
}

/**
 * The outline of the page for a result the member may send: what lib/outline.js lets through
 * of the facts, judged against the rules and site data this script was sent.
 */
export function pageOutline(rule, answer, root = document) {
  return outlineOf(pageFacts(rule, answer.config, root), knowledgeOf(answer.rules, answer.config));
}
