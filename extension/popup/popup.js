/* The popup's page: renders the status the background sends and forwards the member's
   clicks. It holds no state of its own, so closing it loses nothing. */

import { api } from "../lib/api.js";
import {
  describeEntry,
  describeState,
  hasDiagnostics,
  isVerifiedOff,
  progressText,
  recordLines,
  recordText,
  settingName,
  sweepSummary,
  switchedBackOnText,
  t,
  uiLanguage,
} from "../lib/describe.js";
import { localizePage } from "../lib/localize.js";
import { FROM_PAGES } from "../lib/messages.js";
import { isOff } from "../lib/outcomes.js";
import { copiedReport, diagnosticsDocument } from "../lib/report.js";

/**
 * An element of this page by its id: a text, a button, a checkbox or a link.
 * @type {(id: string) => HTMLInputElement & HTMLAnchorElement}
 */
const $ = document.getElementById.bind(document);
let lastStatus = null;
// Settings a scheduled check found on again: shown while this popup stays open, told to the
// background as seen at once (the badge and the next popup no longer say it).
let backOnShown = null;

/**
 * A message to the background, and its answer.
 * @template {import("../lib/messages.js").PageMessage} M
 * @param {M} message
 * @returns {Promise<import("../lib/messages.js").Answers[M["type"]]>}
 */
function ask(message) {
  return api.runtime.sendMessage(message);
}

function settingLine(setting) {
  const state = setting.latest ? describeEntry(setting.latest, null) : t("stateUnknownTitle");
  return `${settingName(setting.id)} — ${state}`;
}

/** The card's state lines: the result as words, and after a sweep its summary. */
function showState(card, summary) {
  $("status").dataset.state = card.state;
  $("status").setAttribute("aria-labelledby", "status-title");
  $("status-title").textContent = card.title;
  $("status-detail").textContent = card.detail;
  $("status-time").textContent = card.time;
  for (const id of ["status-title", "status-detail", "status-time"])
    $(id).hidden = $(id).textContent === "";
  $("progress").textContent = summary;
  $("progress-note").textContent = "";
}

/** During a run its progress takes the state's lines, so the card keeps about its height. */
function showRunning(progress) {
  $("status").dataset.state = "running";
  // The title is hidden during a run: the card is named by its progress line instead.
  $("status").setAttribute("aria-labelledby", "progress");
  for (const id of ["status-title", "status-detail", "status-time"])
    Object.assign($(id), { textContent: "", hidden: true });
  $("progress").textContent = progress;
  $("progress-note").textContent = t("progressMayClose");
}

/** @param {import("../lib/messages.js").PopupStatus} status */
function render(status) {
  lastStatus = status;
  // Damaged storage was reset: said until the member dismisses the notice, then not again.
  $("repaired").hidden = status.repaired !== true;
  if (status.switchedBackOn) {
    backOnShown = status.switchedBackOn;
    ask({ type: FROM_PAGES.backOnSeen });
  }
  $("back-on").hidden = backOnShown === null;
  $("back-on").textContent = switchedBackOnText(backOnShown);
  const running = status.run !== null;
  $("setting-name").textContent = settingName(status.mainRule);
  if (running) showRunning(progressText(status.run));
  else showState(describeState(status.latest, status.mainRule), sweepSummary(status.lastSweep));
  $("opt-out-now").disabled = running;
  $("opt-out-now").setAttribute("aria-busy", String(running));
  $("cancel-run").hidden = !running;
  // Left as it is during a run, so that nothing below the card moves while it goes on.
  if (!running) $("objection").hidden = !(isOff(status.latest?.outcome) && status.objectionUrl);
  if (status.objectionUrl) $("objection-form").href = status.objectionUrl;

  $("chosen").hidden = status.settings.length < 2;
  $("chosen-list").replaceChildren(
    ...status.settings.map((setting) =>
      Object.assign(document.createElement("li"), { textContent: settingLine(setting) }),
    ),
  );

  // Off, but only as read on the page the extension clicked on: a fresh load can confirm it.
  $("confirm-row").hidden =
    running || !isOff(status.latest?.outcome) || isVerifiedOff(status.latest);
  $("diagnostics").hidden = running || !hasDiagnostics(status.latest);
  showDiagnostics(
    !$("diagnostics").hidden && $("copy-diagnostics").getAttribute("aria-expanded") === "true",
  );
  $("automatic").checked = status.automatic;
  $("open-setting").href = status.settingUrl;

  const lines = recordLines(status.history, status.mainRule);
  $("record-list").replaceChildren(
    ...lines.map((line) => Object.assign(document.createElement("li"), { textContent: line })),
  );
  $("record-list").scrollTop = $("record-list").scrollHeight;
  $("record-empty").hidden = lines.length > 0;
  $("copy-record").disabled = lines.length === 0;
  renderHub(status.hub, status.settingUrl);
}

