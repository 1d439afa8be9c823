/* Finding a rule's switch and reading it. Nothing here knows which site it runs on:
   what to look for comes from the rule's `switch` steps. */

import { mirrorName } from "../lib/facts.js";
import { senseOf } from "../lib/sense.js";
import { normalizeText } from "../lib/text.js";

// Switch-like: what a page may build a switch from. aria-pressed buttons are toggles too.
const SWITCH_SELECTOR = [
  'input[type="checkbox"]',
  '[role="switch"]',
  '[role="checkbox"]',
  "button[aria-checked]",
  "button[aria-pressed]",
].join(", ");
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

/** Text as assistive technology reads it: without aria-hidden parts and without `skip`. */
function spokenText(node, skip) {
  if (node.nodeType === 3) return node.data;
  if (node === skip || node.nodeType !== 1 || node.getAttribute("aria-hidden") === "true")
    return "";
  return [...node.childNodes].map((child) => spokenText(child, skip)).join(" ");
}

/**
 * The element's accessible name as browsers compute it (the first of aria-labelledby,
 * aria-label, its <label>s, title that has text), or else the text of its row: the outermost
 * ancestor holding no other switch-like element, up to the first with text. Normalized.
 */
function switchText(element, candidates) {
  const named = [
    labelledByElements(element)
      .map((label) => label.textContent)
      .join(" "),
    element.getAttribute("aria-label"),
    labelsOf(element)
      .map((label) => label.textContent)
      .join(" "),
    element.getAttribute("title"),
  ]
    .map((text) => normalizeText(text ?? ""))
    .find(Boolean);
  if (named) return named;
  for (let row = element.parentElement; row; row = row.parentElement) {
    if (candidates.some((other) => other !== element && row.contains(other))) break;
    const text = normalizeText(spokenText(row, element));
    if (text) return text;
  }
  return "";
}

/** What every step looks at on the page now: the switch-like elements, their text (once each). */
function pageScene(rule, root) {
  const candidates = switchCandidates(root);
  const texts = new Map();
  const textOf = (element) =>
    texts.get(element) ?? texts.set(element, switchText(element, candidates)).get(element);
  return { rule, root, candidates, textOf };
}

/**
 * The kinds of step a rule's `switch` may list (the rule schema's `by`): how each matches an
 * element, and the attributes it reads, which the page watch wakes on (a kind whose
 * attributes are not listed would match, but never be looked for again when they change).
 * only-switch is page-level: on the rule's own page (the background sends a rule only there),
 * once one of its headings shows inside the app region (the rule's `app`, the site's
 * appReady), it finds every switch-like element in that region; more than one is ambiguous.
 * What a page-level step finds is not known by its own key or label: it is acted on only when
 * its text reads in the setting's sense (switchFor).
 */
export const STEP_KINDS = {
  "aria-labelledby": {
    matches: (element, step) => idsIn(element.getAttribute("aria-labelledby")).includes(step.id),
    reads: ["aria-labelledby"],
  },
  "label-text": {
    matches: (element, step, scene) => scene.textOf(element) === step.normalizedText,
    reads: ["aria-labelledby", "aria-label", "id", "for", "title", "aria-hidden"],
  },
  "element-id": {
    matches: (element, step) => element.id === step.id,
    reads: ["id"],
  },
  "only-switch": {
    matches: (element, step, scene) => {
      const app = scene.root.querySelector(scene.rule.app);
      return app !== null && app.contains(element) && headingPresent(scene.rule, app);
    },
    reads: [],
    pageLevel: true,
  },
};

/** What makes an element a switch and what its state reads from (readState, isDisabled, isBusy). */
export const SWITCH_ATTRIBUTES = [
  "role",
  "type",
  "checked",
  "disabled",
  "aria-checked",
  "aria-pressed",
  "aria-busy",
  "aria-disabled",
];

export function strategyName(step) {
  return step.by === "label-text" ? `label-text:${step.lang}` : step.by;
}

function matchesStep(element, step, scene) {
  return STEP_KINDS[step.by].matches(element, step, scene);
}

/**
 * Every switch-like element on the page as the rule's steps see it: with the text it is known
 * by (what label-text steps compare) and the steps that find it.
 */
export function switchesSeen(rule, root = document) {
  const scene = pageScene(rule, root);
  return scene.candidates.map((element) => ({
    element,
    text: scene.textOf(element),
    steps: rule.switch.filter((step) => matchesStep(element, step, scene)),
  }));
}

/** The switch-like elements on the page now. */
function switchCandidates(root = document) {
  return [...root.querySelectorAll(SWITCH_SELECTOR)];
}

