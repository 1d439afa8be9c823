/* The first-run page, opened once after install (background/firstrun.js): what the extension
   does and never does (the store listing's words), the settings it will switch off (the
   options page's list), the automatic switch, and "Opt out now" with its outcome. */

import { api } from "../lib/api.js";
import {
  describeEntry,
  describeState,
  progressText,
  settingName,
  sweepSummary,
  t,
} from "../lib/describe.js";
import { localizePage } from "../lib/localize.js";
import { FROM_PAGES } from "../lib/messages.js";
import { showRecheck, showSettings } from "../options/settings.js";

/**
 * An element of this page by its id: a text, a button, a checkbox or a link.
 * @type {(id: string) => HTMLInputElement & HTMLAnchorElement}
 */
const $ = document.getElementById.bind(document);

/**
 * A message to the background, and its answer.
 * @template {import("../lib/messages.js").PageMessage} M
 * @param {M} message
 * @returns {Promise<import("../lib/messages.js").Answers[M["type"]]>}
 */
function ask(message) {
  return api.runtime.sendMessage(message);
}

/** The last run's outcome: the first setting's state as the popup words it, then each setting. */
/** @param {import("../lib/messages.js").PopupStatus} status */
function renderOutcome(status) {
  const sweep = status.lastSweep;
  $("outcome").hidden = !sweep;
  if (!sweep) return;
  const latestOf = new Map(status.settings.map((setting) => [setting.id, setting.latest]));
  const visited = sweep.results.map((result) => result.rule);
  const card = describeState(latestOf.get(visited[0]) ?? status.latest, status.mainRule);
  $("outcome").dataset.state = card.state;
  $("outcome-title").textContent = card.title;
  $("outcome-detail").textContent = [card.detail, card.time].filter(Boolean).join(" ");
  $("outcome-list").replaceChildren(
    ...visited
      .filter((id) => latestOf.get(id))
      .map((id) =>
        Object.assign(document.createElement("li"), {
          textContent: `${settingName(id)} — ${describeEntry(latestOf.get(id), null)}`,
        }),
      ),
  );
}

/** @param {import("../lib/messages.js").PopupStatus} status */
function render(status) {
  $("automatic").checked = status.automatic;
  const running = status.run !== null;
  $("opt-out-now").disabled = running;
  $("opt-out-now").setAttribute("aria-busy", String(running));
  $("progress").textContent = running ? progressText(status.run) : sweepSummary(status.lastSweep);
  if (running) $("outcome").hidden = true;
  else renderOutcome(status);
}

async function refresh() {
  render(await ask({ type: FROM_PAGES.getStatus }));
}

/**
 * The popup's run, through the same message; the member's tab is this page, so LinkedIn opens in a
 * new one.
 */
async function optOutNow() {
  $("opt-out-now").disabled = true;
  $("progress").textContent = t("progressOpening");
  await ask({ type: FROM_PAGES.optOutNow, tabId: null });
  await refresh();
}

localizePage();
const refreshSettings = showSettings($("settings"));
showRecheck($("recheck"));
$("opt-out-now").addEventListener("click", optOutNow);
$("automatic").addEventListener("change", () =>
  ask({ type: FROM_PAGES.setAutomatic, automatic: $("automatic").checked }).then(refresh),
);
api.storage.onChanged.addListener(() => {
  refresh();
  refreshSettings();
});
refresh();
