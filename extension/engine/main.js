/* Wiring: which rules apply to this page, (re)arming when the settings app changes its URL
   without a page load, noticing the member's own clicks, and sending results. */

for (const rule of RULES) {
  for (const step of rule.switch) if (step.text) step.normalizedText = normalizeText(step.text);
  rule.normalizedHeadings = Object.values(rule.headings).flat().map(normalizeText);
}

const running = new Map(); // rule id -> AbortController of its current run
const memberChose = new Set(); // rule ids whose switch the member clicked on this page
let armedPath = null;

function rulesForPage() {
  const path = normalizePath(location.pathname);
  return RULES.filter((rule) => rule.pages.includes(path));
}

// Results a member may want to send to the maintainers get an outline of the page.
const NEEDS_DIAGNOSTICS = new Set(["not-found", "ambiguous", "disabled", "failed"]);

function report(rule, result) {
  const message = {
    type: "result",
    result: {
      rule: rule.id,
      ...result,
      path: normalizePath(location.pathname),
      lang: document.documentElement.lang || null,
    },
  };
  if (NEEDS_DIAGNOSTICS.has(result.outcome)) message.result.diagnostics = pageOutline(rule, CONFIG);
  return api.runtime.sendMessage(message).catch(() => {});
}

/**
 * What the member wants done with this rule on this visit, as the background decides it:
 * "act" (switch it off), "read" (only report the state: automatic mode is off) or "skip"
 * (the member did not choose this setting: leave it alone, say nothing).
 */
async function askPlan(rule) {
  const answer = await api.runtime.sendMessage({ type: "visit-plan", rule: rule.id }).catch(() => null);
  return answer?.plan ?? "skip";
}

function progress(phase) {
  api.runtime.sendMessage({ type: "progress", phase }).catch(() => {});
}

function start(rule, task) {
  running.get(rule.id)?.abort();
  const controller = new AbortController();
  running.set(rule.id, controller);
  const plan = askPlan(rule);
  plan.then((decided) => decided === "skip" && controller.abort());
  const mayClick = plan.then((decided) => decided === "act");
  const context = { config: CONFIG, signal: controller.signal, mayClick, progress, report };
  task(rule, context).finally(() => {
    if (running.get(rule.id) === controller) running.delete(rule.id);
  });
}

function arm() {
  const path = normalizePath(location.pathname);
  if (path === armedPath) return;
  armedPath = path;
  const rules = rulesForPage();
  for (const [id, controller] of running) {
    if (!rules.some((rule) => rule.id === id)) controller.abort();
  }
  for (const rule of rules) {
    if (running.has(rule.id)) continue;
    start(rule, memberChose.has(rule.id) ? reportMemberChoice : optOut);
  }
}

function onMemberClick(event) {
  if (!event.isTrusted) return;
  for (const rule of rulesForPage()) {
    const found = findSwitches(rule);
    if (!found?.elements.some((element) => clickReaches(element, event.target))) continue;
    memberChose.add(rule.id);
    start(rule, reportMemberChoice);
  }
}

/** The member asked for a run from the popup while on this page: go again, from the top. */
function runNow() {
  for (const rule of rulesForPage()) {
    memberChose.delete(rule.id);
    start(rule, optOut);
  }
}

const BACKGROUND_MESSAGES = { "location-changed": arm, "run-now": runNow };
document.addEventListener("click", onMemberClick, true);
addEventListener("popstate", arm);
api.runtime.onMessage.addListener((message, sender) => {
  if (sender.id !== api.runtime.id || sender.tab) return;
  if (Object.hasOwn(BACKGROUND_MESSAGES, message?.type)) BACKGROUND_MESSAGES[message.type]();
});
arm();
