import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { chrome } from "./browser.js";
import { cleanResult, storeResult } from "../../extension/background/record.js";
import { HISTORY_LIMIT, PROOF_KEPT_DAYS } from "../../extension/background/storage.js";
import { HEADINGS_MAX } from "../../extension/lib/facts.js";

const PAGE = "/mypreferences/d/settings/data-for-ai-improvement";
const RESULT = {
  rule: "ai-training",
  outcome: "turned-off",
  path: PAGE,
  strategy: "aria-labelledby",
  clicks: 1,
  lang: "en",
};

test("a result as the content script sends it is kept as it is", () => {
  assert.deepEqual(cleanResult(RESULT), RESULT);
  assert.deepEqual(cleanResult({ ...RESULT, strategy: "label-text:pt-BR" }), {
    ...RESULT,
    strategy: "label-text:pt-BR",
  });
});

test("an outcome not in the vocabulary is refused", () => {
  assert.equal(cleanResult({ ...RESULT, outcome: "switched-on" }), null);
  assert.equal(cleanResult({ ...RESULT, outcome: "__proto__" }), null);
  assert.equal(cleanResult({ ...RESULT, reason: "because" }), null);
});

test("a result for a page its rule does not own is refused", () => {
  assert.equal(cleanResult({ ...RESULT, path: "/mypreferences/d/settings/ads-by-age" }), null);
  assert.equal(cleanResult({ ...RESULT, path: "/feed" }), null);
  assert.equal(cleanResult({ ...RESULT, rule: "no-such-rule" }), null);
  assert.deepEqual(
    cleanResult({ ...RESULT, rule: "ads-by-age", path: "/mypreferences/d/settings/ads-by-age" })
      ?.rule,
    "ads-by-age",
  );
});

test("more clicks than a visit may make, or a malformed strategy, is refused", () => {
  assert.equal(cleanResult({ ...RESULT, clicks: 2 })?.clicks, 2);
  assert.equal(cleanResult({ ...RESULT, clicks: 3 }), null);
  assert.equal(cleanResult({ ...RESULT, clicks: -1 }), null);
  assert.equal(cleanResult({ ...RESULT, clicks: 1.5 }), null);
  assert.equal(cleanResult({ ...RESULT, strategy: "<img src=x>" }), null);
  assert.equal(
    cleanResult({ ...RESULT, strategy: "label-text:Kowalski" }),
    null,
    "only the rule's own strategies",
  );
  assert.equal(cleanResult({ ...RESULT, strategy: "element-id" }), null, "not a step of this rule");
  assert.equal(cleanResult(null), null);
  assert.equal(cleanResult("turned-off"), null);
});

test("the page's language is stored as its language part, or as a language of the rules; nothing else of it", () => {
  const { lang, ...withoutLang } = RESULT;
  assert.equal(lang, "en");
  assert.equal(cleanResult({ ...RESULT, lang: "x".repeat(36) }).lang, "‹other›");
  assert.equal(cleanResult({ ...RESULT, lang: 'en" onload="x' }).lang, "‹other›");
  assert.deepEqual(cleanResult({ ...RESULT, lang: ["en"] }), withoutLang);
  assert.deepEqual(cleanResult({ ...RESULT, lang: "" }), withoutLang);
  assert.equal(cleanResult({ ...RESULT, lang: "pt-BR" }).lang, "pt-BR");
  assert.equal(cleanResult({ ...RESULT, lang: "PT-br" }).lang, "pt-BR");
  assert.equal(cleanResult({ ...RESULT, lang: "zh" }).lang, "zh");
  assert.equal(cleanResult({ ...RESULT, lang: "‹other›" }).lang, "‹other›");
  assert.equal(cleanResult({ ...RESULT, lang: "zh-Hant-TW" }).lang, "zh");
  assert.equal(
    cleanResult({ ...RESULT, lang: "jan-Kowalski" }).lang,
    "jan",
    "a subtag can spell a name",
  );
});

test("a page cannot claim the fresh-load proof: only the background sets it", () => {
  assert.equal("proof" in cleanResult({ ...RESULT, proof: "reload" }), false);
});

test("fields nobody asked for are dropped", () => {
  const cleaned = cleanResult({ ...RESULT, cookie: "li_at=secret", at: "forged" });
  assert.deepEqual(cleaned, RESULT);
});

