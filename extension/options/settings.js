/* The list of settings with a checkbox "include in opt-out" each, and the scheduled re-check's
   choice, as the options page and the first-run page show them. The choices live in the
   background's storage, nowhere else. */

import { api } from "../lib/api.js";
import { describeEntry, formatTime, settingExplanation, settingName, t } from "../lib/describe.js";
import { FROM_PAGES } from "../lib/messages.js";
import { isOff } from "../lib/outcomes.js";
import { objectionBlock } from "./objection.js";

function element(tag, className, text = "") {
  return Object.assign(document.createElement(tag), { className, textContent: text });
}

function lastLine(setting) {
  return setting.latest
    ? `${formatTime(setting.latest.at)} — ${describeEntry(setting.latest, null)}`
    : "";
}

function settingRow(setting) {
  const include = Object.assign(document.createElement("input"), {
    type: "checkbox",
    className: "include",
    id: `include-${setting.id}`,
    checked: setting.chosen,
  });
  include.dataset.rule = setting.id;
  const label = element("label", "choice");
  label.append(include, element("span", "name", settingName(setting.id)));
  const open = Object.assign(element("a", "open", t("openSettingShort")), {
    href: setting.url,
    target: "_blank",
    rel: "noopener",
  });
  const row = element("li", "setting");
  row.append(
    label,
    element("p", "explanation", settingExplanation(setting.id)),
    element("p", "last", lastLine(setting)),
  );
  if (setting.objectionUrl) row.append(objectionBlock(setting.objectionUrl));
  row.append(open);
  showObjection(row, setting);
  return row;
}

/** What the switch covers, and the way to object to the rest, below a setting shown off. */
function showObjection(row, setting) {
  const block = row.querySelector(".objection");
  if (block) block.hidden = !isOff(setting.latest?.outcome);
}

/**
 * Fills `list` with every setting the rules know and stores the member's choice on every
 * change. Returns a function that shows the settings again (after a run, say).
 */
export function showSettings(list) {
  const render = (settings) => {
    const boxes = [...list.querySelectorAll(".include")];
    if (
      boxes.map((box) => box.dataset.rule).join() !== settings.map((setting) => setting.id).join()
    ) {
      list.replaceChildren(...settings.map(settingRow));
      return;
    }
    // The same settings: update the rows in place, so that keyboard focus stays where it is.
    settings.forEach((setting, index) => {
      boxes[index].checked = setting.chosen;
      const row = boxes[index].closest(".setting");
      row.querySelector(".last").textContent = lastLine(setting);
      showObjection(row, setting);
    });
  };
  const refresh = async () =>
    render(await api.runtime.sendMessage({ type: FROM_PAGES.getSettings }));
  list.addEventListener("change", async () => {
    const chosen = [...list.querySelectorAll(".include")]
      .filter((box) => box.checked)
      .map((box) => box.dataset.rule);
    render(await api.runtime.sendMessage({ type: FROM_PAGES.setChosen, chosen }));
  });
  refresh();
  return refresh;
}

/** One radio button of the re-check choice. */
function recheckOption(every, text) {
  const radio = Object.assign(document.createElement("input"), {
    type: "radio",
    name: "recheck",
    value: every,
    id: `recheck-${every}`,
  });
  const label = element("label", "choice");
  label.append(radio, element("span", "", text));
  return label;
}

/**
 * Fills `fieldset` with "Check my settings again: every week / every month / never" (a radio
 * group named by its legend), when the next check is due, and stores the member's choice.
 */
export function showRecheck(fieldset) {
  const explanation = Object.assign(element("p", "explanation", t("recheckExplanation")), {
    id: "recheck-explanation",
  });
  const next = element("p", "last", "");
  fieldset.setAttribute("aria-describedby", explanation.id);
  fieldset.replaceChildren(
    element("legend", "", t("recheckLegend")),
    recheckOption("week", t("recheckWeek")),
    recheckOption("month", t("recheckMonth")),
    recheckOption("never", t("recheckNever")),
    explanation,
    next,
  );
  const render = (recheck) => {
    for (const radio of fieldset.querySelectorAll("input"))
      radio.checked = radio.value === recheck.every;
    next.textContent = recheck.due ? t("recheckNext", [formatTime(recheck.due)]) : "";
  };
  fieldset.addEventListener("change", async (event) => {
    render(
      await api.runtime.sendMessage({ type: FROM_PAGES.setRecheck, every: event.target.value }),
    );
  });
  api.runtime.sendMessage({ type: FROM_PAGES.getRecheck }).then(render);
}
