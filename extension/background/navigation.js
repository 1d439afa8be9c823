/* What the background sees of LinkedIn tabs: a settings URL that ended on a sign-in page
   (no content script runs there), and URL changes inside the settings app. */

const lastSignedOutUrl = new Map(); // tab id -> URL already reported, so reloads do not repeat it

function isSettingsUrl(url) {
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

/** The rule whose page a sign-in URL was going to return to, or null. */
function ruleInterruptedBy(url) {
  if (url.origin !== SITE.origin || !isSignInPage(url)) return null;
  for (const name of SITE.signIn.returnParams) {
    const target = url.searchParams.get(name);
    if (!target) continue;
    let returnTo;
    try {
      returnTo = new URL(target, SITE.origin);
    } catch {
      continue;
    }
    if (returnTo.origin !== SITE.origin) continue;
    const path = normalizePath(returnTo.pathname);
    const rule = RULES.find((candidate) => candidate.pages.includes(path));
    if (rule) return { rule, path };
  }
  return null;
}

function onTabUpdated(tabId, change) {
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
    storeResult({ rule: interrupted.rule.id, outcome: "signed-out", path: interrupted.path }, tabId);
    return;
  }
  if (isSettingsUrl(url)) {
    api.tabs.sendMessage(tabId, { type: "location-changed" }).catch(() => {});
  }
}
