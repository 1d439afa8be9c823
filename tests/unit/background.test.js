import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { chrome, englishMessage, EXTENSION_ID, RULE_FILE } from "./browser.js";
import "../../extension/background/main.js";

const ORIGIN = "https://www.linkedin.com";
const AI_PAGE = "/mypreferences/d/settings/data-for-ai-improvement";
const CONTENT_SCRIPT = { id: EXTENSION_ID, url: `${ORIGIN}${AI_PAGE}`, tab: { id: 7 } };
const POPUP = { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/popup/popup.html` };

/** Sends a message to the background as `sender`; its answer, or "no answer". */
function send(message, sender) {
  const [listener] = chrome.runtime.onMessage.listeners;
  return new Promise((resolve) => {
    if (!listener(message, sender, resolve)) resolve("no answer");
  });
}

/** What storage.local holds once `condition` holds, within a bounded number of turns. */
async function storedOnce(condition) {
  for (let turn = 0; turn < 200; turn += 1) {
    const stored = await chrome.storage.local.get(null);
    if (condition(stored)) return stored;
    await new Promise(setImmediate);
  }
  throw new Error("storage never got there");
}

/** The badge's text once it is `expected`, within a bounded number of turns. */
async function badgeOnce(expected) {
  for (let turn = 0; turn < 200 && chrome.action.shown.text !== expected; turn += 1) {
    await new Promise(setImmediate);
  }
  return chrome.action.shown.text;
}

/** The toolbar button's title once it is `expected`, within a bounded number of turns. */
async function titleOnce(expected) {
  for (let turn = 0; turn < 200 && chrome.action.shown.title !== expected; turn += 1) {
    await new Promise(setImmediate);
  }
  return chrome.action.shown.title;
}

beforeEach(async () => {
  await chrome.storage.local.clear();
  await chrome.storage.session.clear();
});

test("a settings page is told what to find and to act, with texts normalized and nothing unchosen", async () => {
  const answer = await send({ type: "visit", path: `${AI_PAGE}/` }, CONTENT_SCRIPT);
  assert.equal(answer.config.appReady, "main");
  assert.equal("personalPaths" in answer.config, false);
  assert.equal(answer.rules[0].app, "main");
  // What a report may name stays in the background, which makes the outline.
  assert.equal("knownTexts" in answer.config, false);
  assert.deepEqual(answer.config.diagnose.sort(), ["ambiguous", "disabled", "failed", "not-found"]);
  assert.deepEqual(
    answer.rules.map((rule) => [rule.id, rule.plan]),
    [["ai-training", "act"]],
  );
  const [rule] = answer.rules;
  assert.equal(rule.switch[0].id, "allowDataForGenerativeAI");
  assert.equal(
    rule.switch[3].normalizedText,
    "utiliser mes données pour entraîner des modèles d'ia de création de contenu",
  );
  // Headings travel normalized for the page-level step (only-switch); "not offered" is still
  // told by the background, from the facts of the page the not-found result carries.
  assert.ok(rule.normalizedHeadings.includes("data for generative ai improvement"));
  assert.equal("headings" in rule, false);
  assert.equal("chosenByDefault" in rule || "pages" in rule, false);
});

test("with automatic mode off, a page is only read; a setting not chosen is only looked for (skip)", async () => {
  await send({ type: "set-automatic", automatic: false }, POPUP);
  const read = await send({ type: "visit", path: AI_PAGE }, CONTENT_SCRIPT);
  assert.deepEqual(
    read.rules.map((rule) => rule.plan),
    ["read"],
  );
  await send({ type: "set-chosen", chosen: ["ads-by-age", "no-such-rule"] }, POPUP);
  assert.deepEqual((await chrome.storage.local.get("chosen")).chosen, ["ads-by-age"]);
  const skipped = (await send({ type: "visit", path: AI_PAGE }, CONTENT_SCRIPT)).rules;
  assert.deepEqual(
    skipped.map((rule) => [rule.id, rule.plan]),
    [["ai-training", "skip"]],
  );
  await send({ type: "set-chosen", chosen: ["ai-training"] }, POPUP);
  await send({ type: "set-automatic", automatic: true }, POPUP);
});

test("a checked result is stored with its time; a forged one is not", async () => {
  const result = {
    rule: "ai-training",
    outcome: "turned-off",
    path: AI_PAGE,
    strategy: "aria-labelledby",
    clicks: 1,
  };
  await send({ type: "result", result: { ...result, outcome: "switched-on" } }, CONTENT_SCRIPT);
  await send(
    { type: "result", result: { ...result, path: "/mypreferences/d/settings/ads-by-age" } },
    CONTENT_SCRIPT,
  );
  await send(
    { type: "result", result: { ...result, cookie: "li_at=secret", proof: "reload" } },
    CONTENT_SCRIPT,
  );
  const stored = await storedOnce((items) => items.latest?.["ai-training"]);
  assert.equal(stored.history.length, 1);
  assert.deepEqual(Object.keys(stored.history[0]).sort(), [
    "at",
    "clicks",
    "outcome",
    "path",
    "rule",
    "strategy",
  ]);
  assert.equal(stored.latest["ai-training"].outcome, "turned-off");
  const status = await send({ type: "get-status" }, POPUP);
  assert.equal(status.latest.outcome, "turned-off");
  assert.equal(status.settingUrl, `${ORIGIN}${AI_PAGE}`);
});

test("a page cannot write the background's own 'opened at an outdated address' line", async () => {
  const wrong = "/mypreferences/d/settings/data-for-generative-ai";
  const forged = { rule: "ai-training", outcome: "wrong-address", path: wrong };
  await send({ type: "result", result: forged }, { ...CONTENT_SCRIPT, url: `${ORIGIN}${wrong}` });
  await send({ type: "result", result: { ...forged, path: AI_PAGE } }, CONTENT_SCRIPT);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual((await chrome.storage.local.get("history")).history ?? [], []);
});

const firstPage = (ruleId) => RULE_FILE.rules.find((rule) => rule.id === ruleId).pages[0];

/** A content script's result for the first page of a rule, sent from that page. */
async function resultFrom(ruleId, outcome, extra = {}) {
  const path = firstPage(ruleId);
  const sender = { ...CONTENT_SCRIPT, url: `${ORIGIN}${path}` };
  await send({ type: "result", result: { rule: ruleId, outcome, path, ...extra } }, sender);
}

test("the badge shows the worst latest result of the chosen settings", async () => {
  await send({ type: "set-chosen", chosen: ["ai-training", "research", "ads-by-age"] }, POPUP);
  await resultFrom("ai-training", "turned-off", { clicks: 1 });
  // Off as the page showed it: a neutral mark, never ✓, until a fresh load confirms it.
  assert.equal(await badgeOnce("…"), "…");
  assert.equal(chrome.action.shown.title, englishMessage("badgeOffOnPage"));
  await resultFrom("research", "on", { reason: "automatic-off" });
  assert.equal(await badgeOnce("!"), "!");
  await resultFrom("ads-by-age", "failed", { reason: "save-error", clicks: 2 });
  assert.equal(await badgeOnce("×"), "×");
  assert.equal(chrome.action.shown.title, englishMessage("badgeFailed"));
  // The failed setting is no longer chosen: the next worst shows.
  await send({ type: "set-chosen", chosen: ["ai-training", "research"] }, POPUP);
  assert.equal(await badgeOnce("!"), "!");
  await send({ type: "set-chosen", chosen: ["ai-training"] }, POPUP);
  assert.equal(await badgeOnce("…"), "…");
});

test("an off badge says what the AI switch covers only when the AI setting is among the settings shown", async () => {
  // ✓ only for an off a fresh load read (proof "reload", which only a run sets).
  const verified = (rule, outcome) => ({
    rule,
    outcome,
    path: firstPage(rule),
    proof: "reload",
    at: new Date().toISOString(),
  });
  await send({ type: "set-chosen", chosen: ["research"] }, POPUP);
  await chrome.storage.local.set({ latest: { research: verified("research", "turned-off") } });
  assert.equal(await badgeOnce("✓"), "✓");
  assert.equal(
    await titleOnce("The LinkedIn settings you chose are off"),
    "The LinkedIn settings you chose are off",
  );
  await send({ type: "set-chosen", chosen: ["ai-training", "research"] }, POPUP);
  const latest = {
    research: verified("research", "turned-off"),
    "ai-training": verified("ai-training", "already-off"),
  };
  await chrome.storage.local.set({ latest });
  const covers = "Off: LinkedIn will not use your data to train its content-creating AI models";
  assert.equal(await titleOnce(covers), covers);
  assert.equal(chrome.action.shown.text, "✓");
});

test("nothing known, or only 'not offered': no badge", async () => {
  await resultFrom("ai-training", "turned-off", { clicks: 1 });
  assert.equal(await badgeOnce("…"), "…");
  await resultFrom("ai-training", "not-offered");
  assert.equal(await badgeOnce(""), "");
  assert.equal(chrome.action.shown.title, "");
});

/** The background sees a tab go to a URL of the site (the browser shows the extension its URL). */
function tabGoesTo(url, tabId = 9) {
  for (const listener of chrome.tabs.onUpdated.listeners)
    listener(tabId, { status: "loading", url }, { id: tabId, url });
}

/** The background sees a tab load a page of another site: the browser withholds its URL. */
function tabGoesElsewhere(tabId = 9) {
  for (const listener of chrome.tabs.onUpdated.listeners)
    listener(tabId, { status: "loading" }, { id: tabId });
}

const signIn = (target, path = "/uas/login", param = "session_redirect") =>
  `${ORIGIN}${path}?${param}=${encodeURIComponent(target)}`;

test("a settings visit that ends on a sign-in page is recorded as signed out, once", async () => {
  const back = `${ORIGIN}${AI_PAGE}/`;
  tabGoesTo(back);
  tabGoesTo(signIn(back));
  const stored = await storedOnce((items) => items.latest?.["ai-training"]);
  assert.deepEqual(
    [stored.latest["ai-training"].outcome, stored.latest["ai-training"].path],
    ["signed-out", AI_PAGE],
  );
  tabGoesTo(signIn(back)); // a reload of the same page
  tabGoesTo(`${ORIGIN}/mypreferences/d/categories/privacy`, 10);
  tabGoesTo(signIn(AI_PAGE, "/checkpoint/challenge", "sessionRedirect"), 10);
  const again = await storedOnce((items) => items.history?.[0]?.count === 2);
  assert.equal(again.history.length, 1);
});

test("a sign-in page that does not lead back to a setting records nothing", async () => {
  tabGoesTo(`${ORIGIN}${AI_PAGE}`);
  tabGoesTo(signIn(`https://evil.example${AI_PAGE}`));
  tabGoesTo(`${ORIGIN}${AI_PAGE}`);
  tabGoesTo(signIn(`${ORIGIN}/feed/`));
  tabGoesTo(`${ORIGIN}${AI_PAGE}`);
  tabGoesTo(`${ORIGIN}/feed/?session_redirect=${encodeURIComponent(`${ORIGIN}${AI_PAGE}`)}`);
  tabGoesTo(`${ORIGIN}${AI_PAGE}`);
  tabGoesTo(`${ORIGIN}/loginx?session_redirect=${encodeURIComponent(`${ORIGIN}${AI_PAGE}`)}`);
  tabGoesTo(`${ORIGIN}${AI_PAGE}`);
  tabGoesTo(
    `https://evil.example/uas/login?session_redirect=${encodeURIComponent(`${ORIGIN}${AI_PAGE}`)}`,
  );
  await resultFrom("research", "already-off", { clicks: 0 }); // one result after them, as a marker
  const stored = await storedOnce((items) => items.history?.length);
  assert.deepEqual(
    stored.history.map((entry) => entry.rule),
    ["research"],
  );
});