test("the page outline is made from the facts by the allow-list; an outline the page sent is not taken", () => {
  const cleaned = cleanResult({
    ...RESULT,
    outcome: "not-found",
    diagnostics: {
      app: { found: true, headings: [{ level: 1, text: "Jane Doe" }] },
      markup: "<main>Jane</main>",
    },
    facts: {
      appFound: "yes",
      headingCount: 99,
      headings: [
        ...Array.from({ length: HEADINGS_MAX + 5 }, () => ({
          tag: "H1",
          text: "Data for Generative AI Improvement",
        })),
      ],
      switchCount: 1,
      switches: [
        {
          tag: "jane-doe",
          disabled: "Jane Doe",
          busy: "jane@example.com",
          id: "jane.doe@example.com",
          role: "switch\n  2. input",
          type: "Jane",
          outerHTML: "<input value='me@example.com'>",
          checked: true,
          ariaChecked: "Jane",
          mirrors: { "my-mirror": "on", "artdeco-toggle--toggled": "Jane" },
          labelledBy: [
            { id: 7, where: "app", text: "Jane Doe" },
            { id: "allowDataForGenerativeAI", where: "app", text: 3 },
          ],
          ariaLabel: "Use my data for training content creation AI models",
          labels: ["Jane", { text: "Jane" }],
          matchedBy: ["aria-labelledby", "label-text:Jane"],
          heading: 3,
        },
      ],
      strategies: [
        { strategy: "aria-labelledby", matches: 1.5 },
        { strategy: "label-text:en", matches: 2 },
        { strategy: "Jane", matches: 1 },
      ],
      markup: "<main>…</main>",
    },
  });
  const outline = cleaned.diagnostics;
  assert.equal("facts" in cleaned, false);
  assert.deepEqual(Object.keys(outline), ["frontEnd", "app", "strategies"]);
  assert.equal(outline.app.found, false);
  assert.equal(outline.app.headings.length, HEADINGS_MAX);
  assert.equal(outline.app.headingCount, 99);
  const [item] = outline.app.switches;
  assert.deepEqual(item, {
    tag: "‹other›",
    id: "‹id 20 chars›",
    role: "‹other›",
    type: "‹other›",
    state: {
      checked: "on",
      "aria-checked": "‹other›",
      "aria-pressed": null,
      "artdeco-toggle--toggled": null,
      "data-artdeco-toggled": null,
    },
    mirrorsDisagree: true,
    disabled: false,
    busy: false,
    candidate: false,
    name: null,
    heading: 3,
    labelledBy: [
      { id: "‹other›", target: "app", text: "‹text 8 chars, Latin, 2 words›" },
      { id: "allowDataForGenerativeAI", target: "missing", text: null },
    ],
    labelledByText: "‹text 8 chars, Latin, 2 words›",
    ariaLabel: "Use my data for training content creation AI models",
    title: null,
    labels: ["‹text 4 chars, Latin, 1 word›"],
    matchedBy: ["aria-labelledby"],
  });
  assert.deepEqual(outline.strategies, [
    { strategy: "aria-labelledby", matches: 0 },
    { strategy: "label-text:en", matches: 2 },
  ]);
  assert.doesNotMatch(JSON.stringify(cleaned), /Jane|jane|example|main>/);
});

test("a result without facts has no outline, whatever outline it sent", () => {
  const outline = {
    app: {
      found: true,
      headingCount: 0,
      headings: [],
      switchCount: 0,
      switches: [],
      switchLikeOutside: 0,
    },
    strategies: [],
  };
  assert.equal(
    "diagnostics" in cleanResult({ ...RESULT, outcome: "not-found", diagnostics: outline }),
    false,
  );
  assert.equal(
    "diagnostics" in cleanResult({ ...RESULT, outcome: "not-found", facts: "Jane" }),
    false,
  );
});

beforeEach(() => chrome.storage.local.clear());

