import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { chrome, englishMessage } from "./browser.js";
import "../../extension/background/main.js";
import {
  AI_PAGE,
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
import { resumeSchedule } from "../../extension/background/schedule.js";
import { recordLines } from "../../extension/lib/describe.js";

const DAY = 24 * 60 * 60 * 1000;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const RECHECK_ALARM = "recheck";
const RETRY_MS = 10 * 60 * 1000; // how soon a check that could not run tries again
const OFF_BEFORE = {
  rule: RULE,
  outcome: "turned-off",
  path: AI_PAGE,
  proof: "reload",
  clicks: 1,
  at: "2026-11-01T10:00:00.000Z",
};

const stored = () => chrome.storage.local.get(null);
const done = () => chrome.tabs.done;
const opened = (since) =>
  done()
    .slice(since)
    .filter(([what]) => what === "create");
const reloads = (tabId) => done().filter(([what, id]) => what === "reload" && id === tabId).length;
const removed = (tabId) => done().some(([what, id]) => what === "remove" && id === tabId);
const runGoing = async () => (await chrome.storage.session.get("run")).run != null;
const alarmAt = () => chrome.alarms.scheduled.get(RECHECK_ALARM)?.scheduledTime;
const fire = () => chrome.alarms.fire(RECHECK_ALARM);

/** A schedule of `every` whose check was due `overdueMs` ago. */
async function dueSince(overdueMs, every = "week", extra = {}) {
  await chrome.storage.local.set({
    recheck: { every, due: new Date(Date.now() - overdueMs).toISOString(), last: null },
    ...extra,
  });
}

/** Fires the alarm of a due check; the tab the check opened (in the background). */
async function checkStarts() {
  const before = done().length;
  await fire();
  const [created] = opened(before);
  assert.ok(created, "the check opened a tab");
  assert.equal(created[2], `${ORIGIN}${AI_PAGE}`);
  assert.equal(created[3], false, "the tab is not made active");
  return created[1];
}

beforeEach(async () => {
  await chrome.storage.local.clear();
  await chrome.storage.session.clear();
  chrome.alarms.scheduled.clear();
  delete globalThis.navigator;
});

test("the choice: never by default; a new choice sets the one alarm a period ahead, never clears it", async () => {
  assert.deepEqual(await send({ type: "get-recheck" }, POPUP), {
    every: "never",
    due: null,
    last: null,
  });
  const before = Date.now();
  const weekly = await send({ type: "set-recheck", every: "week" }, POPUP);
  assert.equal(weekly.every, "week");
  assert.ok(Date.parse(weekly.due) >= before + WEEK && Date.parse(weekly.due) <= Date.now() + WEEK);
  assert.equal(alarmAt(), Date.parse(weekly.due));
  assert.deepEqual(
    await send({ type: "set-recheck", every: "week" }, POPUP),
    weekly,
    "the same choice again changes nothing",
  );
  assert.deepEqual(
    await send({ type: "set-recheck", every: "daily" }, POPUP),
    weekly,
    "an unknown choice is refused",
  );
  const monthly = await send({ type: "set-recheck", every: "month" }, POPUP);
  assert.equal(alarmAt(), Date.parse(monthly.due));
  assert.ok(
    Date.parse(monthly.due) >= before + MONTH && Date.parse(monthly.due) <= Date.now() + MONTH,
  );
  assert.equal((await send({ type: "set-recheck", every: "never" }, POPUP)).due, null);
  assert.equal(chrome.alarms.scheduled.size, 0);
});

test("an alarm before the check is due opens nothing and sets the alarm again for the due time", async () => {
  const due = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString();
  await chrome.storage.local.set({ recheck: { every: "week", due, last: null } });
  const before = done().length;
  await fire();
  assert.deepEqual(opened(before), []);
  assert.equal(alarmAt(), Date.parse(due));
});

test("a setting found on again after it was off is switched off, recorded with when it was off, and said until the popup is opened", async () => {
  await dueSince(60_000, "week", { latest: { [RULE]: OFF_BEFORE }, history: [OFF_BEFORE] });
  const tab = await checkStarts();
  assert.equal(await planIn(tab), "act");
  await report(tab, "turned-off", { clicks: 1 });
  await until("the fresh load", () => reloads(tab) === 1);
  assert.equal(await planIn(tab), "read");
  await report(tab, "already-off", { clicks: 0 });
  await until("the check ends", async () => !(await runGoing()) && removed(tab));

  const { latest, history, recheck, switchedBackOn, lastSweep } = await stored();
  assert.deepEqual(
    [latest[RULE].outcome, latest[RULE].proof, latest[RULE].check, latest[RULE].backOn],
    ["turned-off", "reload", "scheduled", true],
  );
  assert.equal(history.length, 2);
  assert.match(
    recordLines(history, RULE)[1],
    / — scheduled check: found on again \(it was off on Nov 1, 2026, 10:00\); switched off — confirmed after reloading LinkedIn's page$/,
  );
  assert.deepEqual(switchedBackOn.rules, [RULE]);
  assert.equal(lastSweep, undefined, "a scheduled check is not the popup's sweep");
  assert.ok(
    Date.parse(recheck.due) > Date.now() + WEEK - 60_000,
    "the next check is a period away",
  );
  assert.equal(alarmAt(), Date.parse(recheck.due));

  await until(
    "the badge says so",
    () => chrome.action.shown.title === englishMessage("badgeBackOn"),
  );
  assert.equal(chrome.action.shown.text, "!");
  const status = await send({ type: "get-status" }, POPUP);
  assert.deepEqual(status.switchedBackOn.rules, [RULE]);
  await send({ type: "back-on-seen" }, POPUP);
  assert.equal((await send({ type: "get-status" }, POPUP)).switchedBackOn, null);
  await until("the badge is the state's again", () => chrome.action.shown.text === "✓");
});

test("a setting on that was not off before is switched off without the back-on notice", async () => {
  await dueSince(60_000);
  const tab = await checkStarts();
  await report(tab, "turned-off", { clicks: 1 });
  await until("the fresh load", () => reloads(tab) === 1);
  await planIn(tab);
  await report(tab, "already-off", { clicks: 0 });
  await until("the check ends", async () => !(await runGoing()));
  const { latest, switchedBackOn } = await stored();
  assert.equal(latest[RULE].check, "scheduled");
  assert.equal(latest[RULE].backOn, undefined);
  assert.equal(switchedBackOn, undefined);
});

test("with automatic mode off a check only reads: the read plan, no second try, the setting reported on", async () => {
  await dueSince(60_000, "week", {
    automatic: false,
    latest: { [RULE]: OFF_BEFORE },
    history: [OFF_BEFORE],
  });
  const tab = await checkStarts();
  assert.equal(await planIn(tab), "read", "the check's own tab only reads");
  await report(tab, "on", { reason: "automatic-off", clicks: 0 });
  await until("the check ends", async () => !(await runGoing()) && removed(tab));
  assert.equal(reloads(tab), 0, "no second try, which would click");
  const { latest, switchedBackOn } = await stored();
  assert.deepEqual(
    [latest[RULE].outcome, latest[RULE].reason, latest[RULE].check, latest[RULE].backOn],
    ["on", "automatic-off", "scheduled", true],
  );
  assert.equal(switchedBackOn, undefined, "nothing was switched off");
  assert.equal(chrome.action.shown.text, "!");
});

test("with automatic mode off an off setting is read on a fresh load: verified, nothing clicked", async () => {
  await dueSince(60_000, "week", { automatic: false });
  const tab = await checkStarts();
  assert.equal(await planIn(tab), "read");
  await report(tab, "already-off", { clicks: 0 });
  await until("the check ends", async () => !(await runGoing()) && removed(tab));
  const { latest } = await stored();
  assert.deepEqual([latest[RULE].outcome, latest[RULE].proof], ["already-off", "reload"]);
});

test("a sign-in page ends the check quietly: recorded as skipped, the state and badge kept, its tab closed", async () => {
  await dueSince(60_000, "week", { latest: { [RULE]: OFF_BEFORE }, history: [OFF_BEFORE] });
  const tab = await checkStarts();
  tabLoads(tab, SIGN_IN_PAGE);
  await until("the check ends", async () => !(await runGoing()) && removed(tab));
  const { latest, history, lastSweep, recheck } = await stored();
  assert.deepEqual(latest[RULE], OFF_BEFORE, "the setting's state is what it was");
  assert.deepEqual(
    history.map((line) => [line.outcome, line.check]),
    [
      ["turned-off", undefined],
      ["signed-out", "scheduled"],
    ],
  );
  assert.match(
    recordLines(history, RULE)[1],
    / — scheduled check skipped: signed out of LinkedIn$/,
  );
  assert.equal(lastSweep, undefined);
  assert.equal(chrome.action.shown.text, "✓");
  assert.ok(Date.parse(recheck.due) > Date.now() + WEEK - 60_000, "it tries again next period");
});

test("two alarms at once, and one while the check runs, start one check", async () => {
  await dueSince(60_000);
  const before = done().length;
  await Promise.all([fire(), fire()]);
  const [[, tab]] = opened(before);
  assert.equal(opened(before).length, 1);
  assert.equal(await planIn(tab), "act");
  await fire();
  await report(tab, "turned-off", { clicks: 1 });
  await until("the fresh load", () => reloads(tab) === 1);
  await fire();
  await planIn(tab);
  await report(tab, "already-off", { clicks: 0 });
  await until("the check ends", async () => !(await runGoing()));
  await fire();
  assert.equal(opened(before).length, 1);
  assert.equal((await stored()).history.length, 1);
});

test("checks missed while the browser was closed run once at the next start, not once per period", async () => {
  await dueSince(3 * WEEK + 60_000);
  const before = done().length;
  await resumeSchedule();
  await resumeSchedule();
  assert.equal(opened(before).length, 1);
  const { recheck } = await stored();
  assert.ok(
    Date.parse(recheck.due) > Date.now() + WEEK - 60_000,
    "the next check is a period from now",
  );
  assert.ok(Date.parse(recheck.last) <= Date.now());
});

test("a due check waits while the browser is offline, and runs once it is online", async () => {
  await dueSince(60_000);
  globalThis.navigator = { onLine: false };
  const before = done().length;
  await fire();
  assert.deepEqual(opened(before), []);
  assert.ok(alarmAt() > Date.now() && alarmAt() <= Date.now() + RETRY_MS, "tries again soon");
  globalThis.navigator = { onLine: true };
  await fire();
  assert.equal(opened(before).length, 1);
});

test("a due check waits while the member's own run goes on", async () => {
  assert.deepEqual(await send({ type: "opt-out-now", tabId: null }, POPUP), { started: true });
  await dueSince(60_000);
  const before = done().length;
  await fire();
  assert.deepEqual(opened(before), []);
  assert.ok(alarmAt() <= Date.now() + RETRY_MS);
  assert.equal((await stored()).recheck.last, null, "not counted as checked");
});

test("a never schedule clears the alarm whenever the background starts", async () => {
  await chrome.alarms.create(RECHECK_ALARM, { when: Date.now() });
  await resumeSchedule();
  assert.equal(chrome.alarms.scheduled.size, 0);
});

test("a page cannot mark its result as a scheduled check's", async () => {
  await report(7, "turned-off", { clicks: 1, check: "scheduled", backOn: true });
  await until("stored", async () => (await stored()).latest?.[RULE]);
  const { latest } = await stored();
  assert.equal(latest[RULE].check, undefined);
  assert.equal(latest[RULE].backOn, undefined);
});

test("a damaged schedule is reset to never, with the damage notice", async () => {
  await chrome.storage.local.set({ recheck: { every: "daily", due: "soon", last: null } });
  assert.deepEqual(await send({ type: "get-recheck" }, POPUP), {
    every: "never",
    due: null,
    last: null,
  });
  assert.equal((await send({ type: "get-status" }, POPUP)).repaired, true);
  await chrome.storage.local.set({ switchedBackOn: { at: "now", rules: "ai-training" } });
  assert.equal((await send({ type: "get-status" }, POPUP)).switchedBackOn, null);
});

test("a check whose page never answers gives its due time back and tries again soon; its tab is closed", async () => {
  await dueSince(DAY);
  const { recheck: before } = await stored();
  const tab = await checkStarts();
  assert.ok(
    Date.parse((await stored()).recheck.due) > Date.now(),
    "moved a period ahead while it runs",
  );
  const { run } = await chrome.storage.session.get("run");
  await chrome.storage.session.set({ run: { ...run, startedAt: run.startedAt - 60 * 60 * 1000 } });
  await chrome.alarms.fire("run-limit");
  await until("the check ends", async () => !(await runGoing()) && removed(tab));
  await until("the due time is back", async () => (await stored()).recheck.due === before.due);
  const { recheck, history, lastSweep } = await stored();
  assert.equal(recheck.due, before.due, "it is still due: the check did not run");
  assert.ok(
    alarmAt() > Date.now() && alarmAt() <= Date.now() + RETRY_MS,
    "it tries again within the retry time",
  );
  assert.deepEqual(
    history.map((line) => [line.outcome, line.reason, line.check]),
    [["failed", "no-answer", "scheduled"]],
  );
  assert.equal(lastSweep, undefined, "the popup's run summary is for the member's runs");
});
