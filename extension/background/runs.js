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

/** May the content script in this tab click? Yes in automatic mode, or in the run's tab. */
async function mayAct(tabId) {
  await runStarting;
  const [{ automatic = true }, run] = await Promise.all([
    api.storage.local.get("automatic"),
    currentRun(),
  ]);
  return automatic !== false || run?.tabId === tabId;
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
