/* The privacy hub's rows: the cleaning of what a content script sends, the comparison with
   the rule data, what is kept, what the popup and a diagnostics report get. */

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { chrome, EXTENSION_ID, RULE_FILE } from "./browser.js";
import "../../extension/background/main.js";
import { knowledgeOf, reportedPath } from "../../extension/lib/allowlist.js";
import {
  cleanRows,
  hubAt,
  knownPages,
  reportedRows,
  unknownRows,
  UNKNOWN_ROWS_MAX,
} from "../../extension/lib/hub.js";

const { site, rules } = RULE_FILE;
const ORIGIN = "https://www.linkedin.com";
const HUB = "/mypreferences/d/categories/privacy";
const AI_PAGE = "/mypreferences/d/settings/data-for-ai-improvement";
const NEW_PAGE = "/mypreferences/d/settings/data-for-ai-personalization";
const ON_HUB = { id: EXTENSION_ID, url: `${ORIGIN}${HUB}`, tab: { id: 3 } };
const POPUP = { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/popup/popup.html` };
const KNOWN = knownPages(rules, site);

function send(message, sender) {
  const [listener] = chrome.runtime.onMessage.listeners;
  return new Promise((resolve) => {
    if (!listener(message, sender, resolve)) resolve("no answer");
  });
}

/** The section as the fake LinkedIn lists it, with one setting no rule knows. */
const SECTION = [
  { href: `${ORIGIN}/mypreferences/d/download-my-data`, text: "Get a copy of your data" },
  { href: `${ORIGIN}${AI_PAGE}`, text: "Data for Generative AI Improvement" },
  { href: `${ORIGIN}${NEW_PAGE}/?trk=hub#x`, text: "  Data for AI-powered\n personalization " },
  {
    href: `${ORIGIN}/mypreferences/d/settings/policy-and-academic-research`,
    text: "Social, economic and workplace research",
  },
];
const NEW_ROW = { path: NEW_PAGE, text: "Data for AI-powered personalization" };

beforeEach(async () => {
  await chrome.storage.local.clear();
});

test("the hub page is found by its path, with or without a trailing slash; a setting page is no hub", () => {
  assert.equal(hubAt(`${HUB}/`, site), site.hubs[0]);
  assert.equal(hubAt(AI_PAGE, site), null);
});

test("cleaning keeps links to the site's settings pages as a path and one line of text", () => {
  const rows = cleanRows(
    [
      ...SECTION,
      { href: `${ORIGIN}${NEW_PAGE}`, text: "the same page again" },
      { href: "https://www.linkedin.com.example.org/mypreferences/d/x", text: "look-alike" },
      { href: `${ORIGIN}/feed/`, text: "outside the settings" },
      { href: "javascript:alert(1)", text: "script" },
      { href: `${ORIGIN}/mypreferences/d/%3Cb%3E`, text: "odd path" },
      { href: `${ORIGIN}/mypreferences/d/empty`, text: "   " },
      { href: 7, text: "not a link" },
      null,
      { href: `${ORIGIN}/mypreferences/d/long`, text: "x".repeat(500) },
    ],
    site,
  );
  assert.deepEqual(
    rows.map((row) => row.path),
    [
      "/mypreferences/d/download-my-data",
      AI_PAGE,
      NEW_PAGE,
      "/mypreferences/d/settings/policy-and-academic-research",
      "/mypreferences/d/long",
    ],
  );
  assert.deepEqual(rows[2], NEW_ROW);
  assert.equal(rows[4].text.length, 200);
  assert.deepEqual(cleanRows("rows", site), []);
  assert.equal(
    cleanRows(
      Array.from({ length: 80 }, (_, i) => ({
        href: `${ORIGIN}/mypreferences/d/p${i}`,
        text: "t",
      })),
      site,
    ).length,
    50,
  );
});

test("only rows whose page no rule knows (nor the hub's list of pages without a switch) are unknown", () => {
  assert.deepEqual(unknownRows(cleanRows(SECTION, site), KNOWN), [NEW_ROW]);
});

test("a report shows an unknown row's text and path by their shapes, known ones as they are", () => {
  const knowledge = knowledgeOf(rules, site);
  const rows = [NEW_ROW, { path: AI_PAGE, text: "Data for Generative AI Improvement" }];
  assert.deepEqual(reportedRows(rows, knowledge, KNOWN), [
    {
      text: "‹text 35 chars, Latin, symbols, 4 words›",
      path: "/mypreferences/d/settings/‹id 27 chars›",
    },
    { text: "Data for Generative AI Improvement", path: AI_PAGE },
  ]);
  assert.equal(reportedPath("/in/jan-kowalski", KNOWN), "/‹id 2 chars›/‹id 12 chars›");
});

test("a hub visit is answered with its section; the rows no rule knows are kept and shown with a link", async () => {
  const answer = await send({ type: "visit", path: `${HUB}/` }, ON_HUB);
  assert.deepEqual(answer.rules, []);
  assert.equal(answer.hub.row, site.hubs[0].row);
  assert.equal(answer.hub.section.length, Object.values(site.hubs[0].section).flat().length);
  assert.ok(answer.hub.section.includes("how linkedin uses your data"), "normalized");

  await send({ type: "hub", path: HUB, rows: SECTION }, ON_HUB);
  const { hubUnknown } = await chrome.storage.local.get("hubUnknown");
  assert.deepEqual(hubUnknown, [{ hub: HUB, ...NEW_ROW }]);
  const status = await send({ type: "get-status" }, POPUP);
  assert.deepEqual(status.hub.unknown, [{ text: NEW_ROW.text, url: `${ORIGIN}${NEW_PAGE}` }]);
  assert.equal(status.hub.report.length, 1);
  assert.deepEqual(
    chrome.tabs.done.filter(([, tab]) => tab === 3),
    [],
    "nothing sent to the hub's tab",
  );
});

test("rows from a page that is no hub are ignored; a hub listing nothing new clears what was kept", async () => {
  await send(
    { type: "hub", path: AI_PAGE, rows: SECTION },
    { ...ON_HUB, url: `${ORIGIN}${AI_PAGE}` },
  );
  assert.deepEqual((await chrome.storage.local.get("hubUnknown")).hubUnknown, undefined);
  await send({ type: "hub", path: HUB, rows: SECTION }, ON_HUB);
  await send(
    { type: "hub", path: HUB, rows: SECTION.filter((row) => !row.href.includes(NEW_PAGE)) },
    ON_HUB,
  );
  assert.deepEqual((await chrome.storage.local.get("hubUnknown")).hubUnknown, []);
});

test("a kept row the rule data now knows is no longer shown; a damaged stored list is reset", async () => {
  await chrome.storage.local.set({
    hubUnknown: [{ hub: HUB, path: AI_PAGE, text: "Data for Generative AI Improvement" }],
  });
  assert.deepEqual((await send({ type: "get-status" }, POPUP)).hub.unknown, []);
  const tooMany = Array.from({ length: UNKNOWN_ROWS_MAX + 1 }, (_, i) => ({
    hub: HUB,
    path: `/mypreferences/d/p${i}`,
    text: "t",
  }));
  for (const damaged of [
    tooMany,
    [{ hub: HUB, path: "https://evil.example/x", text: "t" }],
    "rows",
  ]) {
    await chrome.storage.local.set({ hubUnknown: damaged });
    assert.deepEqual((await send({ type: "get-status" }, POPUP)).hub.unknown, []);
    assert.deepEqual((await chrome.storage.local.get("hubUnknown")).hubUnknown, []);
  }
});
