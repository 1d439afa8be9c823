import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { chrome, englishMessage } from "./browser.js";
import "../../extension/background/main.js";
import {
  AI_PAGE,
  documentIn,
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
import { describeState, recordLines } from "../../extension/lib/describe.js";

const stored = () => chrome.storage.local.get(null);
const done = () => chrome.tabs.done;
const reloads = (tabId) => done().filter(([what, id]) => what === "reload" && id === tabId).length;
const removed = (tabId) => done().some(([what, id]) => what === "remove" && id === tabId);
const runGoing = async () => (await chrome.storage.session.get("run")).run != null;

/** "Opt out now" from the popup with no settings tab open: the tab the run opened. */
async function startRun() {
  const before = done().length;
  assert.deepEqual(await send({ type: "opt-out-now", tabId: null }, POPUP), { started: true });
  const [created] = done()
    .slice(before)
    .filter(([what]) => what === "create");
  assert.equal(created[2], `${ORIGIN}${AI_PAGE}`);
  return created[1];
}

beforeEach(async () => {
  await chrome.storage.local.clear();
  await chrome.storage.session.clear();
});

test("opt out now: off on the page, then off after a fresh load in the run's tab is stored as verified", async () => {
  const tab = await startRun();
  assert.equal(await planIn(tab), "act");
  await report(tab, "turned-off", { clicks: 1, strategy: "aria-labelledby" });
  await until("the run's tab reloads", () => reloads(tab) === 1);
  assert.equal(await planIn(tab), "read", "the fresh load is only read");
  await report(tab, "already-off", { clicks: 0 });
  await until("the run ends", async () => !(await runGoing()) && removed(tab));

  const { latest, history, lastSweep } = await stored();
  assert.equal(latest[RULE].outcome, "turned-off");
  assert.equal(latest[RULE].proof, "reload");
  assert.equal(latest[RULE].clicks, 1);
  assert.deepEqual(
    history.map((line) => [line.outcome, line.proof]),
    [["turned-off", "reload"]],
  );
  assert.equal(lastSweep.ended, "done");
  const card = describeState(latest[RULE]);
  assert.match(card.time, /^Off — confirmed after reloading LinkedIn's page, /);
  assert.match(
    recordLines(history, RULE)[0],
    / — switched off — confirmed after reloading LinkedIn's page$/,
  );
  assert.equal(
    (await send({ type: "visit", path: AI_PAGE }, fromTab(77))).rules[0].plan,
    "act",
    "other tabs act as before",
  );
});

test("only a document loaded after the reload was asked for reads for it: the reloaded one's results are not", async () => {
  const tab = await startRun();
  await planIn(tab);
  const reloaded = documentIn(tab);
  await report(tab, "turned-off", { clicks: 1 });
  await until("the run's tab reloads", () => reloads(tab) === 1);
  // The page the run reloaded still answers (the member acts there, the reload is slow): its
  // reading is no fresh load's, whatever it says.
  await report(tab, "already-off", { clicks: 0, reason: "changed-by-member" }, reloaded);
  await report(tab, "already-off", { clicks: 0 }, reloaded);
  let { latest } = await stored();
  assert.equal(latest[RULE].outcome, "turned-off");
  assert.notEqual(latest[RULE].proof, "reload", "still only checked on the page");
  assert.equal(await runGoing(), true, "the run still waits for the fresh load");
  // A visit of the document it reloaded is not the fresh load either.
  await send({ type: "visit", path: AI_PAGE, doc: reloaded }, fromTab(tab));
  await report(tab, "already-off", { clicks: 0 }, reloaded);
  assert.equal(await runGoing(), true);

  assert.equal(await planIn(tab), "read", "the fresh load announces itself and only reads");
  await report(tab, "already-off", { clicks: 0 });
  await until("the run ends", async () => !(await runGoing()));
  ({ latest } = await stored());
  assert.deepEqual([latest[RULE].outcome, latest[RULE].proof], ["turned-off", "reload"]);
});

test("a save LinkedIn does not keep: one more try, then failed with reason not-kept after two saves", async () => {
  const tab = await startRun();
  await report(tab, "turned-off", { clicks: 1 });
  await until("the first fresh load", () => reloads(tab) === 1);
  assert.equal(await planIn(tab), "read");
  await report(tab, "on", { reason: "automatic-off", clicks: 0 }); // what a read-only visit says
  await until("one more try", () => reloads(tab) === 2);
  assert.equal(await planIn(tab), "act", "the second try clicks");
  await report(tab, "turned-off", { clicks: 1 });
  await until("the second fresh load", () => reloads(tab) === 3);
  assert.equal(await planIn(tab), "read");
  await report(tab, "on", { reason: "automatic-off", clicks: 0 });
  await until("the run ends", async () => !(await runGoing()));

  const { latest, history } = await stored();
  assert.deepEqual(
    [latest[RULE].outcome, latest[RULE].reason, latest[RULE].clicks],
    ["failed", "not-kept", 2],
  );
  assert.deepEqual(
    history.map((line) => line.outcome),
    ["failed"],
    "no page-checked 'off' left beside it",
  );
  assert.equal(reloads(tab), 3);
  assert.equal(describeState(latest[RULE]).detail, englishMessage("failedNotKept"));
  assert.equal(chrome.action.shown.text, "×");
});

test("a fresh load that shows the setting on after one try, off after the second, is verified", async () => {
  const tab = await startRun();
  await report(tab, "turned-off", { clicks: 1 });
  await until("fresh load", () => reloads(tab) === 1);
  await planIn(tab);
  await report(tab, "on", { reason: "automatic-off", clicks: 0 });
  await until("second try", () => reloads(tab) === 2);
  await planIn(tab);
  await report(tab, "turned-off", { clicks: 1 });
  await until("second fresh load", () => reloads(tab) === 3);
  await planIn(tab);
  await report(tab, "already-off", { clicks: 0 });
  await until("the run ends", async () => !(await runGoing()));
  const { latest, history } = await stored();
  assert.deepEqual([latest[RULE].outcome, latest[RULE].proof], ["turned-off", "reload"]);
  assert.equal(history.length, 1);
});

test("a result from the page only read for the check is not stored as a visit of its own", async () => {
  const tab = await startRun();
  await report(tab, "turned-off", { clicks: 1 });
  await until("fresh load", () => reloads(tab) === 1);
  await planIn(tab);
  await send(
    {
      type: "result",
      result: {
        rule: "research",
        outcome: "on",
        path: "/mypreferences/d/settings/policy-and-academic-research",
      },
    },
    { ...fromTab(tab), url: `${ORIGIN}/mypreferences/d/settings/policy-and-academic-research` },
  );
  await report(tab, "already-off", { clicks: 0 });
  await until("the run ends", async () => !(await runGoing()));
  assert.deepEqual(Object.keys((await stored()).latest), [RULE]);
});

test("the member's own tab is never reloaded: its result stays checked on the page", async () => {
  chrome.tabs.get = async (id) => ({ id, url: `${ORIGIN}${AI_PAGE}` });
  try {
    await send({ type: "opt-out-now", tabId: 42 }, POPUP);
    assert.equal(await planIn(42), "act");
    await report(42, "turned-off", { clicks: 1 });
    await until("the run ends", async () => !(await runGoing()));
  } finally {
    delete chrome.tabs.get;
  }
  assert.equal(reloads(42), 0);
  assert.equal(removed(42), false);
  const { latest } = await stored();
  assert.equal(latest[RULE].outcome, "turned-off");
  assert.notEqual(latest[RULE].proof, "reload");
});

test("confirm: a background tab that only reads, records what the fresh load shows, and closes", async () => {
  const before = done().length;
  assert.deepEqual(await send({ type: "confirm" }, POPUP), { started: true });
  const [[, tab, url]] = done()
    .slice(before)
    .filter(([what]) => what === "create");
  assert.equal(url, `${ORIGIN}${AI_PAGE}`);
  assert.equal(await planIn(tab), "read", "Confirm never clicks");
  assert.equal((await send({ type: "get-status" }, POPUP)).run.confirming, true);
  await report(tab, "already-off", { clicks: 0 });
  await until("the tab closes", () => removed(tab));
  const { latest, lastSweep } = await stored();
  assert.deepEqual([latest[RULE].outcome, latest[RULE].proof], ["already-off", "reload"]);
  assert.equal(lastSweep, undefined, "a check is not a sweep");

  const again = done().length;
  await send({ type: "confirm" }, POPUP);
  const [[, second]] = done()
    .slice(again)
    .filter(([what]) => what === "create");
  await planIn(second);
  await report(second, "on", { reason: "automatic-off", clicks: 0 });
  await until("the tab closes", () => removed(second));
  const found = (await stored()).latest[RULE];
  assert.deepEqual([found.outcome, found.reason], ["on", "not-kept"]);
  assert.equal(describeState(found).detail, englishMessage("stateOnNotKept"));
});

test("a run whose tab the member closes ends as interrupted, keeping the save that went through", async () => {
  const tab = await startRun();
  await report(tab, "turned-off", { clicks: 1 });
  await until("fresh load", () => reloads(tab) === 1);
  for (const listener of chrome.tabs.onRemoved.listeners) listener(tab);
  await until("the run ends", async () => !(await runGoing()));
  const { latest, lastSweep } = await stored();
  assert.equal(latest[RULE].outcome, "turned-off");
  assert.notEqual(latest[RULE].proof, "reload");
  assert.equal(lastSweep.ended, "interrupted");
  assert.equal((await send({ type: "get-status" }, POPUP)).lastSweep.ended, "interrupted");
});

test("a sign-in page in the run's own tab counts, whatever the tab showed before", async () => {
  const tab = await startRun();
  tabLoads(tab, SIGN_IN_PAGE);
  await until("the run ends", async () => !(await runGoing()));
  const { latest, lastSweep } = await stored();
  assert.equal(latest[RULE].outcome, "signed-out");
  assert.equal(lastSweep.signedOut, true);
  assert.equal(removed(tab), false, "the sign-in page stays open for the member");
});

/** The run's clock moved past its limit: as if its page had not answered for that long. */
async function pastItsLimit() {
  const { run } = await chrome.storage.session.get("run");
  await chrome.storage.session.set({ run: { ...run, startedAt: run.startedAt - 60 * 60 * 1000 } });
  await chrome.alarms.fire("run-limit");
}

test("a run whose page never answers ends timed-out: the member is told, its tab closed, a line says why", async () => {
  const tab = await startRun();
  assert.equal((await send({ type: "get-status" }, POPUP)).run.phase, "opening");
  await pastItsLimit();
  await until("the run ends", async () => !(await runGoing()) && removed(tab));
  const { latest, history, lastSweep } = await stored();
  assert.deepEqual([latest[RULE].outcome, latest[RULE].reason], ["failed", "no-answer"]);
  assert.equal(lastSweep.ended, "timed-out");
  const status = await send({ type: "get-status" }, POPUP);
  assert.equal(status.run, null, "the popup no longer says it is opening");
  assert.equal(describeState(status.latest).title, englishMessage("stateNotCheckedTitle"));
  assert.equal(describeState(status.latest).detail, englishMessage("failedNoAnswer"));
  assert.match(recordLines(history, RULE)[0], /not checked: LinkedIn's page did not answer$/);
});

test("a run whose tab LinkedIn sends elsewhere says it could not check: never 'not offered'", async () => {
  const tab = await startRun();
  tabLoads(tab, `${ORIGIN}/feed/`, { id: tab, url: `${ORIGIN}/feed/` });
  await until("the run ends", async () => !(await runGoing()) && removed(tab));
  const { latest } = await stored();
  assert.deepEqual([latest[RULE].outcome, latest[RULE].reason], ["failed", "redirected"]);
  assert.equal(describeState(latest[RULE]).detail, englishMessage("failedRedirected"));
});

test("cancel: the run ends at once, its tab closed; what the page sends after it is not the run's", async () => {
  const tab = await startRun();
  await planIn(tab);
  assert.deepEqual(await send({ type: "cancel" }, POPUP), { cancelled: true });
  assert.equal(await runGoing(), false);
  assert.equal(removed(tab), true);
  await report(tab, "turned-off", { clicks: 1 });
  await until("the late result is stored", async () => (await stored()).history.length === 2);
  const { latest, history, lastSweep } = await stored();
  assert.equal(lastSweep.ended, "cancelled");
  assert.equal(reloads(tab), 0, "nothing is loaded again after the cancel");
  assert.deepEqual(
    history.map((line) => line.reason ?? line.outcome),
    ["cancelled", "turned-off"],
  );
  assert.equal(latest[RULE].proof, undefined, "a late page result is only a page's word");
  assert.deepEqual(await send({ type: "cancel" }, POPUP), { cancelled: false });
});

test("the member switching it on in the run's tab during the check ends the run as theirs", async () => {
  const tab = await startRun();
  await planIn(tab);
  await report(tab, "turned-off", { clicks: 1 });
  await until("fresh load", () => reloads(tab) === 1);
  await planIn(tab);
  await report(tab, "on", { reason: "changed-by-member", clicks: 0 });
  await until("the run ends", async () => !(await runGoing()));
  const { latest, lastSweep } = await stored();
  assert.deepEqual([latest[RULE].outcome, latest[RULE].reason], ["on", "changed-by-member"]);
  assert.equal(reloads(tab), 1, "not clicked off again");
  assert.equal(removed(tab), false, "the tab they acted in stays open");
  assert.equal(lastSweep.ended, "member");
});

test("a fresh load that ends on a sign-in page keeps the page-checked off beside its own line", async () => {
  const tab = await startRun();
  await planIn(tab);
  await report(tab, "turned-off", { clicks: 1 });
  await until("fresh load", () => reloads(tab) === 1);
  tabLoads(tab, SIGN_IN_PAGE);
  await until("the run ends", async () => !(await runGoing()));
  const { latest, history } = await stored();
  assert.deepEqual(
    history.map((line) => line.outcome),
    ["turned-off", "signed-out"],
  );
  assert.equal(latest[RULE].outcome, "turned-off", "the evidence of the click stays the latest");
});

test("the moment a run is over, the popup's storage already holds its last word (a save not kept)", async () => {
  const seenWhenOver = [];
  const watch = (changes, area) => {
    if (area === "session" && changes.run && changes.run.newValue === undefined) {
      seenWhenOver.push(chrome.storage.local.items.get("latest")?.[RULE]?.outcome);
    }
  };
  chrome.storage.onChanged.addListener(watch);
  try {
    const tab = await startRun();
    await planIn(tab);
    await report(tab, "turned-off", { clicks: 1 });
    await until("the first fresh load", () => reloads(tab) === 1);
    await planIn(tab);
    await report(tab, "on", { reason: "automatic-off", clicks: 0 });
    await until("the second try", () => reloads(tab) === 2);
    await planIn(tab);
    await report(tab, "turned-off", { clicks: 1 });
    await until("the second fresh load", () => reloads(tab) === 3);
    await planIn(tab);
    await report(tab, "on", { reason: "automatic-off", clicks: 0 });
    await until("the run ends", async () => !(await runGoing()));
  } finally {
    chrome.storage.onChanged.listeners.splice(chrome.storage.onChanged.listeners.indexOf(watch), 1);
  }
  assert.deepEqual(seenWhenOver, ["failed"], "never the page's 'off' once the run is over");
});
