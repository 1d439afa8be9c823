/* Talking to the background as its content scripts and the popup do, in the unit layer's fake
   browser (browser.js): shared by the tests of the Opt out now run and the scheduled check. */

import { chrome, EXTENSION_ID } from "./browser.js";

export const ORIGIN = "https://www.linkedin.com";
export const AI_PAGE = "/mypreferences/d/settings/data-for-ai-improvement";
export const POPUP = {
  id: EXTENSION_ID,
  url: `chrome-extension://${EXTENSION_ID}/popup/popup.html`,
};
export const RULE = "ai-training";

export function send(message, sender) {
  const [listener] = chrome.runtime.onMessage.listeners;
  return new Promise((resolve) => {
    if (!listener(message, sender, resolve)) resolve("no answer");
  });
}

export const fromTab = (tabId) => ({
  id: EXTENSION_ID,
  url: `${ORIGIN}${AI_PAGE}`,
  tab: { id: tabId },
});

// Tab id -> the id of the document its content script runs in (a new one on each page load).
const documents = new Map();

/** The content script of a new document in `tabId` arrives: the plan it is given for the AI setting. */
export async function planIn(tabId) {
  const doc = crypto.randomUUID();
  documents.set(tabId, doc);
  const answer = await send({ type: "visit", path: AI_PAGE, doc }, fromTab(tabId));
  return answer.rules.find((rule) => rule.id === RULE)?.plan;
}

/** A result of the document now in `tabId` (or of `doc`, a document of the tab's past). */
export function report(tabId, outcome, extra = {}, doc = documents.get(tabId) ?? null) {
  const result = { rule: RULE, outcome, path: AI_PAGE, lang: "en", ...extra };
  return send({ type: "result", result, doc }, fromTab(tabId));
}

/** The id of the document now in `tabId`. */
export const documentIn = (tabId) => documents.get(tabId) ?? null;

/** The background sees `tabId` start loading `url` (`tab`: what the browser shows of the tab). */
export function tabLoads(tabId, url, tab = { id: tabId }) {
  for (const listener of chrome.tabs.onUpdated.listeners)
    listener(tabId, { status: "loading", url }, tab);
}

/** LinkedIn's sign-in page, asked to send the member back to the AI setting's page. */
export const SIGN_IN_PAGE = `${ORIGIN}/uas/login?session_redirect=${encodeURIComponent(
  `${ORIGIN}${AI_PAGE}`,
)}`;

/** Waits, a bounded number of turns, until `condition` holds; fails naming what it waited for. */
export async function until(what, condition) {
  for (let turn = 0; turn < 300; turn += 1) {
    if (await condition()) return;
    await new Promise(setImmediate);
  }
  throw new Error(`never: ${what}`);
}
