/* The diagnostics report, piece by piece: what a page's texts, ids and attributes become, the
   outline the background makes of the facts a content script sends and keeps, and the report
   the popup copies (one JSON document, and lines for people made from it alone). */

import assert from "node:assert/strict";
import { test } from "node:test";

import { RULE_FILE } from "./browser.js";
import {
  coarseTime,
  knowledgeOf,
  reportedId,
  reportedLanguage,
  reportedRole,
  reportedTag,
  reportedText,
  reportedType,
} from "../../extension/lib/allowlist.js";
import { cleanResult } from "../../extension/background/record.js";
import { sentFacts, TEXT_MAX } from "../../extension/lib/facts.js";
import { outlineOf } from "../../extension/lib/outline.js";
import { copiedReport, diagnosticsDocument } from "../../extension/lib/report.js";

const KNOWLEDGE = knowledgeOf(RULE_FILE.rules, RULE_FILE.site);
const [AI_RULE] = RULE_FILE.rules;
const LABEL = "Use my data for training content creation AI models";
const MARK = "--- the report (python build.py check-rules reads this part) ---";
const ENVIRONMENT = {
  version: "0.1.0",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.8078.108 Safari/537.36",
  browserLanguage: "en",
};

test("a text the extension ships is reported as it ships it; any other text only by its shape", () => {
  assert.equal(
    reportedText("  use MY data for training content creation ai models ", KNOWLEDGE),
    LABEL,
  );
  assert.equal(
    reportedText("Données pour l'amélioration de l'IA générative", KNOWLEDGE),
    "Données pour l’amélioration de l’IA générative",
  );
  assert.equal(
    reportedText("Learn more", KNOWLEDGE),
    "Learn more",
    "a known UI text from the rule data",
  );
  assert.equal(reportedText("Jane Doe", KNOWLEDGE), "‹text 8 chars, Latin, 2 words›");
  assert.equal(
    reportedText("Жанна Д'Арк jane＠example．com", KNOWLEDGE),
    "‹text 28 chars, Latin, Cyrillic, symbols, 3 words›",
  );
  assert.equal(reportedText("山田太郎", KNOWLEDGE), "‹text 4 chars, Han, 1 word›");
  assert.equal(
    reportedText("+49 30 1234 5678", KNOWLEDGE),
    "‹text 16 chars, digits, symbols, 4 words›",
  );
  assert.equal(reportedText("राम शर्मा", KNOWLEDGE), "‹text 9 chars, Devanagari, 2 words›");
  assert.equal(reportedText(" \n ", KNOWLEDGE), "‹empty text›");
  assert.equal(reportedText("x", KNOWLEDGE), "‹text 1 char, Latin, 1 word›");
});

test("ids of the rule data are kept, any other id becomes its length", () => {
  assert.equal(reportedId("allowDataForGenerativeAI", KNOWLEDGE), "allowDataForGenerativeAI");
  assert.equal(reportedId("nonEssentialCookieConsent", KNOWLEDGE), "nonEssentialCookieConsent");
  assert.equal(reportedId("jane-doe-4b2a9c", KNOWLEDGE), "‹id 15 chars›");
  assert.equal(reportedId("", KNOWLEDGE), null);
});

test("attribute values are reported only as tokens of a fixed list", () => {
  assert.equal(reportedRole("switch"), "switch");
  assert.equal(reportedRole("switch checkbox"), "switch checkbox");
  assert.equal(reportedRole("switch\n  2. input"), "‹other›");
  assert.equal(reportedRole("Jane"), "‹other›");
  assert.equal(reportedRole(null), null);
  assert.equal(reportedType("CHECKBOX"), "checkbox");
  assert.equal(reportedType("jane@example.com"), "‹other›");
  assert.equal(reportedTag("INPUT"), "input");
  assert.equal(reportedTag("JANE-DOE-TOGGLE"), "‹other›");
  assert.equal(
    reportedLanguage("pt-br", KNOWLEDGE),
    "pt-BR",
    "a language of the rule data, as it writes it",
  );
  assert.equal(reportedLanguage("en-US", KNOWLEDGE), "en", "otherwise its language alone");
  assert.equal(reportedLanguage("jan-Kowalski", KNOWLEDGE), "jan");
  assert.equal(reportedLanguage("Jane Doe", KNOWLEDGE), "‹other›");
  assert.equal(reportedLanguage("", KNOWLEDGE), null);
});

