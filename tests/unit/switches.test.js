import assert from "node:assert/strict";
import { test } from "node:test";

import { RULE_FILE, SCHEMA } from "./browser.js";
import {
  findSwitches,
  isBusy,
  isDisabled,
  readState,
  STEP_KINDS,
  SWITCH_ATTRIBUTES,
} from "../../extension/engine/switches.js";
import { normalizeText } from "../../extension/lib/text.js";

/**
 * A small stand-in for a DOM element: attributes, a tag, the properties the engine reads,
 * and the document it belongs to (for getElementById).
 */
function element(tag, attributes = {}, properties = {}) {
  const node = {
    tagName: tag.toUpperCase(),
    attributes,
    id: attributes.id ?? "",
    type: attributes.type,
    textContent: "",
    labels: [],
    ancestors: [],
    ownerDocument: null,
    getAttribute: (name) => (Object.hasOwn(attributes, name) ? attributes[name] : null),
    closest: (selector) =>
      node.ancestors.find((ancestor) => matchesSelector(ancestor, selector)) ?? null,
    ...properties,
  };
  return node;
}

/** The few selectors the engine asks closest() for. */
function matchesSelector(node, selector) {
  if (selector === "label") return node.tagName === "LABEL";
  if (selector === '[aria-busy="true"]') return node.getAttribute("aria-busy") === "true";
  if (selector.startsWith("."))
    return (node.attributes.class ?? "").split(" ").includes(selector.slice(1));
  if (selector === "[data-artdeco-toggle-text]")
    return node.getAttribute("data-artdeco-toggle-text") !== null;
  throw new Error(`selector not faked: ${selector}`);
}

/** A page: its switch-like elements (what querySelectorAll of switches returns) and the ids. */
function page(switches, labels = []) {
  const doc = {
    getElementById: (id) => labels.find((label) => label.id === id) ?? null,
    querySelectorAll: () => switches,
    querySelector: () => null, // no app region: the page-level step finds nothing here
  };
  for (const node of [...switches, ...labels]) node.ownerDocument = doc;
  return doc;
}

/** Whether the step alone finds the element on its page (a rule of that one step). */
const matchesStep = (node, step) =>
  findSwitches({ switch: [step] }, node.ownerDocument)?.elements.includes(node) ?? false;

const label = (id, text) => Object.assign(element("span", { id }), { textContent: text });
const aiRule = () => {
  const rule = structuredClone(RULE_FILE.rules[0]);
  for (const step of rule.switch) if (step.text) step.normalizedText = normalizeText(step.text);
  return rule;
};

test("a checkbox reads its checked property; a role=switch reads aria-checked", () => {
  assert.equal(readState(element("input", { type: "checkbox" }, { checked: true })), "on");
  assert.equal(readState(element("input", { type: "checkbox" }, { checked: false })), "off");
  assert.equal(readState(element("button", { role: "switch", "aria-checked": "true" })), "on");
  assert.equal(readState(element("button", { role: "switch", "aria-checked": "false" })), "off");
  assert.equal(
    readState(element("button", { role: "switch", "aria-checked": "mixed" })),
    "unknown",
  );
  assert.equal(readState(element("div", { role: "switch" })), "unknown");
});

test("a switch is disabled by its property or aria-disabled, busy when a region around it is", () => {
  assert.equal(isDisabled(element("input", {}, { disabled: true })), true);
  assert.equal(isDisabled(element("button", { "aria-disabled": "true" })), true);
  assert.equal(isDisabled(element("button", { "aria-disabled": "false" })), false);
  const busyRegion = element("section", { "aria-busy": "true" });
  assert.equal(isBusy(Object.assign(element("input"), { ancestors: [busyRegion] })), true);
  assert.equal(isBusy(element("input")), false);
});

