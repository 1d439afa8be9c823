import assert from "node:assert/strict";
import { test } from "node:test";

import { RULE_FILE } from "./browser.js";
import { findSwitches, switchFor } from "../../extension/engine/switches.js";
import { normalizeText } from "../../extension/lib/text.js";

/*
 * A small tree of fake elements for what a switch's text and the page-level step read:
 * parents, children, text nodes, attributes, and the few selectors the engine asks for.
 */

const SELECTOR_PART = /^([a-z0-9]*)(?:\[([a-z-]+)(?:="([^"]*)")?\])?$/;

function matches(node, selector) {
  return selector.split(",").some((part) => {
    const [, tag, name, value] = SELECTOR_PART.exec(part.trim()) ?? [];
    if (tag === undefined) throw new Error(`selector not faked: ${part}`);
    if (tag && node.tagName !== tag.toUpperCase()) return false;
    if (!name) return true;
    const actual = node.getAttribute(name);
    return value === undefined ? actual !== null : actual === value;
  });
}

function descendants(node) {
  return node.childNodes
    .filter((child) => child.nodeType === 1)
    .flatMap((child) => [child, ...descendants(child)]);
}

function el(tag, attributes = {}, ...children) {
  const node = {
    nodeType: 1,
    tagName: tag.toUpperCase(),
    id: attributes.id ?? "",
    type: attributes.type,
    labels: [],
    parentElement: null,
    childNodes: [],
    ownerDocument: null,
    getAttribute: (name) => (Object.hasOwn(attributes, name) ? attributes[name] : null),
    contains: (other) => other === node || descendants(node).includes(other),
    closest: (selector) => {
      for (let at = node; at; at = at.parentElement) if (matches(at, selector)) return at;
      return null;
    },
    querySelectorAll: (selector) => descendants(node).filter((each) => matches(each, selector)),
    querySelector: (selector) => node.querySelectorAll(selector)[0] ?? null,
    get textContent() {
      return node.childNodes
        .map((child) => (child.nodeType === 3 ? child.data : child.textContent))
        .join("");
    },
  };
  for (const child of children) {
    const added = typeof child === "string" ? { nodeType: 3, data: child } : child;
    added.parentElement = node;
    node.childNodes.push(added);
  }
  return node;
}

/** A document around `body`: ids, <label for>, ownerDocument set everywhere. */
function documentOf(body) {
  const all = [body, ...descendants(body)];
  const doc = {
    getElementById: (id) => all.find((node) => node.id === id) ?? null,
    querySelectorAll: (selector) => all.filter((node) => matches(node, selector)),
    querySelector: (selector) => doc.querySelectorAll(selector)[0] ?? null,
  };
  for (const node of all) {
    node.ownerDocument = doc;
    const target = node.tagName === "LABEL" && doc.getElementById(node.getAttribute("for"));
    if (target) target.labels.push(node);
  }
  return doc;
}

/** The AI setting's rule as the background sends it: texts normalized, the app region. */
function aiRule() {
  const rule = structuredClone(RULE_FILE.rules[0]);
  for (const step of rule.switch) if (step.text) step.normalizedText = normalizeText(step.text);
  rule.normalizedHeadings = Object.values(rule.headings).flat().map(normalizeText);
  rule.app = RULE_FILE.site.appReady;
  const labels = rule.switch.filter((step) => step.text).map((step) => step.normalizedText);
  const negations = Object.values(RULE_FILE.site.negations).flat().map(normalizeText);
  rule.sense = { known: [...labels, ...rule.normalizedHeadings], negations };
  return rule;
}

const HEADING = "Data for Generative AI Improvement";
const LABEL = "Use my data for training content creation AI models";
const REWORDED = "Allow use of my data for training AI that generates content";
const divSwitch = (checked = "true") =>
  el("div", { role: "switch", "aria-checked": checked, tabindex: "0" });

/** A settings page: navigation with a switch-free list, the app region, a cookie banner. */
function settingsPage(heading, ...rows) {
  return documentOf(
    el(
      "body",
      {},
      el("nav", {}, el("a", { href: "/mypreferences/d/categories/privacy" }, "Data privacy")),
      el("main", {}, el("h1", {}, heading), el("p", {}, "Can LinkedIn use your data?"), ...rows),
      el("div", { role: "dialog" }, el("button", {}, "Accept"), el("button", {}, "Reject")),
    ),
  );
}

test("a switch with no name of its own is named by its row's text, without aria-hidden parts", () => {
  const toggle = divSwitch();
  const doc = settingsPage(
    HEADING,
    el(
      "div",
      {},
      el("span", {}, LABEL),
      el("span", { "aria-hidden": "true" }, "On"),
      el("div", {}, toggle),
    ),
  );
  assert.deepEqual(findSwitches(aiRule(), doc), { elements: [toggle], strategy: "label-text:en" });
});

test("the accessible name comes first: a row's text does not count when the switch has a name", () => {
  const toggle = el("div", {
    role: "switch",
    "aria-checked": "true",
    "aria-label": "Something else",
  });
  const doc = settingsPage("Another heading", el("div", {}, el("span", {}, LABEL), toggle));
  assert.equal(findSwitches(aiRule(), doc), null);
  // title names it when nothing else does; a wrapping <label> does too.
  const titled = el("button", { "aria-pressed": "true", title: LABEL });
  assert.equal(
    findSwitches(aiRule(), settingsPage("Another heading", titled)).strategy,
    "label-text:en",
  );
  const wrapped = el("input", { type: "checkbox" });
  const labelled = settingsPage("Another heading", el("label", {}, ` ${LABEL} `, wrapped));
  assert.deepEqual(findSwitches(aiRule(), labelled), {
    elements: [wrapped],
    strategy: "label-text:en",
  });
});

test("a row stops below the nearest element that holds another switch", () => {
  // Two switches in one list: the list's text names neither.
  const first = divSwitch();
  const second = divSwitch();
  const doc = settingsPage(
    "Another heading",
    el("div", {}, el("span", {}, LABEL), el("span", {}, "Send me tips"), first, second),
  );
  assert.equal(findSwitches(aiRule(), doc), null);
});

test("the page's only switch in the app region, once a heading of the rule shows there", () => {
  const toggle = el("input", { type: "checkbox", role: "switch", "aria-labelledby": "renamedKey" });
  const doc = settingsPage(
    HEADING,
    el("div", {}, el("label", { id: "renamedKey" }, REWORDED), toggle),
  );
  assert.deepEqual(findSwitches(aiRule(), doc), { elements: [toggle], strategy: "only-switch" });
  // In another language too.
  const german = settingsPage(
    "Daten zur Verbesserung generativer KI",
    el("div", {}, el("span", {}, "Neu"), divSwitch()),
  );
  assert.equal(findSwitches(aiRule(), german).strategy, "only-switch");
});

test("the page-level step: two switches are both found (ambiguous), none or no heading finds nothing", () => {
  const two = settingsPage(HEADING, el("div", {}, divSwitch()), el("div", {}, divSwitch()));
  assert.equal(findSwitches(aiRule(), two).elements.length, 2);
  assert.equal(findSwitches(aiRule(), settingsPage(HEADING, el("p", {}, "Loading"))), null);
  // The heading outside the app region (say, in a navigation) does not count.
  const toggle = divSwitch();
  const outside = documentOf(
    el(
      "body",
      {},
      el("nav", {}, el("h2", {}, HEADING)),
      el("main", {}, el("h1", {}, "Data privacy"), toggle),
    ),
  );
  assert.equal(findSwitches(aiRule(), outside), null);
  // A switch outside the app region (a cookie banner's) is not the page's switch.
  const banner = documentOf(
    el(
      "body",
      {},
      el("main", {}, el("h1", {}, HEADING)),
      el("div", { role: "dialog" }, divSwitch()),
    ),
  );
  assert.equal(findSwitches(aiRule(), banner), null);
});

test("the precise steps come first: a page-level match never hides the keyed switch", () => {
  const keyed = el("input", { type: "checkbox", "aria-labelledby": "allowDataForGenerativeAI" });
  const doc = settingsPage(
    HEADING,
    el("div", {}, el("span", { id: "allowDataForGenerativeAI" }, LABEL), keyed),
    el("div", {}, el("span", {}, "Send me tips"), divSwitch()),
  );
  assert.deepEqual(findSwitches(aiRule(), doc), { elements: [keyed], strategy: "aria-labelledby" });
});

test("switch-like: checkbox, role switch or checkbox, button with aria-checked or aria-pressed", () => {
  const shapes = [
    el("input", { type: "checkbox" }),
    el("div", { role: "switch" }),
    el("span", { role: "checkbox" }),
    el("button", { "aria-checked": "true" }),
    el("button", { "aria-pressed": "false" }),
  ];
  for (const shape of shapes) {
    assert.deepEqual(
      findSwitches(aiRule(), settingsPage(HEADING, shape)).elements,
      [shape],
      shape.tagName,
    );
  }
  for (const other of [
    el("button", {}, "Accept"),
    el("div", { "aria-checked": "true" }),
    el("input", { type: "text" }),
  ]) {
    assert.equal(findSwitches(aiRule(), settingsPage(HEADING, other)), null, other.tagName);
  }
});

test("the page's only switch is acted on only when its text reads in the setting's sense", () => {
  const reworded = el("input", {
    type: "checkbox",
    role: "switch",
    "aria-labelledby": "renamedKey",
  });
  const same = settingsPage(
    HEADING,
    el("div", {}, el("label", { id: "renamedKey" }, REWORDED), reworded),
  );
  assert.deepEqual(switchFor(aiRule(), same), { element: reworded, strategy: "only-switch" });

  const inverted = el("button", {
    role: "switch",
    "aria-checked": "true",
    "aria-labelledby": "optOut",
  });
  const opposite = "Don't use my data to train content creation AI models";
  const negated = settingsPage(
    HEADING,
    el("div", {}, el("p", { id: "optOut" }, opposite), inverted),
  );
  assert.deepEqual(switchFor(aiRule(), negated), {
    strategy: "only-switch",
    reason: "unsure-sense",
  });
  // Named in the setting's sense, but its row says the opposite: unsure too.
  const row = el(
    "div",
    {},
    el("span", {}, "Stop LinkedIn from training AI on your content."),
    divSwitch(),
  );
  const toggle = row.childNodes[1];
  toggle.getAttribute = (name) =>
    ({ role: "switch", "aria-checked": "true", "aria-label": REWORDED })[name] ?? null;
  assert.deepEqual(switchFor(aiRule(), settingsPage(HEADING, row)), {
    strategy: "only-switch",
    reason: "unsure-sense",
  });
  const unrelated = settingsPage(
    HEADING,
    el("div", {}, el("span", {}, "Show my photo to everyone"), divSwitch()),
  );
  assert.deepEqual(switchFor(aiRule(), unrelated), {
    strategy: "only-switch",
    reason: "unsure-sense",
  });
});

test("a switch the rule knows by its own key or label needs no sense check", () => {
  const keyed = el("input", {
    type: "checkbox",
    role: "switch",
    "aria-labelledby": "allowDataForGenerativeAI",
  });
  const doc = settingsPage(
    "Another heading",
    el("div", {}, el("label", { id: "allowDataForGenerativeAI" }, LABEL), keyed),
  );
  assert.deepEqual(switchFor(aiRule(), doc), { element: keyed, strategy: "aria-labelledby" });
});

test("one element answers to one rule: a second rule that finds it makes both unsure", () => {
  const toggle = el("input", {
    type: "checkbox",
    role: "switch",
    "aria-labelledby": "allowDataForGenerativeAI",
  });
  const doc = settingsPage(
    HEADING,
    el("div", {}, el("label", { id: "allowDataForGenerativeAI" }, LABEL), toggle),
  );
  const ai = aiRule();
  const other = {
    ...aiRule(),
    id: "other",
    switch: [{ by: "label-text", lang: "en", normalizedText: normalizeText(LABEL) }],
  };
  ai.rivals = [other];
  other.rivals = [ai];
  assert.deepEqual(switchFor(ai, doc), {
    strategy: "aria-labelledby",
    reason: "claimed-by-another-rule",
  });
  assert.deepEqual(switchFor(other, doc), {
    strategy: "label-text:en",
    reason: "claimed-by-another-rule",
  });
  // A rival that finds another element leaves this one alone.
  other.switch = [{ by: "aria-labelledby", id: "somethingElse" }];
  assert.deepEqual(switchFor(ai, doc), { element: toggle, strategy: "aria-labelledby" });
});
