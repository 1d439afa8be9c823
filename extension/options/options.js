/* The options page: every setting the rules know, with what it controls and a checkbox
   "include in opt-out". The choices live in the background's storage, nowhere else. */

import { api } from "../lib/api.js";
import { describeEntry, formatTime, settingExplanation, settingName, t } from "../lib/describe.js";
import { localizePage } from "../lib/localize.js";
import { FROM_PAGES } from "../lib/messages.js";

function renderSettings(settings) {
  const template = document.getElementById("setting-row");
  const rows = settings.map((setting) => {
    const row = template.content.firstElementChild.cloneNode(true);
    const include = row.querySelector(".include");
    include.checked = setting.chosen;
    include.dataset.rule = setting.id;
    include.id = `include-${setting.id}`;
    row.querySelector(".name").textContent = settingName(setting.id);
    row.querySelector(".explanation").textContent = settingExplanation(setting.id);
    row.querySelector(".last").textContent = setting.latest
      ? `${formatTime(setting.latest.at)} — ${describeEntry(setting.latest, false)}`
      : "";
    const open = row.querySelector(".open");
    open.textContent = t("openSettingShort");
    open.href = setting.url;
    return row;
  });
  document.getElementById("settings").replaceChildren(...rows);
}

async function saveChoices() {
  const chosen = [...document.querySelectorAll(".include")]
    .filter((box) => box.checked)
    .map((box) => box.dataset.rule);
  renderSettings(await api.runtime.sendMessage({ type: FROM_PAGES.setChosen, chosen }));
}

localizePage();
document.getElementById("settings").addEventListener("change", saveChoices);
api.runtime.sendMessage({ type: FROM_PAGES.getSettings }).then(renderSettings);
