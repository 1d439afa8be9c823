/* What the background sees of the site's tabs: a settings URL that ended on a sign-in page
   (no content script runs there), and URL changes inside the settings app. */

import { api } from "../lib/api.js";
import { TO_CONTENT } from "../lib/messages.js";
import { ruleAtUrl, SITE } from "./ruleset.js";
import { resultArrived } from "./runs.js";

const lastSignedOutUrl = new Map(); // tab id -> URL already reported, so reloads do not repeat it

/** Whether the URL is one the content script is injected on. */
export function isSettingsUrl(url) {
  return (
    url.origin === SITE.origin &&
    SITE.settingsPaths.some((pattern) => url.pathname.startsWith(pattern.replace(/\*$/, "")))
  );
}

function isSignInPage(url) {
  return SITE.signIn.paths.some((path) => {
    const bare = path.replace(/\/$/, "");
    return url.pathname === bare || url.pathname.startsWith(`${bare}/`);
  });
}

/** The rule whose page a sign-in URL was going to return to, and that page's path, or null. */
function ruleInterruptedBy(url) {
  if (url.origin !== SITE.origin || !isSignInPage(url)) return null;
  for (const name of SITE.signIn.returnParams) {
    const target = url.searchParams.get(name);
    const interrupted = target ? ruleAtUrl(target) : null;
    if (interrupted) return interrupted;
  }
  return null;
}

export function onTabUpdated(tabId, change) {
  if (!change.url) return;
  let url;
  try {
    url = new URL(change.url);
  } catch {
    return;
  }
  const interrupted = ruleInterruptedBy(url);
  if (interrupted && lastSignedOutUrl.get(tabId) !== change.url) {
    lastSignedOutUrl.set(tabId, change.url);
    resultArrived({ rule: interrupted.rule.id, outcome: "signed-out", path: interrupted.path }, tabId);
    return;
  }
  if (isSettingsUrl(url)) {
    api.tabs.sendMessage(tabId, { type: TO_CONTENT.locationChanged }).catch(() => {});
  }
}

export function forgetTab(tabId) {
  lastSignedOutUrl.delete(tabId);
}
