import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { chrome, EXTENSION_ID } from "./browser.js";
import "../../extension/background/main.js";

const ORIGIN = "https://www.linkedin.com";
const AI_PAGE = "/mypreferences/d/settings/data-for-ai-improvement";
const POPUP = { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/popup/popup.html` };
const CONTENT_SCRIPT = { id: EXTENSION_ID, url: `${ORIGIN}${AI_PAGE}`, tab: { id: 7 } };
const GOOD = {
  rule: "ai-training",
  outcome: "turned-off",
  path: AI_PAGE,
  at: "2026-11-29T14:02:00.000Z",
  clicks: 1,
};

function send(message, sender) {
  const [listener] = chrome.runtime.onMessage.listeners;
  return new Promise((resolve) => {
    if (!listener(message, sender, resolve)) resolve("no answer");
  });
}

async function until(what, condition) {
  for (let turn = 0; turn < 300; turn += 1) {
    if (await condition()) return;
    await new Promise(setImmediate);
  }
  throw new Error(`never: ${what}`);
}

beforeEach(async () => {
  await chrome.storage.local.clear();
  await chrome.storage.session.clear();
});

/** Each damaged value is reset to what a fresh install has; the popup is told once. */
const DAMAGE = {
  history: [{ history: 7 }, []],
  latest: [{ latest: "off" }, {}],
  automatic: [{ automatic: "yes" }, true],
  chosen: [{ chosen: "ai-training" }, ["ai-training"]],
  lastSweep: [{ lastSweep: { results: 5 } }, null],
};

for (const [key, [damaged]] of Object.entries(DAMAGE)) {
  test(`damaged ${key}: the popup gets a working state and the damage notice once`, async () => {
    await chrome.storage.local.set(damaged);
    const status = await send({ type: "get-status" }, POPUP);
    assert.equal(status.repaired, true);
    assert.equal(Array.isArray(status.history), true);
    assert.equal(typeof status.automatic, "boolean");
    assert.equal(
      (await send({ type: "get-status" }, POPUP)).repaired,
      true,
      "until a popup showed it",
    );
    await send({ type: "repair-seen" }, POPUP);
    assert.equal((await send({ type: "get-status" }, POPUP)).repaired, false, "said once");
  });
}

test("a history that is not a list stops nothing: later results are stored", async () => {
  await chrome.storage.local.set({ history: { length: 3 }, latest: [] });
  await send(
    {
      type: "result",
      result: { rule: "ai-training", outcome: "already-off", path: AI_PAGE, clicks: 0 },
    },
    CONTENT_SCRIPT,
  );
  await until(
    "the result is stored",
    async () => (await chrome.storage.local.get("history")).history?.length === 1,
  );
  const { history, latest, repaired } = await chrome.storage.local.get(null);
  assert.equal(history[0].outcome, "already-off");
  assert.equal(latest["ai-training"].outcome, "already-off");
  assert.equal(repaired, true);
});

test("bad entries are dropped, good ones kept", async () => {
  const bad = [
    null,
    "turned-off",
    { ...GOOD, outcome: "switched-on" },
    { ...GOOD, at: "yesterday" },
    { ...GOOD, rule: 5 },
    { ...GOOD, reason: "because" },
    { ...GOOD, proof: "trust me" },
    { ...GOOD, count: "12" },
    { ...GOOD, path: undefined },
  ];
  await chrome.storage.local.set({
    history: [GOOD, ...bad],
    latest: {
      "ai-training": GOOD,
      research: { ...GOOD, rule: "research", outcome: 1 },
      "ads-by-age": GOOD,
    },
  });
  const status = await send({ type: "get-status" }, POPUP);
  assert.equal(status.repaired, true);
  assert.deepEqual(status.history, [GOOD]);
  assert.deepEqual(status.latest, GOOD);
  const { latest, history } = await chrome.storage.local.get(null);
  assert.deepEqual(
    Object.keys(latest),
    ["ai-training"],
    "a latest result filed under another rule's id is dropped too",
  );
  assert.deepEqual(history, [GOOD]);
});

test("storage in good order is not touched and no notice is given", async () => {
  await chrome.storage.local.set({
    history: [GOOD],
    latest: { "ai-training": GOOD },
    automatic: false,
    chosen: ["ai-training"],
  });
  const status = await send({ type: "get-status" }, POPUP);
  assert.equal(status.repaired, false);
  assert.deepEqual(status.history, [GOOD]);
  assert.equal(status.automatic, false);
});

test("a damaged run in session storage is dropped: a new run can start", async () => {
  await chrome.storage.session.set({ run: { tabId: "seven", queue: 3 } });
  assert.deepEqual(await send({ type: "opt-out-now", tabId: null }, POPUP), { started: true });
});