test("a stored result is its rule's latest, with the outline; the history keeps the last results without it", async () => {
  const failed = { ...RESULT, outcome: "failed" };
  for (let i = 0; i < HISTORY_LIMIT + 3; i += 1)
    await storeResult({ ...failed, reason: i % 2 ? "timed-out" : "reverted" });
  const outline = {
    app: {
      found: true,
      headingCount: 0,
      headings: [],
      switchCount: 0,
      switches: [],
      switchLikeOutside: 0,
    },
    strategies: [],
  };
  const stored = await storeResult({ ...RESULT, outcome: "not-found", diagnostics: outline });
  const { history, latest } = await chrome.storage.local.get(["history", "latest"]);
  assert.equal(history.length, HISTORY_LIMIT);
  assert.equal(HISTORY_LIMIT, 50);
  assert.deepEqual(latest["ai-training"], stored);
  assert.deepEqual(stored.diagnostics, outline);
  assert.equal(history.at(-1).outcome, "not-found");
  assert.equal("diagnostics" in history.at(-1), false);
  assert.ok(!Number.isNaN(Date.parse(stored.at)));
});

const signedOut = { rule: "ai-training", outcome: "signed-out", path: PAGE };

test("repeats of the same result fold into one line with a count and the last time", async () => {
  await storeResult(RESULT);
  for (let i = 0; i < 12; i += 1) await storeResult(signedOut);
  const { history } = await chrome.storage.local.get("history");
  assert.equal(history.length, 2);
  const [, folded] = history;
  assert.equal(folded.outcome, "signed-out");
  assert.equal(folded.count, 12);
  assert.ok(Date.parse(folded.last) >= Date.parse(folded.at));
  await storeResult(RESULT); // each switching off is a line of its own
  await storeResult(RESULT);
  assert.deepEqual(
    (await chrome.storage.local.get("history")).history.map((line) => line.count ?? 1),
    [1, 12, 1, 1],
  );
});

test("proof entries are kept however many other results come after them; only the rest is capped", async () => {
  await storeResult(RESULT);
  await storeResult({ ...RESULT, outcome: "on", reason: "changed-by-member", clicks: 0 });
  // Results that differ each time, so that none folds.
  for (let i = 0; i < HISTORY_LIMIT + 10; i += 1) {
    await storeResult({
      ...signedOut,
      rule: i % 2 ? "ai-training" : "research",
      path: i % 2 ? PAGE : "/mypreferences/d/settings/policy-and-academic-research",
    });
    await storeResult({ ...RESULT, outcome: "failed", reason: i % 2 ? "timed-out" : "reverted" });
  }
  const { history } = await chrome.storage.local.get("history");
  assert.deepEqual(
    history.slice(0, 2).map((line) => line.outcome),
    ["turned-off", "on"],
  );
  assert.equal(history.length, 2 + HISTORY_LIMIT);
});

test("proof older than two years joins the capped rest", async () => {
  const old = {
    ...RESULT,
    at: new Date(Date.now() - (PROOF_KEPT_DAYS + 1) * 86400000).toISOString(),
  };
  const recent = {
    ...RESULT,
    at: new Date(Date.now() - (PROOF_KEPT_DAYS - 1) * 86400000).toISOString(),
  };
  await chrome.storage.local.set({ history: [old, recent] });
  for (let i = 0; i < HISTORY_LIMIT; i += 1)
    await storeResult({ ...RESULT, outcome: "failed", reason: i % 2 ? "timed-out" : "reverted" });
  const { history } = await chrome.storage.local.get("history");
  assert.equal(history[0].at, recent.at);
  assert.equal(history.length, 1 + HISTORY_LIMIT);
});

test("a result can take the place of the page-checked entries it confirms", async () => {
  const first = await storeResult(RESULT);
  const second = await storeResult(RESULT);
  await storeResult({ ...RESULT, proof: "reload" }, { replaces: [first.at, second.at] });
  const { history } = await chrome.storage.local.get("history");
  assert.deepEqual(
    history.map((line) => line.proof ?? "page"),
    ["reload"],
  );
});

test("the front end a page was served by is reported only as one of the rule data's names", () => {
  const base = {
    rule: "ai-training",
    outcome: "not-found",
    path: "/mypreferences/d/settings/data-for-ai-improvement",
  };
  const outlined = (frontEnd) =>
    cleanResult({ ...base, facts: { appFound: true, frontEnd } }).diagnostics.frontEnd;
  assert.equal(outlined("new"), "new");
  assert.equal(outlined("ember"), "ember");
  assert.equal(outlined("Jane Doe"), null);
  assert.equal(outlined({ name: "new" }), null);
});