test("sign-in pages another site opens are not the member's visits: the record and badge stay", async () => {
  await resultFrom("ai-training", "turned-off", { clicks: 1 });
  assert.equal(await badgeOnce("…"), "…");
  for (let i = 0; i < 60; i += 1) {
    const tabId = 100 + (i % 3);
    tabGoesElsewhere(tabId); // the other site's page: its URL is not shown to the extension
    tabGoesTo(signIn(`${ORIGIN}${AI_PAGE}?n=${i}`), tabId);
    tabGoesTo(signIn(`${ORIGIN}${AI_PAGE}?again=${i}`), tabId); // from one sign-in page to another
  }
  tabGoesTo(signIn(`${ORIGIN}${AI_PAGE}`), 200); // a new tab opened straight on a sign-in URL
  await resultFrom("research", "already-off", { clicks: 0 }); // a marker after them
  const stored = await storedOnce((items) => items.history?.length === 2);
  assert.deepEqual(
    stored.history.map((entry) => entry.outcome),
    ["turned-off", "already-off"],
  );
  assert.equal(stored.latest["ai-training"].outcome, "turned-off");
  assert.equal(chrome.action.shown.text, "…");
});

test("a settings page the browser no longer shows does not make a later sign-in page count", async () => {
  tabGoesTo(`${ORIGIN}${AI_PAGE}`, 11);
  tabGoesElsewhere(11);
  tabGoesTo(signIn(`${ORIGIN}${AI_PAGE}`), 11);
  await resultFrom("research", "already-off", { clicks: 0 });
  const stored = await storedOnce((items) => items.history?.length);
  assert.deepEqual(
    stored.history.map((entry) => entry.rule),
    ["research"],
  );
});

