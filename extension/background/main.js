/* Listeners, registered at the top level so the browser can wake the background for them.
   Messages are accepted only from this extension's own content scripts and pages. */

function senderUrl(sender) {
  if (sender.id !== api.runtime.id || typeof sender.url !== "string") return null;
  try {
    return new URL(sender.url);
  } catch {
    return null;
  }
}

function fromContentScript(sender) {
  const url = senderUrl(sender);
  return url !== null && sender.tab !== undefined && isSettingsUrl(url);
}

function fromExtensionPage(sender) {
  const url = senderUrl(sender);
  return url !== null && url.href.startsWith(api.runtime.getURL(""));
}

const CONTENT_SCRIPT_MESSAGES = {
  result: (message, sender) => {
    const result = cleanResult(message.result);
    if (result) storeResult(result, sender.tab.id);
  },
  progress: (message, sender) => {
    if (message.phase === "switching") noteProgress(sender.tab.id, "switching");
  },
  visit: (message, sender) =>
    typeof message.path === "string" ? visitFor(sender.tab.id, message.path) : null,
};

const PAGE_MESSAGES = {
  "get-status": () => popupStatus(),
  "opt-out-now": (message) => optOutNow(Number.isInteger(message.tabId) ? message.tabId : null),
  "get-settings": () => settingsStatus(),
  "set-chosen": async (message) => {
    if (Array.isArray(message.chosen)) {
      const known = new Set(RULES.map((rule) => rule.id));
      await storeChoices({ chosen: message.chosen.filter((id) => known.has(id)) });
    }
    return settingsStatus();
  },
  "set-automatic": async (message) => {
    if (typeof message.automatic === "boolean") {
      await storeChoices({ automatic: message.automatic });
    }
    return popupStatus();
  },
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
  lastSignedOutUrl.delete(tabId);
  forgetRunOfTab(tabId);
});
api.storage.onChanged.addListener((changes, area) => {
  forgetChoicesIfChanged(changes, area);
  onStorageChanged(changes, area);
});
api.runtime.onStartup.addListener(restoreBadge);
api.runtime.onInstalled.addListener(restoreBadge);