test("the time of a result is its date and hour (UTC), no minutes", () => {
  assert.deepEqual(coarseTime("2026-11-29T14:02:33.481Z"), { date: "2026-11-29", hour: 14 });
  assert.equal(coarseTime("yesterday"), null);
});

/** Facts as the content script reads them: one switch, labelled by a text LinkedIn reworded. */
function rewordedPage() {
  return {
    appFound: true,
    headings: [
      { tag: "H1", ariaLevel: null, text: "Data for Generative AI Improvement" },
      { tag: "DIV", ariaLevel: "2", text: "Signed in as Jane Doe" },
    ],
    switches: [
      {
        tag: "INPUT",
        id: "toggle-1",
        role: "switch",
        type: "checkbox",
        ariaChecked: "false",
        ariaPressed: null,
        checked: true,
        disabled: false,
        busy: false,
        ariaLabel: null,
        title: null,
        candidate: true,
        name: "let linkedin use your data to train ai",
        labelledBy: [
          {
            id: "allowGenAiTraining",
            where: "app",
            text: "Let LinkedIn use your data to train AI",
          },
        ],
        labels: [],
        mirrors: { "artdeco-toggle--toggled": "on", "data-artdeco-toggled": null },
        heading: 0,
        matchedBy: [],
      },
    ],
    switchLikeOutside: 2,
    strategies: [
      { strategy: "aria-labelledby", matches: 0 },
      { strategy: "label-text:en", matches: 0 },
    ],
  };
}

test("the outline names headings and labels it knows, shapes the rest, and tells disagreeing state mirrors", () => {
  const outline = outlineOf(rewordedPage(), knowledgeOf([AI_RULE], RULE_FILE.site));
  assert.deepEqual(outline.app.headings, [
    { level: 1, text: "Data for Generative AI Improvement" },
    { level: 2, text: "‹text 21 chars, Latin, 5 words›" },
  ]);
  const [item] = outline.app.switches;
  assert.equal(item.id, "‹id 8 chars›");
  assert.deepEqual(item.labelledBy, [
    { id: "‹id 18 chars›", target: "app", text: "‹text 38 chars, Latin, 8 words›" },
  ]);
  assert.deepEqual(item.state, {
    checked: "on",
    "aria-checked": "off",
    "aria-pressed": null,
    "artdeco-toggle--toggled": "on",
    "data-artdeco-toggled": null,
  });
  assert.equal(item.mirrorsDisagree, true);
  assert.equal(item.candidate, true);
  assert.equal(item.name, "‹text 38 chars, Latin, 8 words›");
  assert.equal(outline.app.switchLikeOutside, 2);
});

test("the background stores the outline of the facts a result came with, by what its page's rules know", () => {
  const result = cleanResult({
    rule: "ai-training",
    outcome: "not-found",
    path: AI_RULE.pages[0],
    facts: rewordedPage(),
  });
  assert.deepEqual(
    result.diagnostics,
    outlineOf(rewordedPage(), knowledgeOf([AI_RULE], RULE_FILE.site)),
  );
  assert.equal(result.diagnostics.app.headings[1].text, "‹text 21 chars, Latin, 5 words›");
  assert.equal("facts" in result, false);
});

test("the content script sends every text of its facts cut to size, and the rest as it is", () => {
  const long = "Jane ".repeat(5000);
  const facts = {
    appFound: true,
    headingCount: 1,
    headings: [{ tag: "H1", ariaLevel: null, text: long }],
    switches: [
      {
        labels: [long, "Off"],
        mirrors: { "artdeco-toggle--toggled": "on" },
        heading: 0,
        checked: true,
      },
    ],
  };
  const sent = sentFacts(facts);
  assert.equal(sent.headings[0].text, long.slice(0, TEXT_MAX));
  assert.deepEqual(sent.switches[0].labels, [long.slice(0, TEXT_MAX), "Off"]);
  assert.deepEqual(
    { ...sent, headings: [], switches: [] },
    { ...facts, headings: [], switches: [] },
  );
  assert.deepEqual(sent.switches[0].mirrors, facts.switches[0].mirrors);
  // The outline tells how much was read.
  assert.equal(
    outlineOf(sent, KNOWLEDGE).app.headings[0].text,
    `‹text ${TEXT_MAX - 1} chars, Latin, ${TEXT_MAX / 5} words›`,
  );
});

