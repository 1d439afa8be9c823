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
  return result;
}

let storing = Promise.resolve();

/** Store one result with its time (writes queued so none is lost), then end its run if any. */
function storeResult(result, tabId) {
  const entry = { ...result, at: new Date().toISOString() };
  storing = storing
    .then(async () => {
      const { history = [], latest = {} } = await api.storage.local.get(["history", "latest"]);
      await api.storage.local.set({
        history: [...history, entry].slice(-HISTORY_LIMIT),
        latest: { ...latest, [entry.rule]: entry },
      });
      await finishRun(tabId, entry);
    })
    .catch((error) => console.error("linkedin-ai-optout: could not store a result", error));
  return storing;
}

/** Everything the popup shows. */
async function popupStatus() {
  const [{ history = [], latest = {}, automatic = true }, run] = await Promise.all([
    api.storage.local.get(["history", "latest", "automatic"]),
    currentRun(),
  ]);
  return {
    latest: latest[MAIN_RULE.id] ?? null,
    history: history.filter((entry) => entry.rule === MAIN_RULE.id),
    run: run && { phase: run.phase },
    automatic: automatic !== false,
    settingUrl: SITE.origin + MAIN_RULE.pages[0],
  };
}
