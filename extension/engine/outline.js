/* Diagnostics a member can send when the switch could not be found or confirmed: an outline
   of the page's switch-like elements and headings, built from an allow-list of attributes
   (never from markup), with texts shortened and anything like an address, a link or a
   token blanked out. Nothing here leaves the browser unless the member copies it. */

const OUTLINE_TEXT_MAX = 80;
const OUTLINE_ITEMS_MAX = 40;
const SWITCH_LIKE = '[role="switch"], input[type="checkbox"], [aria-checked]';
const REDACTIONS = [
  [/[^\s@]+@[^\s@]+/g, "[email]"],
  [/\b(?:https?:\/\/|www\.)\S+/gi, "[link]"],
  [/\/in\/\S+/g, "[link]"],
  [/[A-Za-z0-9:_-]*\d{5,}[A-Za-z0-9:_-]*/g, "[number]"],
  // Session tokens and ids: long words that mix letters and digits.
  [/\b(?=[\w:-]*\d)(?=[\w:-]*[A-Za-z])[\w:-]{12,}/g, "[token]"],
];

function outlineText(text) {
  let clean = (text ?? "").replace(/\s+/g, " ").trim();
  for (const [pattern, replacement] of REDACTIONS) clean = clean.replace(pattern, replacement);
  return clean.length > OUTLINE_TEXT_MAX ? `${clean.slice(0, OUTLINE_TEXT_MAX - 1)}…` : clean;
}

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

/** What the rule's steps find on the page now, step by step. */
function strategiesTried(rule, root = document) {
  const candidates = [...root.querySelectorAll(SWITCH_SELECTOR)];
  return rule.switch.map((step) => ({
    strategy: strategyName(step),
    matches: candidates.filter((element) => STEP_MATCHERS[step.by](element, step)).length,
  }));
}

function pageOutline(rule, config, root = document) {
  const app = root.querySelector(config.appReady);
  const headings = app ? [...app.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')] : [];
  return {
    appRendered: app !== null,
    headings: headings.slice(0, OUTLINE_ITEMS_MAX).map((heading) => outlineText(heading.textContent)),
    switches: [...root.querySelectorAll(SWITCH_LIKE)].slice(0, OUTLINE_ITEMS_MAX).map(outlineSwitch),
    strategies: strategiesTried(rule, root),
  };
}