test("each side may send only its own messages", async () => {
  assert.equal(await send({ type: "get-status" }, CONTENT_SCRIPT), "no answer");
  assert.equal(
    await send({ type: "set-automatic", automatic: false }, CONTENT_SCRIPT),
    "no answer",
  );
  assert.equal(await send({ type: "visit", path: AI_PAGE }, POPUP), "no answer");
  const elsewhere = { ...CONTENT_SCRIPT, url: `${ORIGIN}/feed/` };
  assert.equal(await send({ type: "visit", path: AI_PAGE }, elsewhere), "no answer");
  assert.equal(
    await send({ type: "get-status" }, { ...POPUP, id: "another-extension" }),
    "no answer",
  );
  assert.equal(await send({ type: "toString" }, POPUP), "no answer");
  assert.equal((await chrome.storage.local.get("automatic")).automatic, undefined);
});

/** What the browser tells onInstalled's listeners, and the tabs the background opened for it. */
async function installed(details) {
  const before = chrome.tabs.created.length;
  await Promise.all(chrome.runtime.onInstalled.listeners.map((listener) => listener(details)));
  return chrome.tabs.created.slice(before);
}

test("the first-run page opens once on install, and not on an update, a reload or a browser update", async () => {
  const page = `chrome-extension://${EXTENSION_ID}/welcome/welcome.html`;
  assert.deepEqual(await installed({ reason: "install" }), [page]);
  assert.deepEqual(await installed({ reason: "update", previousVersion: "0.1.0" }), []);
  assert.deepEqual(await installed({ reason: "chrome_update" }), []);
  assert.deepEqual(await installed({ reason: "browser_update" }), []);
  const firstRun = { id: EXTENSION_ID, url: page, tab: { id: 1001 } };
  assert.equal((await send({ type: "get-status" }, firstRun)).mainRule, "ai-training");
});