test("each step kind matches what it says: a label id, a label's text, an element id", () => {
  const byKey = element("input", {
    type: "checkbox",
    role: "switch",
    "aria-labelledby": "heading allowDataForGenerativeAI",
  });
  const named = label(
    "allowDataForGenerativeAI",
    "Use my data for training content creation AI models",
  );
  const heading = label("heading", "Data for Generative AI Improvement");
  page([byKey], [named, heading]);
  assert.equal(matchesStep(byKey, { by: "aria-labelledby", id: "allowDataForGenerativeAI" }), true);
  assert.equal(matchesStep(byKey, { by: "aria-labelledby", id: "allowData" }), false);
  // aria-labelledby texts are read together, as assistive technology reads them.
  const whole = normalizeText(`${heading.textContent} ${named.textContent}`);
  assert.equal(matchesStep(byKey, { by: "label-text", normalizedText: whole }), true);

  const withLabel = element("input", { type: "checkbox" });
  withLabel.labels = [
    Object.assign(element("label"), { textContent: "  Ihre Daten zum  Schulen " }),
  ];
  page([withLabel]);
  assert.equal(
    matchesStep(withLabel, { by: "label-text", normalizedText: "ihre daten zum schulen" }),
    true,
  );
  const wrapped = element("input", { type: "checkbox" });
  wrapped.ancestors = [Object.assign(element("label"), { textContent: "Ads by age" })];
  page([wrapped]);
  assert.equal(matchesStep(wrapped, { by: "label-text", normalizedText: "ads by age" }), true);
  const ariaLabel = element("button", { role: "switch", "aria-label": "Ads by gender" });
  page([ariaLabel]);
  assert.equal(matchesStep(ariaLabel, { by: "label-text", normalizedText: "ads by gender" }), true);

  const cookies = element("input", { type: "checkbox", id: "nonEssentialCookieConsent" });
  page([cookies]);
  assert.equal(matchesStep(cookies, { by: "element-id", id: "nonEssentialCookieConsent" }), true);
  assert.equal(matchesStep(cookies, { by: "element-id", id: "nonEssential" }), false);
});

test("the first step that finds anything decides, and reports its strategy", () => {
  const rule = aiRule();
  const keyed = element("input", {
    type: "checkbox",
    "aria-labelledby": "allowDataForGenerativeAI",
  });
  page(
    [keyed],
    [
      label(
        "allowDataForGenerativeAI",
        "Utiliser mes données pour entraîner des modèles d’IA de création de contenu",
      ),
    ],
  );
  assert.deepEqual(findSwitches(rule, keyed.ownerDocument), {
    elements: [keyed],
    strategy: "aria-labelledby",
  });

  // The key renamed: the French label carries it, whatever its apostrophe.
  const renamed = element("input", { type: "checkbox", "aria-labelledby": "renamedKey" });
  page(
    [renamed],
    [
      label(
        "renamedKey",
        "Utiliser mes données pour entraîner des modèles d'IA de création de contenu",
      ),
    ],
  );
  assert.deepEqual(findSwitches(rule, renamed.ownerDocument), {
    elements: [renamed],
    strategy: "label-text:fr",
  });

  // The switch twice: both are found, and the engine calls it ambiguous.
  const twice = [
    keyed,
    element("input", { type: "checkbox", "aria-labelledby": "allowDataForGenerativeAI" }),
  ];
  assert.equal(
    findSwitches(rule, page(twice, [label("allowDataForGenerativeAI", "x")])).elements.length,
    2,
  );

  const other = element("input", { type: "checkbox", "aria-labelledby": "allowAdsByAge" });
  assert.equal(findSwitches(rule, page([other], [label("allowAdsByAge", "Ads by age")])), null);
  assert.equal(findSwitches(rule, page([])), null);
});

test("the step kinds are the schema's, and each says which attributes it reads", () => {
  assert.deepEqual(
    Object.keys(STEP_KINDS).sort(),
    [...SCHEMA.$defs.step.properties.by.enum].sort(),
  );
  // A page-level kind reads the page's structure and text (which the watch follows anyway).
  for (const [kind, { reads, pageLevel }] of Object.entries(STEP_KINDS))
    assert.ok(pageLevel || reads.length > 0, kind);
  // What the engine reads of any switch: its state, whether it is disabled or busy.
  for (const attribute of [
    "role",
    "type",
    "checked",
    "disabled",
    "aria-checked",
    "aria-busy",
    "aria-disabled",
  ]) {
    assert.ok(SWITCH_ATTRIBUTES.includes(attribute), attribute);
  }
});

test("a step kind lists every attribute its matcher reads", () => {
  for (const [kind, { reads, pageLevel }] of Object.entries(STEP_KINDS)) {
    if (pageLevel) continue;
    const read = new Set();
    const node = element("input", { type: "checkbox" });
    node.getAttribute = (name) => {
      read.add(name);
      return null;
    };
    Object.defineProperty(node, "id", { get: () => (read.add("id"), "") });
    page([node]);
    matchesStep(node, { by: kind, id: "someId", normalizedText: "some text" });
    assert.ok(read.size > 0, kind);
    for (const attribute of read)
      assert.ok(reads.includes(attribute), `${kind} reads ${attribute} without listing it`);
  }
});

