import assert from "node:assert/strict";
import { test } from "node:test";

import { EXTENSION_ID } from "./browser.js";
import { isSettingsUrl } from "../../extension/background/navigation.js";
import { pageOf, ruleAtUrl, rulesAt } from "../../extension/background/ruleset.js";
import { fromContentScript, fromExtensionPage } from "../../extension/background/trust.js";

const ORIGIN = "https://www.linkedin.com";
const AI_PAGE = "/mypreferences/d/settings/data-for-ai-improvement";
const ids = (rules) => rules.map((rule) => rule.id);

test("the rule of a page is found by its path, with or without a trailing slash", () => {
  assert.deepEqual(ids(rulesAt(AI_PAGE)), ["ai-training"]);
  assert.deepEqual(ids(rulesAt(`${AI_PAGE}/`)), ["ai-training"]);
  assert.deepEqual(ids(rulesAt("/mypreferences/m/settings/data-for-ai-improvement")), [
    "ai-training",
  ]);
  assert.deepEqual(ids(rulesAt("/mypreferences/d/member-cookies")), ["non-essential-cookies"]);
  assert.deepEqual(rulesAt("/mypreferences/d/categories/privacy"), []);
  assert.deepEqual(rulesAt(`${AI_PAGE}-extra`), []);
});

test("the rule of a URL: the site's origin only; a query and a hash do not count", () => {
  assert.deepEqual(ruleAtUrl(`${ORIGIN}${AI_PAGE}?trk=x#top`), {
    rule: rulesAt(AI_PAGE)[0],
    path: AI_PAGE,
  });
  assert.equal(ruleAtUrl(`https://linkedin.example${AI_PAGE}`), null);
  assert.equal(ruleAtUrl(`http://www.linkedin.com${AI_PAGE}`), null);
  assert.equal(ruleAtUrl(AI_PAGE)?.rule.id, "ai-training"); // a path alone is on the site
  assert.equal(ruleAtUrl(undefined), null);
  assert.equal(pageOf("ads-by-age"), `${ORIGIN}/mypreferences/d/settings/ads-by-age`);
});

test("settings URLs are those the content script is injected on", () => {
  assert.equal(isSettingsUrl(new URL(`${ORIGIN}${AI_PAGE}`)), true);
  assert.equal(isSettingsUrl(new URL(`${ORIGIN}/mypreferences/d/categories/privacy`)), true);
  assert.equal(isSettingsUrl(new URL(`${ORIGIN}/feed/`)), false);
  assert.equal(isSettingsUrl(new URL(`https://www.linkedin.com.evil.example${AI_PAGE}`)), false);
});

test("only this extension's content script on a settings page is taken for one", () => {
  const tab = { id: 4 };
  const settingsPage = `${ORIGIN}${AI_PAGE}`;
  assert.equal(fromContentScript({ id: EXTENSION_ID, url: settingsPage, tab }), true);
  assert.equal(fromContentScript({ id: EXTENSION_ID, url: `${ORIGIN}/feed/`, tab }), false);
  assert.equal(fromContentScript({ id: "another-extension", url: settingsPage, tab }), false);
  assert.equal(fromContentScript({ id: EXTENSION_ID, url: settingsPage }), false);
  assert.equal(fromContentScript({ id: EXTENSION_ID, url: "not a url", tab }), false);
  assert.equal(fromExtensionPage({ id: EXTENSION_ID, url: settingsPage, tab }), false);
});

test("only this extension's own pages are taken for the popup or the options page", () => {
  const popup = `chrome-extension://${EXTENSION_ID}/popup/popup.html`;
  assert.equal(fromExtensionPage({ id: EXTENSION_ID, url: popup }), true);
  assert.equal(fromExtensionPage({ id: "another-extension", url: popup }), false);
  assert.equal(
    fromExtensionPage({
      id: EXTENSION_ID,
      url: `chrome-extension://${EXTENSION_ID}.evil/popup.html`,
    }),
    false,
  );
  assert.equal(fromExtensionPage({ id: EXTENSION_ID }), false);
  assert.equal(fromContentScript({ id: EXTENSION_ID, url: popup }), false);
});
