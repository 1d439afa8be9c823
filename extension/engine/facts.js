/* Diagnostics a member can send when the switch could not be found or confirmed. This file
   reads facts from the settings app alone (the site's `appReady` element: never the
   navigation, banners or the rest of the document): its headings and switch-like elements,
   and counts elsewhere. They go, with the result, to the extension's own background and
   nowhere else: it makes the outline of them (lib/outline.js), in which no text of the
   page's own is left, before anything is stored. The facts themselves are never stored. */

import { HEADINGS_MAX, LABELS_MAX, sentFacts, SWITCHES_MAX } from "../lib/facts.js";
import {
  HEADING_SELECTOR,
  idsIn,
  isBusy,
  isDisabled,
  labelsOf,
  mirrorReadings,
  strategyName,
  switchesSeen,
} from "./switches.js";

/** Switch-like for the outline: what the steps look at, and anything else with a toggle's state. */
const SWITCH_LIKE =
  '[role="switch"], [role="checkbox"], input[type="checkbox"], [aria-checked], [aria-pressed]';

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
  const asCandidate = seen.get(element); // a switch-like element the rule's steps look at
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
    candidate: asCandidate !== undefined,
    name: asCandidate?.text ?? null,
    ariaLabel: element.getAttribute("aria-label"),
    title: element.getAttribute("title"),
    labelledBy: idsIn(element.getAttribute("aria-labelledby"))
      .slice(0, LABELS_MAX)
      .map((id) => {
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
    matchedBy: asCandidate?.steps.map(strategyName) ?? [],
  };
}

/**
 * The facts of the page for the background's outline, as they are sent: the settings app's
 * headings and switch-like elements (lists and texts cut to size, with their full counts),
 * and what each of the rule's steps finds on the whole page.
 */
/** The first of the site's front ends (rule data) whose marks the page shows, or null. */
function frontEndOf(frontEnds, root) {
  return frontEnds.find(({ marks }) => root.querySelector(marks) !== null)?.name ?? null;
}

export function pageFacts(rule, config, root = document) {
  const candidates = switchesSeen(rule, root);
  const app = root.querySelector(config.appReady);
  const switchLike = [...root.querySelectorAll(SWITCH_LIKE)];
  const inApp = app ? switchLike.filter((element) => app.contains(element)) : [];
  const headingElements = app ? [...app.querySelectorAll(HEADING_SELECTOR)] : [];
  const headings = headingElements.slice(0, HEADINGS_MAX);
  const seen = new Map(
    candidates
      .filter(({ element }) => app?.contains(element))
      .map(({ element, ...found }) => [element, found]),
  );
  const context = { app, headings, rule, seen };
  return sentFacts({
    frontEnd: frontEndOf(config.frontEnds ?? [], root),
    appFound: app !== null,
    headingCount: headingElements.length,
    headings: headings.map((heading) => ({
      tag: heading.tagName,
      ariaLevel: heading.getAttribute("aria-level"),
      text: heading.textContent,
    })),
    switchCount: inApp.length,
    switches: inApp.slice(0, SWITCHES_MAX).map((element) => switchFacts(element, context)),
    switchLikeOutside: switchLike.length - inApp.length,
    strategies: rule.switch.map((step) => ({
      strategy: strategyName(step),
      matches: candidates.filter(({ steps }) => steps.includes(step)).length,
    })),
  });
}
