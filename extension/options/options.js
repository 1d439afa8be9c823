/* The options page: every setting the rules know, with what it controls and a checkbox
   "include in opt-out". The choices live in the background's storage, nowhere else. */

const ruleKey = (id) => id.replaceAll("-", "_");

function renderSettings(settings) {
  const template = document.getElementById("setting-row");
  const rows = settings.map((setting) => {
    const row = template.content.firstElementChild.cloneNode(true);
    const include = row.querySelector(".include");
    include.checked = setting.chosen;
    include.dataset.rule = setting.id;
    include.id = `include-${setting.id}`;
    row.querySelector(".name").textContent = t(`rule_${ruleKey(setting.id)}_name`);
    row.querySelector(".explanation").textContent = t(`rule_${ruleKey(setting.id)}_explanation`);
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
  renderSettings(await api.runtime.sendMessage({ type: "set-chosen", chosen }));
}

document.documentElement.lang = uiLanguage();
for (const element of document.querySelectorAll("[data-i18n]")) {
  element.textContent = t(element.dataset.i18n);
}
document.getElementById("settings").addEventListener("change", saveChoices);
api.runtime.sendMessage({ type: "get-settings" }).then(renderSettings);
