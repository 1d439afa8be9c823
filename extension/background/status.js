/* What the extension's pages are shown: the popup's status and the options page's settings,
   each answered from storage, the member's choices and the run. */

import { chosenRuleIds } from "./choices.js";
import { hubStatus } from "./hub.js";
import { MAIN_RULE, objectionFormOf, pageOf, RULES } from "./ruleset.js";
import { currentRun } from "./runs.js";
import { localStore } from "./storage.js";

/** Every setting the rules know, for the options page: whether it is chosen, its last result. */
export async function settingsStatus() {
  const [{ latest }, chosen] = await Promise.all([localStore.read("latest"), chosenRuleIds()]);
  return RULES.map((rule) => ({
    id: rule.id,
    chosen: chosen.includes(rule.id),
    url: pageOf(rule.id),
    latest: latest[rule.id] ?? null,
    objectionUrl: objectionFormOf(rule.id),
  }));
}

/** Everything the popup shows. */
export async function popupStatus() {
  const [{ history, latest, automatic, lastSweep, switchedBackOn }, run, chosen, hub] =
    await Promise.all([
      localStore.read("history", "latest", "automatic", "lastSweep", "switchedBackOn"),
      currentRun(),
      chosenRuleIds(),
      hubStatus(),
    ]);
  // Read after the others: reading them is what finds damage.
  const { repaired } = await localStore.read("repaired");
  return {
    repaired,
    mainRule: MAIN_RULE.id,
    latest: latest[MAIN_RULE.id] ?? null,
    history: history.filter((entry) => chosen.includes(entry.rule)),
    run: run && {
      kind: run.kind,
      phase: run.state,
      step: run.index + 1,
      total: run.queue.length,
      rule: run.queue[run.index],
      done: run.results.at(-1) ?? null,
      confirming: run.kind === "confirm",
    },
    lastSweep,
    settings: chosen.map((id) => ({ id, latest: latest[id] ?? null })),
    automatic: automatic !== false,
    settingUrl: pageOf(MAIN_RULE.id),
    switchedBackOn,
    objectionUrl: objectionFormOf(MAIN_RULE.id),
    hub,
  };
}

/** The member dismissed the damage notice: it is not shown again. */
export async function repairSeen() {
  await localStore.write({ repaired: false });
}

/** The popup was opened: the settings a scheduled check switched off again are no longer news. */
export async function switchedBackOnSeen() {
  await localStore.write({ switchedBackOn: null });
}
