/* The one owner of results: checks what content scripts send, stores it with the time,
   keeps a bounded history. */

const HISTORY_LIMIT = 50;
const OUTCOMES = new Set([
  "already-off", "turned-off", "on", "failed", "not-found", "ambiguous", "disabled",
  "signed-out", "not-offered",
]);
const REASONS = new Set([
  "reverted", "save-error", "timed-out", "several-switches", "unreadable-state",
  "automatic-off", "changed-by-member",
]);
const RULE_PAGES = new Map(RULES.map((rule) => [rule.id, new Set(rule.pages)]));

function isShortText(value, max) {
  return typeof value === "string" && value.length > 0 && value.length <= max;
}

const DIAGNOSTICS_TEXT_MAX = 80;
const DIAGNOSTICS_ITEMS_MAX = 40;

function shortText(value) {
  return typeof value === "string" ? value.slice(0, DIAGNOSTICS_TEXT_MAX) : null;
}

function boolOrNull(value) {
  return typeof value === "boolean" ? value : null;
}

function listOf(value, clean) {
  return Array.isArray(value) ? value.slice(0, DIAGNOSTICS_ITEMS_MAX).map(clean) : [];
}

/** The page outline rebuilt field by field from what is allowed, whatever else was sent. */
function cleanDiagnostics(raw) {
  if (typeof raw !== "object" || raw === null) return undefined;
  return {
    appRendered: raw.appRendered === true,
    headings: listOf(raw.headings, shortText),
    switches: listOf(raw.switches, (item) => ({
      tag: shortText(item?.tag),
      id: shortText(item?.id),
      type: shortText(item?.type),
      role: shortText(item?.role),
      ariaChecked: shortText(item?.ariaChecked),
      checked: boolOrNull(item?.checked),
      disabled: boolOrNull(item?.disabled),
      busy: boolOrNull(item?.busy),
      ariaLabel: shortText(item?.ariaLabel),
      labelledBy: listOf(item?.labelledBy, (label) => ({
        id: shortText(label?.id),
        found: boolOrNull(label?.found),
        text: shortText(label?.text),
      })),
      labels: listOf(item?.labels, shortText),
    })),
    strategies: listOf(raw.strategies, (tried) => ({
      strategy: shortText(tried?.strategy),
      matches: Number.isInteger(tried?.matches) ? tried.matches : null,
    })),
  };
}

/** The result in a stored shape, or null when anything in it is not what a content script sends. */
function cleanResult(raw) {
  if (typeof raw !== "object" || raw === null) return null;
  const pages = RULE_PAGES.get(raw.rule);
  if (!pages || !OUTCOMES.has(raw.outcome) || !pages.has(raw.path)) return null;
  if (raw.reason !== undefined && !REASONS.has(raw.reason)) return null;
  if (raw.strategy !== undefined && !/^[a-z-]+(:[A-Za-z-]+)?$/.test(String(raw.strategy))) return null;
  if (raw.clicks !== undefined && !(Number.isInteger(raw.clicks) && raw.clicks >= 0 && raw.clicks <= 2)) return null;
  if (raw.lang != null && !isShortText(raw.lang, 35)) return null;
  const result = { rule: raw.rule, outcome: raw.outcome, path: raw.path };
  for (const key of ["reason", "strategy", "clicks", "lang"]) {
    if (raw[key] != null) result[key] = raw[key];
  }
  const diagnostics = cleanDiagnostics(raw.diagnostics);
  if (diagnostics) result.diagnostics = diagnostics;
  return result;
}

let storing = Promise.resolve();

/** Store one result with its time (writes queued so none is lost), then end its run if any. */
function storeResult(result, tabId) {
  const entry = { ...result, at: new Date().toISOString() };
  const { diagnostics, ...recorded } = entry; // the outline is kept for the latest result only
  storing = storing
    .then(async () => {
      const { history = [], latest = {} } = await api.storage.local.get(["history", "latest"]);
      await api.storage.local.set({
        history: [...history, recorded].slice(-HISTORY_LIMIT),
        latest: { ...latest, [entry.rule]: entry },
      });
      await finishRun(tabId, entry);
    })
    .catch((error) => console.error("linkedin-ai-optout: could not store a result", error));
  return storing;
}

/** Every setting the rules know, for the options page: whether it is chosen, its last result. */
async function settingsStatus() {
  const [{ latest = {} }, chosen] = await Promise.all([
    api.storage.local.get("latest"),
    chosenRuleIds(),
  ]);
  return RULES.map((rule) => ({
    id: rule.id,
    chosen: chosen.includes(rule.id),
    url: SITE.origin + rule.pages[0],
    latest: latest[rule.id] ?? null,
  }));
}

/** Everything the popup shows. */
async function popupStatus() {
  const [{ history = [], latest = {}, automatic = true, lastSweep = null }, run, chosen] =
    await Promise.all([
      api.storage.local.get(["history", "latest", "automatic", "lastSweep"]),
      currentRun(),
      chosenRuleIds(),
    ]);
  return {
    mainRule: MAIN_RULE.id,
    latest: latest[MAIN_RULE.id] ?? null,
    history: history.filter((entry) => chosen.includes(entry.rule)),
    run: run && {
      phase: run.phase,
      step: run.index + 1,
      total: run.queue.length,
      rule: run.queue[run.index],
      done: run.results.at(-1) ?? null,
    },
    lastSweep,
    settings: chosen.map((id) => ({ id, latest: latest[id] ?? null })),
    automatic: automatic !== false,
    settingUrl: SITE.origin + MAIN_RULE.pages[0],
  };
}
