/* Finding a rule's switch and reading it. Nothing here knows which site it runs on:
   what to look for comes from the rule's `switch` steps. */

const SWITCH_SELECTOR = '[role="switch"], input[type="checkbox"]';

function idsIn(attributeValue) {
  return (attributeValue ?? "").split(/\s+/).filter(Boolean);
}

/** Every text that names the element for assistive technology, normalized. */
function accessibleLabels(element) {
  const labels = [];
  const labelledBy = idsIn(element.getAttribute("aria-labelledby"));
  if (labelledBy.length > 0) {
    const doc = element.ownerDocument;
    labels.push(labelledBy.map((id) => doc.getElementById(id)?.textContent ?? "").join(" "));
  }
  const ariaLabel = element.getAttribute("aria-label");
  if (ariaLabel) labels.push(ariaLabel);
  for (const label of element.labels ?? []) labels.push(label.textContent);
  const wrappingLabel = element.closest("label");
  if (wrappingLabel) labels.push(wrappingLabel.textContent);
  return labels.map(normalizeText).filter(Boolean);
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

/** Whether a click on `target` lands on the switch or on one of its labels. */
function clickReaches(element, target) {
  if (!(target instanceof Node)) return false;
  if (element === target || element.contains(target)) return true;
  const labels = [...(element.labels ?? [])];
  const doc = element.ownerDocument;
  for (const id of idsIn(element.getAttribute("aria-labelledby"))) {
    const label = doc.getElementById(id);
    if (label) labels.push(label);
  }
  return labels.some((label) => label.contains(target));
}

function headingPresent(rule, root = document) {
  const wanted = new Set(rule.normalizedHeadings);
  return [...root.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')].some((heading) =>
    wanted.has(normalizeText(heading.textContent)),
  );
}
