/* Listeners, registered at the top level so the browser can wake the background for them. */

function isOurContentScript(sender) {
  if (sender.id !== api.runtime.id || !sender.tab || typeof sender.url !== "string") return false;
  try {
    return isSettingsUrl(new URL(sender.url));
  } catch {
    return false;
  }
}

api.runtime.onMessage.addListener((message, sender) => {
  if (!isOurContentScript(sender) || message?.type !== "result") return undefined;
  const result = cleanResult(message.result);
  if (result) storeResult(result);
  return undefined;
});

api.tabs.onUpdated.addListener(onTabUpdated);
api.tabs.onRemoved.addListener((tabId) => lastSignedOutUrl.delete(tabId));