const VISIT = "0f8e4c2a-5b1d-4e7f-9a3c-2d6b8e1f4a70";
const OTHER_VISIT = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
const OTHER_TAB = { ...CONTENT_SCRIPT, tab: { id: 8 } };

/** A verified off from tab 7's visit VISIT, stored; what storage then holds. */
async function verifiedOff(outcome = "turned-off") {
  const result = {
    rule: "ai-training",
    outcome,
    path: AI_PAGE,
    strategy: "aria-labelledby",
    clicks: 1,
    proof: "page",
    visit: VISIT,
  };
  await send({ type: "result", result }, CONTENT_SCRIPT);
  return storedOnce((items) => items.latest?.["ai-training"]?.outcome === outcome);
}

const correction = (changes = {}) => ({
  type: "correction",
  rule: "ai-training",
  visit: VISIT,
  reason: "reverted",
  ...changes,
});

test("a correction from the visit's own tab replaces that visit's entry, in the latest and the history", async () => {
  await verifiedOff();
  assert.equal(await badgeOnce("…"), "…", "checked on its page only");
  await send(correction({ reason: "save-error" }), CONTENT_SCRIPT);
  const stored = await storedOnce((items) => items.latest["ai-training"].outcome === "failed");
  const latest = stored.latest["ai-training"];
  assert.equal(latest.reason, "save-error");
  assert.equal(latest.visit, VISIT);
  assert.equal(latest.proof, undefined, "a failure claims no proof");
  assert.deepEqual(
    stored.history.map((entry) => [entry.outcome, entry.reason]),
    [["failed", "save-error"]],
  );
  assert.equal(await badgeOnce("×"), "×");
});