test("an element named by aria-labelledby outside the settings app is not read", () => {
  const facts = rewordedPage();
  facts.switches[0].labelledBy = [
    {
      id: "nav-name",
      where: "outside",
      text: "Use my data for training content creation AI models",
    },
  ];
  const [item] = outlineOf(facts, KNOWLEDGE).app.switches;
  assert.deepEqual(item.labelledBy, [{ id: "‹id 8 chars›", target: "outside", text: null }]);
});

function reportOf(facts, latest = {}) {
  const sent = {
    rule: "ai-training",
    outcome: "not-found",
    path: AI_RULE.pages[0],
    lang: "en",
    ...latest,
    facts,
  };
  const stored = { ...cleanResult(sent), at: "2026-11-29T14:02:33.481Z" };
  return copiedReport(diagnosticsDocument(stored, ENVIRONMENT));
}

test("the copied report: lines for people, then one JSON document they are made from", () => {
  const report = reportOf(rewordedPage());
  const [lines, json] = report.split(`\n${MARK}\n`);
  const document = JSON.parse(json);
  assert.equal(document.report, "linkedin-ai-optout diagnostics");
  assert.equal(document.format, 2);
  assert.equal(document.browser, "Chrome 156.0.8078.108");
  assert.deepEqual(document.at, { date: "2026-11-29", hour: 14 });
  assert.equal(report.includes("14:02"), false, "no minutes");
  assert.ok(
    lines.includes(
      "In short: one switch, labelled by an unknown text (‹text 38 chars, Latin, 8 words›)",
    ),
  );
  assert.ok(
    lines.includes(
      "state: checked on, aria-checked off, artdeco-toggle--toggled on — THE MIRRORS DISAGREE",
    ),
  );
  assert.ok(lines.includes("Result: not-found, 2026-11-29 between 14:00 and 14:59 UTC"));
  assert.ok(lines.includes("  aria-labelledby: 0 matches"));
  assert.ok(
    lines.includes(
      "Settings app: found; 2 headings, 1 switch-like element (and 2 outside it, not described)",
    ),
  );
});

test("the lines for people say nothing the document does not hold", () => {
  const facts = rewordedPage();
  facts.switches.push({
    ...facts.switches[0],
    id: "allowDataForGenerativeAI",
    name: LABEL,
    labelledBy: [{ id: "allowDataForGenerativeAI", where: "app", text: LABEL }],
  });
  const report = reportOf(facts, {
    outcome: "ambiguous",
    reason: "several-switches",
    strategy: "aria-labelledby",
  });
  const [lines, json] = report.split(`\n${MARK}\n`);
  const held = new Set();
  const collect = (value) => {
    if (typeof value === "string") held.add(value);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  collect(JSON.parse(json));
  const quoted = [...lines.matchAll(/"(?:[^"\\]|\\.)*"/g)].map(([text]) => JSON.parse(text));
  const withheld = lines.match(/‹[^›]*›/g).filter((text) => text !== "‹…›");
  assert.ok(quoted.includes(LABEL));
  for (const text of [...quoted, ...withheld])
    assert.ok(held.has(text), `${text} is not in the document`);
});

test("a switch-count forged without switches does not break the report", () => {
  const outline = outlineOf(
    { appFound: true, switchCount: 1, switches: [], strategies: [] },
    KNOWLEDGE,
  );
  const report = copiedReport(
    diagnosticsDocument(
      {
        rule: "ai-training",
        outcome: "failed",
        path: AI_RULE.pages[0],
        diagnostics: outline,
        at: "2026-11-29T14:02:33Z",
      },
      ENVIRONMENT,
    ),
  );
  assert.ok(report.includes("\nIn short: no switch in the settings app\n"), report);
});

test("a switch found only as the page's only switch is said so in the report", () => {
  const report = reportOf(rewordedPage(), {
    outcome: "failed",
    reason: "reverted",
    strategy: "only-switch",
  });
  assert.ok(
    report.includes(
      "\nRule: ai-training, found by: only-switch (the page's only switch: the precise steps need a fix)\n",
    ),
  );
});