/** The elements found by the first of the rule's steps that finds any, or null. */
export function findSwitches(rule, root = document) {
  const scene = pageScene(rule, root);
  if (scene.candidates.length === 0) return null;
  for (const step of rule.switch) {
    const elements = scene.candidates.filter((element) => matchesStep(element, step, scene));
    if (elements.length > 0) return { elements, strategy: strategyName(step) };
  }
  return null;
}

const ARIA_STATES = { true: "on", false: "off" };

/**
 * What one of the site's state mirrors (rule data) says of a switch, or null if it is not there.
 */
function mirrorReading(element, { within, at, onClass, attribute }) {
  const wrapper = element.closest(within);
  if (!wrapper) return null;
  if (onClass) return wrapper.classList.contains(onClass) ? "on" : "off";
  const value = (at ? wrapper.querySelector(at) : wrapper)?.getAttribute(attribute) ?? null;
  return value === null ? null : (ARIA_STATES[value] ?? "unknown");
}

/**
 * What each of the site's state mirrors shows of the switch, by name ("on", "off", "unknown",
 * null).
 */
export function mirrorReadings(element, mirrors = []) {
  return Object.fromEntries(
    mirrors.map((mirror) => [mirrorName(mirror), mirrorReading(element, mirror)]),
  );
}

/**
 * "on", "off" or "unknown", from every place the state shows: `checked` of a checkbox,
 * aria-checked, aria-pressed, and the site's own mirrors of it (`mirrors`, from its rules).
 * Those present must all agree; none, or a disagreement, is "unknown" (never "on").
 */
export function readState(element, mirrors = []) {
  const readings = new Set();
  if (element.tagName === "INPUT" && element.type === "checkbox")
    readings.add(element.checked ? "on" : "off");
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
  return [element, ...labelElements(element), rowOf(element)].some((part) =>
    part?.contains(target),
  );
}

/**
 * The text of the switch's row as assistive technology reads it, normalized; "" with no row of its
 * own.
 */
function rowText(element) {
  const row = rowOf(element);
  return row ? normalizeText(spokenText(row)) : "";
}

/**
 * How the switch's own name and its row's text read against the rule's known texts (its
 * labels and headings, sent as rule.sense): "same", "negated" or "unrelated" (lib/sense.js).
 */
function senseOfSwitch(rule, element, root) {
  const name = switchText(element, switchCandidates(root));
  return senseOf([name, rowText(element)], rule.sense);
}

/**
 * The switch the rule may act on, as its steps find it: { element, strategy }, or with a
 * `reason` and no element when it may not: several found, another rule of the page (its
 * `rivals`) finds the same element, or a page-level step found one whose text does not read
 * in the setting's sense. Null when nothing is found.
 */
export function switchFor(rule, root = document) {
  const found = findSwitches(rule, root);
  if (!found) return null;
  const { elements, strategy } = found;
  if (elements.length > 1) return { strategy, reason: "several-switches" };
  const [element] = elements;
  const rivals = rule.rivals ?? [];
  if (rivals.some((rival) => findSwitches(rival, root)?.elements.includes(element))) {
    return { strategy, reason: "claimed-by-another-rule" };
  }
  if (STEP_KINDS[strategy]?.pageLevel && senseOfSwitch(rule, element, root) !== "same") {
    return { strategy, reason: "unsure-sense" };
  }
  return { element, strategy };
}

/**
 * The switches a member's action on `target` reaches, as they are at that moment: each element
 * with its text (what label-text steps compare) and whether it was the page's only switch.
 * Kept for an action before the rules arrived: the page may render the switch anew before
 * they do, and the element the member touched is then detached, its label with it.
 */
export function switchesReached(target, root = document) {
  if (!target?.nodeType) return [];
  const candidates = switchCandidates(root);
  return candidates
    .filter((element) => actionReaches(element, target))
    .map((element) => ({
      element,
      text: switchText(element, candidates),
      alone: candidates.length === 1,
    }));
}

/**
 * Whether a switch as `switchesReached` kept it is one the rule's steps find: each step kind's
 * own match on the kept element and text; a page-level step, when it was the page's only switch.
 */
export function reachedIsRules(rule, reached) {
  const scene = { rule, textOf: () => reached.text };
  return rule.switch.some((step) =>
    STEP_KINDS[step.by].pageLevel
      ? reached.alone
      : STEP_KINDS[step.by].matches(reached.element, step, scene),
  );
}

/** Whether one of the rule's headings (any language) shows inside `root`. */
function headingPresent(rule, root = document) {
  const wanted = new Set(rule.normalizedHeadings);
  return [...root.querySelectorAll(HEADING_SELECTOR)].some((heading) =>
    wanted.has(normalizeText(heading.textContent)),
  );
}