test("a correction from another tab, for another visit or rule, or with another reason is refused", async () => {
  const before = await verifiedOff();
  for (const [message, sender] of [
    [correction(), OTHER_TAB],
    [correction({ visit: OTHER_VISIT }), CONTENT_SCRIPT],
    [correction({ visit: undefined }), CONTENT_SCRIPT],
    [correction({ rule: "ads-by-age" }), CONTENT_SCRIPT],
    [correction({ reason: "timed-out" }), CONTENT_SCRIPT],
    [correction({ reason: "changed-by-member" }), CONTENT_SCRIPT],
  ]) {
    await send(message, sender);
    assert.deepEqual(await chrome.storage.local.get(null), before, JSON.stringify(message));
  }
  // The same correction, sent right, is taken: the refusals were about what they named.
  await send(correction(), CONTENT_SCRIPT);
  assert.equal((await chrome.storage.local.get("latest")).latest["ai-training"].outcome, "failed");
});

test("only a turned-off becomes a failure; nothing becomes off, and a failure is not corrected twice", async () => {
  const alreadyOff = await verifiedOff("already-off");
  await send(correction(), CONTENT_SCRIPT);
  assert.deepEqual(await chrome.storage.local.get(null), alreadyOff);

  await verifiedOff();
  await send(correction({ outcome: "turned-off", reason: "reverted" }), CONTENT_SCRIPT);
  const failed = await chrome.storage.local.get(null);
  assert.equal(failed.latest["ai-training"].outcome, "failed");
  await send(correction({ reason: "save-error" }), CONTENT_SCRIPT);
  assert.deepEqual(await chrome.storage.local.get(null), failed);
  // The already-off line stays; the turned-off line became the failure, in its place.
  assert.deepEqual(
    failed.history.map((entry) => entry.outcome),
    ["already-off", "failed"],
  );
});

test("a proof is taken only with an off outcome, and a visit id only in its own shape", async () => {
  const base = { rule: "ai-training", path: AI_PAGE };
  await send(
    { type: "result", result: { ...base, outcome: "failed", reason: "reverted", proof: "page" } },
    CONTENT_SCRIPT,
  );
  await send(
    { type: "result", result: { ...base, outcome: "turned-off", proof: "guess" } },
    CONTENT_SCRIPT,
  );
  await send(
    { type: "result", result: { ...base, outcome: "turned-off", visit: "<b>x</b>" } },
    CONTENT_SCRIPT,
  );
  // "reload" is the background's to set after a fresh load: a page's claim of it is dropped.
  await send(
    { type: "result", result: { ...base, outcome: "already-off", proof: "reload", visit: VISIT } },
    CONTENT_SCRIPT,
  );
  await send(
    { type: "result", result: { ...base, outcome: "already-off", proof: "page", visit: VISIT } },
    CONTENT_SCRIPT,
  );
  const stored = await storedOnce((items) => items.history?.length >= 2);
  assert.deepEqual(
    stored.history.map((entry) => [entry.outcome, entry.proof]),
    [
      ["already-off", undefined],
      ["already-off", "page"],
    ],
  );
});

/** What is stored of a failure whose facts have headings with these texts. */
async function storedWithHeadings(texts, extra = {}) {
  const headings = texts.map((text) => ({ tag: "H1", ariaLevel: null, text }));
  const facts = {
    appFound: true,
    headingCount: headings.length,
    headings,
    switchCount: 0,
    switches: [],
    strategies: [],
  };
  const result = { rule: "ai-training", outcome: "ambiguous", path: AI_PAGE, facts, ...extra };
  await send({ type: "result", result }, CONTENT_SCRIPT);
  return (await storedOnce((items) => items.latest?.["ai-training"])).latest["ai-training"];
}

