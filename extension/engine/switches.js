/* Finding a rule's switch and reading it. Nothing here knows which site it runs on:
   what to look for comes from the rule's `switch` steps. */

import { normalizeText } from "../lib/text.js";

const SWITCH_SELECTOR = '[role="switch"], input[type="checkbox"]';
export const HEADING_SELECTOR = 'h1, h2, h3, h4, h5, h6, [role="heading"]';

export function idsIn(attributeValue) {
  return (attributeValue ?? "").split(/\s+/).filter(Boolean);
}

/** The <label> elements of a control: those that name it with `for`, and the one around it. */
export function labelsOf(element) {
  const labels = [...(element.labels ?? [])];
  const wrapping = element.closest("label");
  if (wrapping && !labels.includes(wrapping)) labels.push(wrapping);
  return labels;
}

/** The elements named by its aria-labelledby that exist, in order. */
function labelledByElements(element) {
  const doc = element.ownerDocument;
  return idsIn(element.getAttribute("aria-labelledby"))
    .map((id) => doc.getElementById(id))
    .filter(Boolean);
}

/** Every text that names the element for assistive technology, normalized. */
function accessibleLabels(element) {
  const labelledBy = labelledByElements(element).map((label) => label.textContent);
  const texts = [labelledBy.join(" "), element.getAttribute("aria-label") ?? ""];
  for (const label of labelsOf(element)) texts.push(label.textContent);
  return texts.map(normalizeText).filter(Boolean);
}

/**
 * The kinds of step a rule's `switch` may list (the rule schema's `by`): how each matches an
 * element, and the attributes it reads, which the page watch wakes on (a kind whose
 * attributes are not listed would match, but never be looked for again when they change).
 */
export const STEP_KINDS = {
  "aria-labelledby": {
    matches: (element, step) => idsIn(element.getAttribute("aria-labelledby")).includes(step.id),
    reads: ["aria-labelledby"],
  },
  "label-text": {
    matches: (element, step) => accessibleLabels(element).includes(step.normalizedText),
    reads: ["aria-labelledby", "aria-label", "id", "for"],
  },
  "element-id": {
    matches: (element, step) => element.id === step.id,
    reads: ["id"],
  },
};

/** What makes an element a switch and what its state reads from (readState, isDisabled, isBusy). */
export const SWITCH_ATTRIBUTES = ["role", "type", "checked", "disabled", "aria-checked", "aria-pressed", "aria-busy", "aria-disabled"];

export function strategyName(step) {
  return step.by === "label-text" ? `label-text:${step.lang}` : step.by;
}

/** Whether the element is what the step looks for. */
export function matchesStep(element, step) {
  return STEP_KINDS[step.by].matches(element, step);
}

/** The switch-like elements on the page now. */
export function switchCandidates(root = document) {
  return [...root.querySelectorAll(SWITCH_SELECTOR)];
}

/** The elements found by the first of the rule's steps that finds any, or null. */
export function findSwitches(rule, root = document) {
  const candidates = switchCandidates(root);
  if (candidates.length === 0) return null;
  for (const step of rule.switch) {
    const elements = candidates.filter((element) => matchesStep(element, step));
    if (elements.length > 0) return { elements, strategy: strategyName(step) };
  }
  return null;
}

const ARIA_STATES = { true: "on", false: "off" };

/** What one of the site's state mirrors (rule data) says of a switch, or null if it is not there. */
function mirrorReading(element, { within, at, onClass, attribute }) {
  const wrapper = element.closest(within);
  if (!wrapper) return null;
  if (onClass) return wrapper.classList.contains(onClass) ? "on" : "off";
  const value = (at ? wrapper.querySelector(at) : wrapper)?.getAttribute(attribute) ?? null;
  return value === null ? null : (ARIA_STATES[value] ?? "unknown");
}

/**
 * "on", "off" or "unknown", from every place the state shows: `checked` of a checkbox,
 * aria-checked, aria-pressed, and the site's own mirrors of it (`mirrors`, from its rules).
 * Those present must all agree; none, or a disagreement, is "unknown" (never "on").
 */
export function readState(element, mirrors = []) {
  const readings = new Set();
  if (element.tagName === "INPUT" && element.type === "checkbox") readings.add(element.checked ? "on" : "off");
  for (const name of ["aria-checked", "aria-pressed"]) {
    const value = element.getAttribute(name);
    if (value !== null) readings.add(ARIA_STATES[value] ?? "unknown");
  }
  for (const mirror of mirrors) readings.add(mirrorReading(element, mirror));
  readings.delete(null);
  return readings.size === 1 ? [...readings][0] : "unknown";
}

export function isDisabled(element) {
  return element.disabled === true || element.getAttribute("aria-disabled") === "true";
}

/** A save in progress: the switch or a region around it says it is busy. */
export function isBusy(element) {
  return element.closest('[aria-busy="true"]') !== null;
}

/** The elements whose text names the switch: its labels and those it is labelled by. */
function labelElements(element) {
  return [...labelsOf(element), ...labelledByElements(element)];
}

/** The label elements of every switch-like element on the page: where text matters. */
export function switchLabels(root = document) {
  return switchCandidates(root).flatMap(labelElements);
}

/**
 * The switch's row: the nearest element around it and its labels, if it holds no other
 * switch-like element and no heading (then it is more than a row); null otherwise.
 */
function rowOf(element) {
  const labels = labelElements(element);
  let row = element.parentElement;
  while (row && !labels.every((label) => row.contains(label))) row = row.parentElement;
  const alone = row && switchCandidates(row).length === 1 && !row.querySelector(HEADING_SELECTOR);
  return alone ? row : null;
}

/** Whether a member's action on `target` lands on the switch, one of its labels or its row. */
export function actionReaches(element, target) {
  if (!target?.nodeType) return false;
  return [element, ...labelElements(element), rowOf(element)].some((part) => part?.contains(target));
}