/**
 * A setting LinkedIn's hub lists that no rule knows: its name as LinkedIn shows it, and a link to
 * it.
 */
function hubNotice({ text, url }) {
  const item = document.createElement("li");
  const link = Object.assign(document.createElement("a"), {
    href: url,
    target: "_blank",
    rel: "noopener",
    textContent: t("hubUnknownOpen"),
  });
  link.setAttribute("aria-label", t("hubUnknownOpenLabel", [text]));
  const notice = Object.assign(document.createElement("span"), {
    textContent: t("hubUnknownSetting", [text]),
  });
  item.append(notice, link);
  return item;
}

/** The notices, each linking only to a page of the site the main setting's link is on. */
function renderHub(hub, settingUrl) {
  const site = `${new URL(settingUrl).origin}/`;
  const rows = hub.unknown.filter(({ url }) => url.startsWith(site));
  $("hub-news").replaceChildren(...rows.map(hubNotice));
  $("hub-news").hidden = rows.length === 0;
}

async function refresh() {
  render(await ask({ type: FROM_PAGES.getStatus }));
}

async function optOutNow() {
  $("opt-out-now").disabled = true;
  $("confirm-row").hidden = true;
  $("diagnostics").hidden = true;
  showRunning(t("progressOpening"));
  $("cancel-run").hidden = false;
  const [active] = await api.tabs.query({ active: true, currentWindow: true });
  await ask({ type: FROM_PAGES.optOutNow, tabId: active?.id ?? null });
  await refresh();
}

async function confirm() {
  $("confirm-row").hidden = true;
  showRunning(t("progressVerifying"));
  await ask({ type: FROM_PAGES.confirm });
  await refresh();
}

/** Cancel: the run stops at once (no click after it); the card then says so. */
async function cancelRun() {
  $("cancel-run").hidden = true;
  await ask({ type: FROM_PAGES.cancel });
  await refresh();
}

async function copyRecord() {
  await navigator.clipboard.writeText(recordText(lastStatus.history, lastStatus.mainRule));
  $("copied").textContent = t("recordCopied");
}

/**
 * A polite objection for LinkedIn's form, in the member's language; the member pastes and sends it.
 */
async function copyObjection() {
  await navigator.clipboard.writeText(t("objectionText"));
  $("objection-copied").textContent = t("objectionCopied");
}

/**
 * The report for the maintainers: the lines for people, then the JSON document they are made from.
 */
function diagnosticsText() {
  const environment = {
    version: api.runtime.getManifest().version,
    userAgent: navigator.userAgent,
    browserLanguage: uiLanguage(),
  };
  return copiedReport(diagnosticsDocument(lastStatus.latest, environment, lastStatus.hub.report));
}

/** The report shown (open) or not under its button: exactly the text Copy puts on the clipboard. */
function showDiagnostics(open) {
  $("diagnostics-preview").hidden = !open;
  $("copy-diagnostics").setAttribute("aria-expanded", String(open));
  $("diagnostics-text").textContent = open ? diagnosticsText() : "";
}

/** Copies the report as it is shown, nothing more. */
async function copyDiagnostics() {
  await navigator.clipboard.writeText($("diagnostics-text").textContent);
  $("diagnostics-copied").textContent = t("recordCopied");
}

localizePage();
$("opt-out-now").addEventListener("click", optOutNow);
$("automatic").addEventListener("change", () =>
  ask({ type: FROM_PAGES.setAutomatic, automatic: $("automatic").checked }).then(refresh),
);
$("confirm").addEventListener("click", confirm);
$("repaired-ok").addEventListener("click", () =>
  ask({ type: FROM_PAGES.repairSeen }).then(refresh),
);
$("copy-record").addEventListener("click", copyRecord);
$("cancel-run").addEventListener("click", cancelRun);
$("copy-diagnostics").addEventListener("click", () => {
  $("diagnostics-copied").textContent = "";
  showDiagnostics($("diagnostics-preview").hidden);
});
$("diagnostics-confirm").addEventListener("click", copyDiagnostics);
$("copy-objection").addEventListener("click", copyObjection);
// Saved from the options page: a popup may close before its download starts (Firefox closes
// it when the browser asks where to save), taking the file's data with it.
$("save-record-file").addEventListener("click", () =>
  api.tabs.create({ url: api.runtime.getURL("options/options.html?save") }),
);
$("choose-settings").addEventListener("click", (event) => {
  event.preventDefault();
  api.runtime.openOptionsPage();
});
api.storage.onChanged.addListener(refresh);
refresh();