test("the background makes the stored outline from a page's facts: texts the extension ships and shapes only", async () => {
  const texts = [
    "Data for Generative AI Improvement",
    "  data FOR generative ai improvement ",
    "Jane's profile: /in/janedoe",
    "Write to jane.doe@example.com",
    "y".repeat(100_000),
  ];
  const latest = await storedWithHeadings(texts, {
    diagnostics: { app: { found: true, headings: [{ level: 1, text: "Jane Doe" }] } },
  });
  assert.deepEqual(
    latest.diagnostics.app.headings.map((heading) => heading.text),
    [
      "Data for Generative AI Improvement",
      "Data for Generative AI Improvement",
      "‹text 27 chars, Latin, symbols, 3 words›",
      "‹text 29 chars, Latin, symbols, 3 words›",
      "‹text 99999 chars, Latin, 1 word›",
    ],
  );
  assert.equal("facts" in latest, false, "the facts themselves are not stored");
  assert.doesNotMatch(
    JSON.stringify(await chrome.storage.local.get(null)),
    /Jane|jane|yyyyyy/,
    "nothing of the page's own text is stored",
  );
});

test("a not-found from a rendered page without the setting's heading is stored as not offered", async () => {
  const pageFacts = (appFound, texts) => ({
    appFound,
    headings: texts.map((text) => ({ tag: "H1", text })),
    switches: [],
    strategies: [],
  });
  const notFound = (facts) => ({ rule: "ai-training", outcome: "not-found", path: AI_PAGE, facts });
  await send(
    {
      type: "result",
      result: notFound(pageFacts(true, ["Data privacy", "How LinkedIn uses your data"])),
    },
    CONTENT_SCRIPT,
  );
  await send(
    {
      type: "result",
      result: notFound(pageFacts(true, ["  Daten zur Verbesserung  generativer KI"])),
    },
    CONTENT_SCRIPT,
  );
  await send({ type: "result", result: notFound(pageFacts(false, [])) }, CONTENT_SCRIPT);
  // LinkedIn's error page ("Something went wrong") renders in the app without the list of
  // data-use settings: no evidence the setting is not offered.
  await send({ type: "result", result: notFound(pageFacts(true, ["Settings"])) }, CONTENT_SCRIPT);
  // The three not-found visits in a row fold into one line with a count.
  const stored = await storedOnce((items) => items.history?.at(-1)?.count === 3);
  assert.deepEqual(
    stored.history.map((entry) => entry.outcome),
    ["not-offered", "not-found"],
  );
  const first = (await send({ type: "get-status" }, POPUP)).latest;
  assert.equal(first.outcome, "not-found");
  assert.ok(first.diagnostics, "a not-found keeps its outline");
});

test("a page's choices that are not what the options page sends change nothing and are still answered", async () => {
  const settings = await send({ type: "set-chosen", chosen: "ai-training" }, POPUP);
  assert.equal(Array.isArray(settings), true);
  assert.equal((await chrome.storage.local.get("chosen")).chosen, undefined);
  const status = await send({ type: "set-automatic", automatic: "no" }, POPUP);
  assert.equal(status.automatic, true);
  assert.equal((await chrome.storage.local.get("automatic")).automatic, undefined);
});

test("a content script reports only that it switched; the run's phase takes nothing else from it", async () => {
  await send({ type: "opt-out-now", tabId: null }, POPUP);
  const { run } = await chrome.storage.session.get("run");
  const runTab = { ...CONTENT_SCRIPT, tab: { id: run.tabId } };
  await send({ type: "visit", path: AI_PAGE, doc: crypto.randomUUID() }, runTab);
  assert.equal((await send({ type: "get-status" }, POPUP)).run.phase, "reading");
  await send({ type: "progress", phase: "verifying" }, runTab);
  assert.equal((await send({ type: "get-status" }, POPUP)).run.phase, "reading");
  await send({ type: "progress", phase: "switching" }, runTab);
  assert.equal((await send({ type: "get-status" }, POPUP)).run.phase, "switching");
});
