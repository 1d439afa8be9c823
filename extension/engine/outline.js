/* Diagnostics a member can send when the switch could not be found or confirmed: an outline
   of the page's switch-like elements and headings, built from an allow-list of attributes
   (never from markup). The background blanks out anything like an address, a link or a
   token (background/redact.js) before it stores the outline; nothing leaves the browser
   unless the member copies it. */

import { OUTLINE_ITEMS_MAX, OUTLINE_SENT_MAX } from "../lib/diagnostics.js";
import {
  HEADING_SELECTOR, idsIn, isBusy, isDisabled, labelsOf, stepMatchCounts,
} from "./switches.js";

const SWITCH_LIKE = '[role="switch"], input[type="checkbox"], [aria-checked]';

/** A text as the page has it, cut to what the background reads (it blanks out and cuts). */
const outlineText = (text) => (text ?? "").slice(0, OUTLINE_SENT_MAX);

function outlineSwitch(element) {
  const doc = element.ownerDocument;
  return {
    tag: element.tagName.toLowerCase(),
    id: outlineText(element.id) || null,
    type: element.getAttribute("type"),
    role: element.getAttribute("role"),
    ariaChecked: element.getAttribute("aria-checked"),
    checked: element.tagName === "INPUT" ? element.checked : null,
    disabled: isDisabled(element),
    busy: isBusy(element),
    ariaLabel: outlineText(element.getAttribute("aria-label")) || null,
    labelledBy: idsIn(element.getAttribute("aria-labelledby")).map((id) => {
      const target = doc.getElementById(id);
      return { id: outlineText(id), found: target !== null, text: outlineText(target?.textContent) };
    }),
    labels: labelsOf(element).map((label) => outlineText(label.textContent)),
  };
}

export function pageOutline(rule, config, root = document) {
  const app = root.querySelector(config.appReady);
  const headings = app ? [...app.querySelectorAll(HEADING_SELECTOR)] : [];
  return {
    appRendered: app !== null,
    headings: headings.slice(0, OUTLINE_ITEMS_MAX).map((heading) => outlineText(heading.textContent)),
    switches: [...root.querySelectorAll(SWITCH_LIKE)]
      .slice(0, OUTLINE_ITEMS_MAX)
      .map(outlineSwitch),
    strategies: stepMatchCounts(rule, root),
  };
}
