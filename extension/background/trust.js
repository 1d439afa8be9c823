/* Who sent a message: this extension's content script on one of the site's settings pages,
   or one of this extension's own pages. Anything else is answered with nothing. */

import { api } from "../lib/api.js";
import { isSettingsUrl } from "./navigation.js";

function senderUrl(sender) {
  if (sender.id !== api.runtime.id || typeof sender.url !== "string") return null;
  try {
    return new URL(sender.url);
  } catch {
    return null;
  }
}

export function fromContentScript(sender) {
  const url = senderUrl(sender);
  return url !== null && sender.tab !== undefined && isSettingsUrl(url);
}

export function fromExtensionPage(sender) {
  const url = senderUrl(sender);
  return url !== null && url.href.startsWith(api.runtime.getURL(""));
}
