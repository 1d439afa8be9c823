/* The background's entry: the message handlers, by who may send them, and the listeners,
   registered at the top level so the browser can wake the background for them. */

import { api } from "../lib/api.js";
import { FROM_CONTENT, FROM_PAGES } from "../lib/messages.js";
import { restoreBadge, onStorageChanged } from "./badge.js";
import { forgetChoicesIfChanged, knownRuleIds, storeChoices } from "./choices.js";
import { openFirstRunPage } from "./firstrun.js";
import { hubRowsArrived } from "./hub.js";
import { forgetTab, onTabUpdated } from "./navigation.js";
import { cleanResult, withOfferSeen } from "./record.js";
import {
  cancelRun,
  confirmNow,
  correctionArrived,
  forgetRunOfTab,
  noteProgress,
  onRunAlarm,
  optOutNow,
  resultArrived,
} from "./runs.js";
import { recordToSave, restoreRecord } from "./recordfile.js";
import { onAlarm, recheckStatus, resumeSchedule, storeRecheck } from "./schedule.js";
import { popupStatus, repairSeen, settingsStatus, switchedBackOnSeen } from "./status.js";
import { fromContentScript, fromExtensionPage } from "./trust.js";
import { visitFor } from "./visits.js";

/** @typedef {import("../lib/messages.js").ContentMessage} ContentMessage */
/** @typedef {import("../lib/messages.js").PageMessage} PageMessage */
/**
 * @template {import("../lib/messages.js").ToBackground} M
 * @typedef {import("../lib/messages.js").Handlers<M>} Handlers
 */

// A document's id, as the content script makes it (crypto.randomUUID).
const DOCUMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const documentOf = (message) =>
  typeof message.doc === "string" && DOCUMENT_ID.test(message.doc) ? message.doc : null;

/** @type {Handlers<ContentMessage>} */
const CONTENT_SCRIPT_MESSAGES = {
  [FROM_CONTENT.result]: (message, sender) => {
    const result = cleanResult(withOfferSeen(message.result));
    // "wrong-address" is the background's own word, never a page's.
    if (result && result.outcome !== "wrong-address")
      resultArrived(result, sender.tab.id, { doc: documentOf(message) });
  },
  [FROM_CONTENT.correction]: async (message, sender) => {
    await correctionArrived(message, sender.tab.id);
  },
  [FROM_CONTENT.progress]: (message, sender) => noteProgress(sender.tab.id, message.phase),
  [FROM_CONTENT.visit]: (message, sender) =>
    typeof message.path === "string"
      ? visitFor(sender.tab.id, message.path, documentOf(message))
      : null,
  [FROM_CONTENT.hub]: (message) => hubRowsArrived(message),
};

/** @type {Handlers<PageMessage>} */
const PAGE_MESSAGES = {
  [FROM_PAGES.getStatus]: () => popupStatus(),
  [FROM_PAGES.optOutNow]: (message) =>
    optOutNow(Number.isInteger(message.tabId) ? message.tabId : null),
  [FROM_PAGES.confirm]: () => confirmNow(),
  [FROM_PAGES.cancel]: () => cancelRun(),
  [FROM_PAGES.repairSeen]: () => repairSeen(),
  [FROM_PAGES.getSettings]: () => settingsStatus(),
  [FROM_PAGES.setChosen]: async (message) => {
    if (Array.isArray(message.chosen)) await storeChoices({ chosen: knownRuleIds(message.chosen) });
    return settingsStatus();
  },
  [FROM_PAGES.setAutomatic]: async (message) => {
    if (typeof message.automatic === "boolean")
      await storeChoices({ automatic: message.automatic });
    return popupStatus();
  },
  [FROM_PAGES.getRecheck]: () => recheckStatus(),
  [FROM_PAGES.setRecheck]: (message) => storeRecheck(message.every),
  [FROM_PAGES.backOnSeen]: () => switchedBackOnSeen(),
  [FROM_PAGES.getRecord]: () => recordToSave(),
  [FROM_PAGES.restoreRecord]: (message) => restoreRecord(message.text),
};

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handlers = fromContentScript(sender)
    ? CONTENT_SCRIPT_MESSAGES
    : fromExtensionPage(sender)
      ? PAGE_MESSAGES
      : {};
  const handler = Object.hasOwn(handlers, message?.type) ? handlers[message.type] : null;
  if (!handler) return false;
  Promise.resolve(handler(message, sender)).then(sendResponse, (error) => {
    console.error("linkedin-ai-optout:", error);
    sendResponse(null);
  });
  return true; // the answer is sent asynchronously
});

api.tabs.onUpdated.addListener(onTabUpdated);
api.tabs.onRemoved.addListener((tabId) => {
  forgetTab(tabId);
  forgetRunOfTab(tabId);
});
api.storage.onChanged.addListener((changes, area) => {
  forgetChoicesIfChanged(changes, area);
  onStorageChanged(changes, area);
});
api.runtime.onStartup.addListener(restoreBadge);
api.runtime.onInstalled.addListener(restoreBadge);
api.runtime.onInstalled.addListener(openFirstRunPage);
api.alarms.onAlarm.addListener(onAlarm);
api.alarms.onAlarm.addListener(onRunAlarm);
// Every start of the background (the browser starting, or waking it): a check missed while
// the browser was closed runs now, once, and the alarm is set again (Firefox forgets alarms
// when it closes; Chrome may too).
resumeSchedule();
