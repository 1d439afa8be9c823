/* What the background sees of the site's tabs: a settings URL that ended on a sign-in page
   (no content script runs there), and URL changes inside the settings app. A sign-in page
   counts only where the extension can tell it interrupted a settings visit: in a tab whose
   previous page was one of the site's settings pages, or in a run's own tab. Any website
   can open sign-in URLs that point back at a setting; those are not the member's visits. */

import { api } from "../lib/api.js";
import { TO_CONTENT } from "../lib/messages.js";
import { normalizePath } from "../lib/text.js";
import { pageOf, ruleAtUrl, SITE, wrongAddressAt } from "./ruleset.js";
import { currentRun, noteArrived, resultArrived, runStarted, runTabUpdated } from "./runs.js";

const lastSignedOutUrl = new Map(); // tab id -> URL already reported, so reloads do not repeat it
// Tab id -> the URL it shows, or null when the browser does not tell us (a page of a site
// outside the extension's host permissions: the tab's URL is withheld).
const shownUrl = new Map();

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

function parsed(url) {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Whether a sign-in page in this tab interrupted a settings visit the extension can attribute. */
async function interruptsSettingsVisit(tabId, previousUrl) {
  const previous = previousUrl ? parsed(previousUrl) : null;
  if (previous && isSettingsUrl(previous)) return true;
  await runStarted(); // a run's tab may redirect before the run is stored
  return (await currentRun())?.tabId === tabId;
}

async function onSignInPage(tabId, url, interrupted, previousUrl) {
  if (lastSignedOutUrl.get(tabId) === url) return;
  if (!(await interruptsSettingsVisit(tabId, previousUrl))) return;
  lastSignedOutUrl.set(tabId, url);
  /** @type {import("../lib/messages.js").Result} */
  const signedOut = { rule: interrupted.rule.id, outcome: "signed-out", path: interrupted.path };
  await resultArrived(signedOut, tabId, { seenByBackground: true });
}

/**
 * A tab on an address in circulation for a setting where LinkedIn shows none (rule data's
 * wrongSlugs): brought to the setting's page, where the visit goes on as any visit does;
 * nothing is done on the wrong page. The record says where the member came from.
 */
async function onWrongAddress(tabId, url, rule) {
  await api.tabs.update(tabId, { url: pageOf(rule.id) });
  await noteArrived({ rule: rule.id, outcome: "wrong-address", path: normalizePath(url.pathname) });
}

export function onTabUpdated(tabId, change, tab) {
  const previousUrl = shownUrl.get(tabId) ?? null;
  if (!change.url) {
    // A load the browser does not show us the URL of: what the tab shows is unknown now.
    if (change.status === "loading" && typeof tab?.url !== "string") shownUrl.set(tabId, null);
    if (change.status === "loading") runTabUpdated(tabId, change);
    return;
  }
  shownUrl.set(tabId, change.url);
  const url = parsed(change.url);
  if (!url) return;
  const interrupted = ruleInterruptedBy(url);
  if (interrupted) {
    onSignInPage(tabId, change.url, interrupted, previousUrl).catch((error) =>
      console.error("linkedin-ai-optout:", error),
    );
    return;
  }
  const wrong = url.origin === SITE.origin ? wrongAddressAt(url.pathname) : null;
  if (wrong) {
    onWrongAddress(tabId, url, wrong).catch((error) => console.error("linkedin-ai-optout:", error));
    return;
  }
  runTabUpdated(tabId, change);
  if (isSettingsUrl(url)) {
    api.tabs.sendMessage(tabId, { type: TO_CONTENT.locationChanged }).catch(() => {});
  }
}

export function forgetTab(tabId) {
  lastSignedOutUrl.delete(tabId);
  shownUrl.delete(tabId);
}
