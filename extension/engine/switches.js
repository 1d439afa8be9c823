/* Finding a rule's switch and reading it. Nothing here knows which site it runs on:
   what to look for comes from the rule's `switch` steps. */

const SWITCH_SELECTOR = '[role="switch"], input[type="checkbox"]';

function idsIn(attributeValue) {
  return (attributeValue ?? "").split(/\s+/).filter(Boolean);
}

/** The <label> elements of a control: those that name it with `for`, and the one around it. */
function labelsOf(element) {
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

const STEP_MATCHERS = {
  "aria-labelledby": (element, step) => idsIn(element.getAttribute("aria-labelledby")).includes(step.id),
  "label-text": (element, step) => accessibleLabels(element).includes(step.normalizedText),
  "element-id": (element, step) => element.id === step.id,
};

function strategyName(step) {
  return step.by === "label-text" ? `label-text:${step.lang}` : step.by;
}

/** The elements found by the first of the rule's steps that finds any, or null. */
function findSwitches(rule, root = document) {
  const candidates = [...root.querySelectorAll(SWITCH_SELECTOR)];
  if (candidates.length === 0) return null;
  for (const step of rule.switch) {
    const elements = candidates.filter((element) => STEP_MATCHERS[step.by](element, step));
    if (elements.length > 0) return { elements, strategy: strategyName(step) };
  }
  return null;
}

/** "on", "off" or "unknown": `checked` for a checkbox, `aria-checked` for anything else. */
function readState(element) {
  if (element.tagName === "INPUT" && element.type === "checkbox") {
    return element.checked ? "on" : "off";
  }
  const ariaChecked = element.getAttribute("aria-checked");
  if (ariaChecked === "true") return "on";
  if (ariaChecked === "false") return "off";
  return "unknown";
}

function isDisabled(element) {
  return element.disabled === true || element.getAttribute("aria-disabled") === "true";
}

/** A save in progress: the switch or a region around it says it is busy. */
function isBusy(element) {
  return element.closest('[aria-busy="true"]') !== null;
}

/** The elements whose text names the switch: its labels and those it is labelled by. */
function labelElements(element) {
  return [...labelsOf(element), ...labelledByElements(element)];
}

/** The label elements of every switch-like element on the page: where text matters. */
function switchLabels(root = document) {
  return [...root.querySelectorAll(SWITCH_SELECTOR)].flatMap(labelElements);
}

/** Whether a click on `target` lands on the switch or on one of its labels. */
function clickReaches(element, target) {
  if (!(target instanceof Node)) return false;
  if (element === target || element.contains(target)) return true;
  return labelElements(element).some((label) => label.contains(target));
}

function headingPresent(rule, root = document) {
  const wanted = new Set(rule.normalizedHeadings);
  return [...root.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')].some((heading) =>
    wanted.has(normalizeText(heading.textContent)),
  );
}