/** The site's state mirrors, from its rules. */
const MIRRORS = RULE_FILE.site.stateMirrors;

/**
 * LinkedIn's artdeco toggle: a wrapper div (class artdeco-toggle, plus artdeco-toggle--toggled
 * when on), a text span with data-artdeco-toggled, and the input with aria-checked and
 * .checked. `states` overrides one mirror at a time: wrapper, text, aria, checked.
 */
function artdeco(on, states = {}) {
  const state = { wrapper: on, text: on, aria: on, checked: on, ...states };
  const text = element("span", {
    "data-artdeco-toggle-text": "true",
    ...(state.text === undefined ? {} : { "data-artdeco-toggled": String(state.text) }),
  });
  const wrapper = element("div", {
    class: `artdeco-toggle artdeco-toggle--24dp${state.wrapper ? " artdeco-toggle--toggled" : ""}`,
  });
  wrapper.classList = { contains: (name) => wrapper.attributes.class.split(" ").includes(name) };
  wrapper.querySelector = (selector) => (matchesSelector(text, selector) ? text : null);
  const input = element(
    "input",
    {
      type: "checkbox",
      role: "switch",
      ...(state.aria === undefined ? {} : { "aria-checked": String(state.aria) }),
    },
    { checked: state.checked },
  );
  input.ancestors = [wrapper];
  return input;
}

test("the site's state mirrors are rule data: the artdeco wrapper's class and the text span's flag", () => {
  assert.deepEqual(
    MIRRORS.map((mirror) => mirror.onClass ?? mirror.attribute),
    ["artdeco-toggle--toggled", "data-artdeco-toggled"],
  );
  assert.ok(MIRRORS.every((mirror) => mirror.within === ".artdeco-toggle"));
});

test("an artdeco toggle reads on or off only when all four mirrors agree", () => {
  assert.equal(readState(artdeco(true), MIRRORS), "on");
  assert.equal(readState(artdeco(false), MIRRORS), "off");
  for (const mirror of ["wrapper", "text", "aria", "checked"]) {
    assert.equal(
      readState(artdeco(true, { [mirror]: false }), MIRRORS),
      "unknown",
      `${mirror} says off`,
    );
    assert.equal(
      readState(artdeco(false, { [mirror]: true }), MIRRORS),
      "unknown",
      `${mirror} says on`,
    );
  }
});

test("each mirror alone decides against the others", () => {
  // Without the site's mirrors, the input's own two still have to agree.
  assert.equal(readState(artdeco(true, { wrapper: false, text: false })), "on");
  assert.equal(readState(artdeco(true, { aria: false })), "unknown");
  // The wrapper's class is read only with the rule's mirror; the text flag likewise.
  assert.equal(readState(artdeco(true, { wrapper: false }), [MIRRORS[1]]), "on");
  assert.equal(readState(artdeco(true, { wrapper: false }), [MIRRORS[0]]), "unknown");
  assert.equal(readState(artdeco(true, { text: false }), [MIRRORS[0]]), "on");
  assert.equal(readState(artdeco(true, { text: false }), [MIRRORS[1]]), "unknown");
  // A flag that is not there says nothing; one that says neither true nor false is unreadable.
  assert.equal(readState(artdeco(true, { text: undefined }), MIRRORS), "on");
  assert.equal(readState(artdeco(true, { text: "yes" }), MIRRORS), "unknown");
});

test("a switch outside the mirrors' wrapper is read from its own attributes alone", () => {
  const plain = element("input", { type: "checkbox", role: "switch" }, { checked: true });
  assert.equal(readState(plain, MIRRORS), "on");
  const pressed = element("button", { "aria-pressed": "false" });
  assert.equal(readState(pressed, MIRRORS), "off");
  assert.equal(readState(element("button", { "aria-pressed": "true" }), MIRRORS), "on");
  assert.equal(
    readState(element("button", { "aria-checked": "true", "aria-pressed": "false" }), MIRRORS),
    "unknown",
  );
  assert.equal(
    readState(element("input", { type: "checkbox", "aria-checked": "false" }, { checked: true })),
    "unknown",
  );
});
