/* "Opt out now": one run at a time, owned here so it survives the popup closing. The run
   is kept in storage.session: a background that the browser stopped and woke again still
   knows which tab it is waiting for. */

const MAIN_RULE = RULES[0];
const RUN_LIMIT_MS = SITE.timing.limitMs + 15000;
let runStarting = Promise.resolve();

async function currentRun() {
  const { run = null } = await api.storage.session.get("run");
  if (run && Date.now() - run.startedAt > RUN_LIMIT_MS) {
    await api.storage.session.remove("run");
    return null;
  }
  return run;
}

function ruleForUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.origin !== SITE.origin) return null;
    return RULES.find((rule) => rule.pages.includes(normalizePath(parsed.pathname))) ?? null;
  } catch {
    return null;
  }
}

async function startRun(activeTabId) {
  if (await currentRun()) return { started: false };
  const startedAt = Date.now();
  const active = activeTabId == null ? null : await api.tabs.get(activeTabId).catch(() => null);
  if (active && ruleForUrl(active.url)?.id === MAIN_RULE.id) {
    await api.storage.session.set({ run: { tabId: active.id, opened: false, phase: "switching", startedAt } });
    await api.tabs.sendMessage(active.id, { type: "run-now" }).catch(() => api.tabs.reload(active.id));
  } else {
    const url = SITE.origin + MAIN_RULE.pages[0];
    const tab = await api.tabs.create({ url, active: false });
    await api.storage.session.set({ run: { tabId: tab.id, opened: true, phase: "opening", startedAt } });
  }
  return { started: true };
}

/** Start a run unless one is going; content scripts asking meanwhile wait for it. */
function optOutNow(activeTabId) {
  const starting = runStarting.then(() => startRun(activeTabId));
  runStarting = starting.catch(() => {});
  return starting;
}

/** The rules the member chose to opt out of (the rules' defaults until they choose). */
async function chosenRuleIds() {
  const { chosen } = await api.storage.local.get("chosen");
  if (Array.isArray(chosen)) return RULES.filter((rule) => chosen.includes(rule.id)).map((r) => r.id);
  return RULES.filter((rule) => rule.chosenByDefault).map((rule) => rule.id);
}

/**
 * What the content script in this tab does with a rule: "act" in automatic mode or in the
 * run's tab, "read" when automatic mode is off, "skip" for a setting the member did not choose.
 */
async function visitPlan(tabId, ruleId) {
  await runStarting;
  const [{ automatic = true }, run, chosen] = await Promise.all([
    api.storage.local.get("automatic"),
    currentRun(),
    chosenRuleIds(),
  ]);
  if (!chosen.includes(ruleId)) return "skip";
  return automatic !== false || run?.tabId === tabId ? "act" : "read";
}

async function noteProgress(tabId, phase) {
  const run = await currentRun();
  if (run?.tabId === tabId) await api.storage.session.set({ run: { ...run, phase } });
}

/** A result arrived from a tab: if it is the run's, the run is over. */
async function finishRun(tabId, result) {
  await runStarting;
  const run = await currentRun();
  if (run?.tabId !== tabId) return;
  await api.storage.session.remove("run");
  // The member must sign in on the page we opened: leave it open for them.
  if (run.opened && result.outcome !== "signed-out") await api.tabs.remove(tabId).catch(() => {});
}

async function forgetRunOfTab(tabId) {
  const run = await currentRun();
  if (run?.tabId === tabId) await api.storage.session.remove("run");
}
