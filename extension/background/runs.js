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

function pageOf(ruleId) {
  return SITE.origin + RULES.find((rule) => rule.id === ruleId).pages[0];
}

/**
 * A run is a sweep over the chosen settings: one tab visits each setting's page in turn.
 * The member's own tab is used when it already shows the only setting to visit.
 */
async function startRun(activeTabId) {
  if (await currentRun()) return { started: false };
  const queue = await chosenRuleIds();
  if (queue.length === 0) return { started: false };
  const startedAt = Date.now();
  const sweep = { queue, index: 0, results: [], startedAt };
  const active = activeTabId == null ? null : await api.tabs.get(activeTabId).catch(() => null);
  if (active && queue.length === 1 && ruleForUrl(active.url)?.id === queue[0]) {
    await api.storage.session.set({ run: { ...sweep, tabId: active.id, opened: false, phase: "switching" } });
    await api.tabs.sendMessage(active.id, { type: "run-now" }).catch(() => api.tabs.reload(active.id));
  } else {
    const tab = await api.tabs.create({ url: pageOf(queue[0]), active: false });
    await api.storage.session.set({ run: { ...sweep, tabId: tab.id, opened: true, phase: "opening" } });
  }
  await api.storage.local.remove("lastSweep");
  return { started: true };
}

/** Start a run unless one is going; content scripts asking meanwhile wait for it. */
function optOutNow(activeTabId) {
  const starting = runStarting.then(() => startRun(activeTabId));
  runStarting = starting.catch(() => {});
  return starting;
}

// The member's choices as storage has them, read once and kept until storage says they
// changed, so that a settings page that has just loaded gets its answer without a storage read.
let choices = null;

function memberChoices() {
  choices ??= api.storage.local.get(["automatic", "chosen"]).catch((error) => {
    choices = null;
    throw error;
  });
  return choices;
}

function forgetChoicesIfChanged(changes, area) {
  if (area === "local" && (changes.automatic || changes.chosen)) choices = null;
}

/** Stores the member's choices; what is read after this returns is what was stored. */
async function storeChoices(values) {
  await api.storage.local.set(values);
  choices = null;
}

function chosenIn({ chosen }) {
  if (Array.isArray(chosen)) return RULES.filter((rule) => chosen.includes(rule.id)).map((r) => r.id);
  return RULES.filter((rule) => rule.chosenByDefault).map((rule) => rule.id);
}

/** The rules the member chose to opt out of (the rules' defaults until they choose). */
async function chosenRuleIds() {
  return chosenIn(await memberChoices());
}

/**
 * What the content script in this tab does with a rule: "act" in automatic mode or in the
 * run's tab, "read" when automatic mode is off, "skip" for a setting the member did not choose.
 */
async function visitPlan(tabId, ruleId) {
  await runStarting;
  const stored = await memberChoices();
  if (!chosenIn(stored).includes(ruleId)) return "skip";
  if (stored.automatic !== false) return "act";
  return (await currentRun())?.tabId === tabId ? "act" : "read";
}

/**
 * The answer to a content script arriving on `path`: the site's app selector and timing,
 * and each chosen rule of that page with what to find and its plan. The content script
 * knows no site: everything it looks for comes from here.
 */
async function visitFor(tabId, path) {
  const rules = [];
  for (const rule of RULES.filter((candidate) => candidate.pages.includes(normalizePath(path)))) {
    const plan = await visitPlan(tabId, rule.id);
    if (plan === "skip") continue;
    const { id, switch: steps, headings, saveError } = rule;
    rules.push({ id, switch: steps, headings, saveError, plan });
  }
  return { config: { appReady: SITE.appReady, timing: SITE.timing }, rules };
}

async function noteProgress(tabId, phase) {
  const run = await currentRun();
  if (run?.tabId === tabId) await api.storage.session.set({ run: { ...run, phase } });
}

/**
 * A result arrived from a tab. If it is the run's setting, the run moves on to the next
 * page, or ends: after the last setting, or at once when LinkedIn asks the member to sign in.
 */
async function finishRun(tabId, result) {
  await runStarting;
  const run = await currentRun();
  if (run?.tabId !== tabId || result.rule !== run.queue[run.index]) return;
  const results = [...run.results, { rule: result.rule, outcome: result.outcome }];
  const signedOut = result.outcome === "signed-out";
  const next = run.index + 1;
  if (!signedOut && next < run.queue.length) {
    // Each page gets the whole time limit: the run's clock starts again with it.
    await api.storage.session.set({
      run: { ...run, index: next, results, phase: "opening", startedAt: Date.now() },
    });
    await api.tabs.update(tabId, { url: pageOf(run.queue[next]) });
    return;
  }
  await api.storage.session.remove("run");
  await api.storage.local.set({
    lastSweep: { results, total: run.queue.length, signedOut, at: new Date().toISOString() },
  });
  // The member must sign in on the page we opened: leave it open for them.
  if (run.opened && !signedOut) await api.tabs.remove(tabId).catch(() => {});
}

async function forgetRunOfTab(tabId) {
  const run = await currentRun();
  if (run?.tabId === tabId) await api.storage.session.remove("run");
}
