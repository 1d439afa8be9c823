/* Diagnostics a member can send when the switch could not be found or confirmed: an outline
   of the page's switch-like elements and headings, built from an allow-list of attributes
   (never from markup), with texts shortened and anything like an address, a link or a
   token blanked out. Nothing here leaves the browser unless the member copies it. */

import { OUTLINE_ITEMS_MAX, OUTLINE_TEXT_MAX } from "../lib/diagnostics.js";
import {
  HEADING_SELECTOR, idsIn, isBusy, isDisabled, labelsOf, stepMatchCounts,
} from "./switches.js";

const SWITCH_LIKE = '[role="switch"], input[type="checkbox"], [aria-checked]';

/**
 * What is blanked out of every text: addresses, links, the paths of the site's personal pages
 * (profiles: from its rules), long numbers, and session tokens and ids (long words that mix
 * letters and digits).
 */
function redactions(config) {
  return [
    [/[^\s@]+@[^\s@]+/g, "[email]"],
    [/\b(?:https?:\/\/|www\.)\S+/gi, "[link]"],
    ...config.personalPaths.map((path) => [new RegExp(`${path}\\S+`, "g"), "[link]"]),
    [/[A-Za-z0-9:_-]*\d{5,}[A-Za-z0-9:_-]*/g, "[number]"],
    [/\b(?=[\w:-]*\d)(?=[\w:-]*[A-Za-z])[\w:-]{12,}/g, "[token]"],
  ];
}

function outlineText(text, redacting) {
  let clean = (text ?? "").replace(/\s+/g, " ").trim();
  for (const [pattern, replacement] of redacting) clean = clean.replace(pattern, replacement);
  return clean.length > OUTLINE_TEXT_MAX ? `${clean.slice(0, OUTLINE_TEXT_MAX - 1)}…` : clean;
}

function outlineSwitch(element, redacting) {
  const doc = element.ownerDocument;
  const text = (value) => outlineText(value, redacting);
  return {
    tag: element.tagName.toLowerCase(),
    id: text(element.id) || null,
    type: element.getAttribute("type"),
    role: element.getAttribute("role"),
    ariaChecked: element.getAttribute("aria-checked"),
    checked: element.tagName === "INPUT" ? element.checked : null,
    disabled: isDisabled(element),
    busy: isBusy(element),
    ariaLabel: text(element.getAttribute("aria-label")) || null,
    labelledBy: idsIn(element.getAttribute("aria-labelledby")).map((id) => {
      const target = doc.getElementById(id);
      return { id: text(id), found: target !== null, text: text(target?.textContent) };
    }),
    labels: labelsOf(element).map((label) => text(label.textContent)),
  };
}

export function pageOutline(rule, config, root = document) {
  const redacting = redactions(config);
  const app = root.querySelector(config.appReady);
  const headings = app ? [...app.querySelectorAll(HEADING_SELECTOR)] : [];
  return {
    appRendered: app !== null,
    headings: headings.slice(0, OUTLINE_ITEMS_MAX).map((heading) => outlineText(heading.textContent, redacting)),
    switches: [...root.querySelectorAll(SWITCH_LIKE)]
      .slice(0, OUTLINE_ITEMS_MAX)
      .map((element) => outlineSwitch(element, redacting)),
    strategies: stepMatchCounts(rule, root),
  };
}
