/* The options page's "Your record as a file": "Save record" writes the record as a JSON file
   (to restore it) and a text file (to read it), through download links of this page (no
   permission needed; the browser saves them where the member chooses); "Restore record"
   sends a chosen JSON file's text to the background, which checks it whole and merges it. */

import { api } from "../lib/api.js";
import { recordText, t } from "../lib/describe.js";
import { FROM_PAGES } from "../lib/messages.js";
import { MAX_RECORD_SIZE, recordFileName } from "../lib/recordfile.js";

// A download link's blob stays until the next save: revoked at once, Firefox may lose it
// before it has read it.
let savedUrls = [];

function download(name, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  savedUrls.push(url);
  const link = Object.assign(document.createElement("a"), {
    href: url,
    download: name,
    hidden: true,
  });
  document.body.append(link);
  link.click();
  link.remove();
}

async function saveRecord(status) {
  for (const url of savedUrls) URL.revokeObjectURL(url);
  savedUrls = [];
  const { record, mainRule } = await api.runtime.sendMessage({ type: FROM_PAGES.getRecord });
  const name = recordFileName(record.savedAt);
  download(`${name}.json`, `${JSON.stringify(record, null, 2)}\n`, "application/json");
  download(`${name}.txt`, recordText(record.history, mainRule), "text/plain;charset=utf-8");
  status.textContent = t("recordSaved", [`${name}.json`, `${name}.txt`]);
}

/** Why a file was refused, in words naming the file and the field. */
function refusedText(refused, fileName) {
  switch (refused.problem) {
    case "too-large":
      return t("recordRefusedTooLarge", [fileName]);
    case "not-json":
      return t("recordRefusedNotJson", [fileName]);
    case "not-record":
      return t("recordRefusedNotRecord", [fileName]);
    case "format-version":
      return t("recordRefusedVersion", [fileName, refused.version]);
    case "field":
      return t("recordRefusedField", [fileName, refused.field]);
    case "entry":
      return t("recordRefusedEntry", [fileName, String(refused.entry), refused.field]);
    case "line":
      return t("recordRefusedLine", [fileName, String(refused.entry)]);
    default:
      return t("recordRefusedUnreadable", [fileName]);
  }
}

async function restoreFrom(file, status) {
  if (file.size > MAX_RECORD_SIZE) {
    status.textContent = refusedText({ problem: "too-large" }, file.name);
    return;
  }
  let answer = null;
  try {
    answer = await api.runtime.sendMessage({
      type: FROM_PAGES.restoreRecord,
      text: await file.text(),
    });
  } catch (error) {
    console.error("linkedin-ai-optout:", error);
  }
  if (answer?.restored) {
    const { added, already } = answer.restored;
    status.textContent = t("recordRestored", [file.name, String(added), String(already)]);
  } else {
    status.textContent = refusedText(answer?.refused ?? {}, file.name);
  }
}

/**
 * Wires the section's buttons. Opened as options.html?save (the popup's "Save as file…"),
 * the page starts with focus on Save record, scrolled to it. (A #fragment would not do:
 * Chromium takes focus away when it scrolls to one.)
 */
export function showRecordFile() {
  /** @type {(id: string) => HTMLInputElement} */
  const $ = document.getElementById.bind(document);
  const status = $("record-file-status");
  const chooser = $("restore-file");
  $("save-record").addEventListener("click", () => saveRecord(status));
  $("restore-record").addEventListener("click", () => chooser.click());
  chooser.addEventListener("change", () => {
    const [file] = chooser.files;
    chooser.value = "";
    if (file) restoreFrom(file, status);
  });
  if (new URLSearchParams(location.search).has("save")) $("save-record").focus();
}
