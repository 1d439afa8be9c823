/* Diagnostics a member can send when the switch could not be found or confirmed: an outline
   of the page's switch-like elements and headings, built from an allow-list of attributes
   (never from markup). The background blanks out anything like an address, a link or a
   token in its texts before it stores them (background/record.js), and shortens them.
   Nothing here leaves the browser unless the member copies it. */

import { OUTLINE_ITEMS_MAX, OUTLINE_SENT_MAX } from "../lib/diagnostics.js";
import {
  HEADING_SELECTOR, idsIn, isBusy, isDisabled, labelsOf, matchesStep, strategyName, switchCandidates,
} from "./switches.js";

const SWITCH_LIKE = '[role="switch"], input[type="checkbox"], [aria-checked]';

/** A text as the page has it, cut to what is sent (the background blanks out and cuts it). */
function sent(value) {
  return (value ?? "").slice(0, OUTLINE_SENT_MAX);
}

function outlineSwitch(element) {
  const doc = element.ownerDocument;
  return {
    tag: element.tagName.toLowerCase(),
    id: sent(element.id) || null,
    type: element.getAttribute("type"),
    role: element.getAttribute("role"),
    ariaChecked: element.getAttribute("aria-checked"),
    checked: element.tagName === "INPUT" ? element.checked : null,
    disabled: isDisabled(element),
    busy: isBusy(element),
    ariaLabel: sent(element.getAttribute("aria-label")) || null,
    labelledBy: idsIn(element.getAttribute("aria-labelledby")).map((id) => {
      const target = doc.getElementById(id);
      return { id: sent(id), found: target !== null, text: sent(target?.textContent) };
    }),
    labels: labelsOf(element).map((label) => sent(label.textContent)),
  };
}

/** What the rule's steps find on the page now, step by step. */
function strategiesTried(rule, root) {
  const candidates = switchCandidates(root);
  return rule.switch.map((step) => ({
    strategy: strategyName(step),
    matches: candidates.filter((element) => matchesStep(element, step)).length,
  }));
}

export function pageOutline(rule, config, root = document) {
  const app = root.querySelector(config.appReady);
  const headings = app ? [...app.querySelectorAll(HEADING_SELECTOR)] : [];
  return {
    appRendered: app !== null,
    headings: headings.slice(0, OUTLINE_ITEMS_MAX).map((heading) => sent(heading.textContent)),
    switches: [...root.querySelectorAll(SWITCH_LIKE)]
      .slice(0, OUTLINE_ITEMS_MAX)
      .map(outlineSwitch),
    strategies: strategiesTried(rule, root),
  };
}
