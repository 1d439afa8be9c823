/* "Restore record" takes back every line the background itself writes: a visit's, a run's (its
   clicks over two tries counted together; one that could not check: sent elsewhere, cancelled,
   no answer; a fresh load's sign-in page beside the page's off), a scheduled check's (found
   on again, or skipped when signed out), a wrong address's. The record is made by driving the background as its
   content scripts, the popup and the alarm do, saved, cleared and restored. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { chrome, EXTENSION_ID } from "./browser.js";
import "../../extension/background/main.js";
import {
  AI_PAGE,
  fromTab,
  ORIGIN,
  planIn,
  POPUP,
  report,
  RULE,
  send,
  SIGN_IN_PAGE,
  tabLoads,
  until,
} from "./background-messages.js";

const OPTIONS = {
  id: EXTENSION_ID,
  url: `chrome-extension://${EXTENSION_ID}/options/options.html`,
};
const OFF_BEFORE = {
  rule: RULE,
  outcome: "turned-off",
  path: AI_PAGE,
  proof: "reload",
  clicks: 1,
  at: "2026-11-01T10:00:00.000Z",
};
const done = () => chrome.tabs.done;
const reloads = (tabId) => done().filter(([what, id]) => what === "reload" && id === tabId).length;
const runGoing = async () => (await chrome.storage.session.get("run")).run != null;
const history = async () => (await chrome.storage.local.get("history")).history ?? [];

/** The tab the action opened (Opt out now, or the scheduled check's alarm). */
async function tabOpenedBy(action) {
  const before = done().length;
  await action();
  const [created] = done()
    .slice(before)
    .filter(([what]) => what === "create");
  return created[1];
}

const optOutNow = () => tabOpenedBy(() => send({ type: "opt-out-now", tabId: null }, POPUP));

async function scheduledCheck() {
  await chrome.storage.local.set({
    recheck: { every: "week", due: new Date(Date.now() - 60_000).toISOString(), last: null },
  });
  return tabOpenedBy(() => chrome.alarms.fire("recheck"));
}

test("every line the background writes is restored as it was saved", async () => {
  await chrome.storage.local.set({ latest: { [RULE]: OFF_BEFORE }, history: [OFF_BEFORE] });

  // A scheduled check finds the setting on again and switches it off: check and backOn.
  let tab = await scheduledCheck();
  await planIn(tab);
  await report(tab, "turned-off", { clicks: 1, strategy: "aria-labelledby" });
  await until("the check's fresh load", () => reloads(tab) === 1);
  await planIn(tab);
  await report(tab, "already-off", { clicks: 0 });
  await until("the check ends", async () => !(await runGoing()));

  // A scheduled check that meets a sign-in page: recorded as skipped.
  tab = await scheduledCheck();
  tabLoads(tab, SIGN_IN_PAGE);
  await until("the skipped check ends", async () => !(await runGoing()));

  // Opt out now: one click, on again after a fresh load, two on the second try (the page's
  // own retry), on again: not kept, after three clicks in all.
  tab = await optOutNow();
  await planIn(tab);
  await report(tab, "turned-off", { clicks: 1, strategy: "label-text:en" });
  await until("the first fresh load", () => reloads(tab) === 1);
  await planIn(tab);
  await report(tab, "on", { reason: "automatic-off", clicks: 0 });
  await until("the second try", () => reloads(tab) === 2);
  await planIn(tab);
  await report(tab, "turned-off", { clicks: 2 });
  await until("the second fresh load", () => reloads(tab) === 3);
  await planIn(tab);
  await report(tab, "on", { reason: "automatic-off", clicks: 0 });
  await until("the run ends", async () => !(await runGoing()));

  // Runs that could not check: LinkedIn sent the tab elsewhere; the member cancelled; a
  // scheduled check whose page never answered; a fresh load that met a sign-in page, beside
  // the page's off.
  tab = await optOutNow();
  tabLoads(tab, `${ORIGIN}/feed/`);
  await until("the redirected run ends", async () => !(await runGoing()));
  tab = await optOutNow();
  await send({ type: "cancel" }, POPUP);
  tab = await scheduledCheck();
  const { run } = await chrome.storage.session.get("run");
  await chrome.storage.session.set({ run: { ...run, startedAt: run.startedAt - 60 * 60 * 1000 } });
  await chrome.alarms.fire("run-limit");
  await until("the unanswered check ends", async () => !(await runGoing()));
  tab = await optOutNow();
  await planIn(tab);
  await report(tab, "turned-off", { clicks: 1 });
  await until("its fresh load", () => reloads(tab) === 1);
  tabLoads(tab, SIGN_IN_PAGE);
  await until("the run ends on the sign-in page", async () => !(await runGoing()));

  // A visit of the member's own, and a tab on a wrong address brought to the setting's page.
  await send({ type: "visit", path: AI_PAGE }, fromTab(7));
  await report(7, "already-off", { clicks: 0, strategy: "aria-labelledby" });
  tabLoads(8, `${ORIGIN}/mypreferences/d/settings/data-for-generative-ai?trk=guide`);
  await until("every line is stored", async () => (await history()).length === 11);

  const written = await history();
  assert.deepEqual(
    written.map((line) => [
      line.outcome,
      line.check ?? null,
      line.backOn ?? null,
      line.clicks ?? line.reason ?? null,
    ]),
    [
      ["turned-off", null, null, 1],
      ["turned-off", "scheduled", true, 1],
      ["signed-out", "scheduled", null, null],
      ["failed", null, null, 3],
      ["failed", null, null, "redirected"],
      ["failed", null, null, "cancelled"],
      ["failed", "scheduled", null, "no-answer"],
      ["turned-off", null, null, 1],
      ["signed-out", null, null, null],
      ["already-off", null, null, 0],
      ["wrong-address", null, null, null],
    ],
  );

  const { record } = await send({ type: "get-record" }, OPTIONS);
  await chrome.storage.local.clear();
  const answer = await send({ type: "restore-record", text: JSON.stringify(record) }, OPTIONS);
  assert.equal(answer.refused, undefined, JSON.stringify(answer.refused));
  assert.deepEqual(
    await history(),
    written.map((line) => ({ ...line, restored: record.savedAt })),
  );
});

test("a restored line is refused for clicks no visit or run makes, and for a check mark no check writes", async () => {
  const savedAt = new Date().toISOString();
  const file = (line) =>
    JSON.stringify({
      format: "linkedin-ai-optout-record",
      formatVersion: 1,
      extensionVersion: "0.1.0",
      savedAt,
      history: [{ ...OFF_BEFORE, ...line }],
    });
  const refused = async (line) =>
    (await send({ type: "restore-record", text: file(line) }, OPTIONS)).refused?.field;
  assert.equal(await refused({ clicks: 4 }), "clicks", "more than a run's two tries make");
  assert.equal(
    await refused({ proof: "page", outcome: "already-off", clicks: 3 }),
    "clicks",
    "more than one visit makes",
  );
  assert.equal(await refused({ check: "hourly" }), "check");
  assert.equal(
    await refused({ backOn: true }),
    "backOn",
    "found on again only by a scheduled check",
  );
  assert.equal(await refused({ check: "scheduled", backOn: "yes" }), "backOn");
  assert.equal(await refused({ clicks: 3, check: "scheduled", backOn: true }), undefined);
});
