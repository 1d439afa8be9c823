/* The mutation check: each guard in the background's message handling, result cleaning,
   storage checks, sign-in attribution, fresh-load verification and record files read back
   (background/recordfile.js, and their merge in record.js) is removed in turn from
   a copy of the extension, and the unit layer must then fail. A guard whose removal no test
   notices is unprotected: this script says which, and exits 1. A mutation whose text does
   not occur exactly once in its file is a mistake in this list: it exits 2 naming it.

   node tests/unit/mutate.js  ->  "guards mutated: N, caught: N" */

import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** [file under extension/, what the guard is, its text, the text without the guard]. */
const MUTATIONS = [
  [
    "background/trust.js",
    "sender must be this extension",
    'if (sender.id !== api.runtime.id || typeof sender.url !== "string") return null;',
    'if (typeof sender.url !== "string") return null;',
  ],
  [
    "background/trust.js",
    "content script must be on a settings page",
    "return url !== null && sender.tab !== undefined && isSettingsUrl(url);",
    "return url !== null && sender.tab !== undefined;",
  ],
  [
    "background/trust.js",
    "extension page must be this extension's URL",
    'return url !== null && url.href.startsWith(api.runtime.getURL(""));',
    "return url !== null;",
  ],
  [
    "background/main.js",
    "unknown senders get no handlers",
    "      : {};",
    "      : PAGE_MESSAGES;",
  ],
  [
    "background/main.js",
    "only own message types are handled",
    "Object.hasOwn(handlers, message?.type) ? handlers[message.type] : null",
    "handlers[message?.type]",
  ],
  [
    "background/main.js",
    "results are cleaned before they are stored",
    "const result = cleanResult(withOfferSeen(message.result));",
    "const result = withOfferSeen(message.result);",
  ],
  [
    "background/runs.js",
    "progress takes only the switching phase",
    'return phase === "switching" ? forRunTab(tabId, { type: "progress" }, "note progress") : null;',
    'return forRunTab(tabId, { type: "progress" }, "note progress");',
  ],
  [
    "background/main.js",
    "chosen settings must be a list",
    "if (Array.isArray(message.chosen)) await storeChoices",
    "await storeChoices",
  ],
  [
    "background/main.js",
    "chosen settings must be known rules",
    "storeChoices({ chosen: knownRuleIds(message.chosen) })",
    "storeChoices({ chosen: message.chosen })",
  ],
  [
    "background/main.js",
    "automatic must be a boolean",
    'if (typeof message.automatic === "boolean")\n      await storeChoices',
    "await storeChoices",
  ],
  [
    "background/record.js",
    "a result must be an object",
    'if (typeof raw !== "object" || raw === null) return null;',
    "",
  ],
  [
    "background/record.js",
    "the outcome must be in the vocabulary",
    "!Object.hasOwn(OUTCOME_KINDS, raw.outcome) || ",
    "",
  ],
  [
    "background/record.js",
    "the path must be a page of the rule",
    " || !pages.has(raw.path)) return null;",
    ") return null;",
  ],
  [
    "background/record.js",
    "the reason must be in the vocabulary",
    "if (raw.reason !== undefined && !REASONS.includes(raw.reason)) return null;",
    "",
  ],
  [
    "background/record.js",
    "the strategy must be one of the rule's steps",
    "if (raw.strategy !== undefined && !RULE_STRATEGIES.get(raw.rule).has(raw.strategy)) return null;",
    "",
  ],
  [
    "background/record.js",
    "clicks must be a count a visit can make",
    "if (raw.clicks !== undefined && !isClicks(raw.clicks)) return null;",
    "",
  ],
  [
    "background/record.js",
    "the page language is stored as its language part only",
    'const lang = typeof raw.lang === "string" ? reportedLanguage(raw.lang, knowledge) : null;',
    'const lang = typeof raw.lang === "string" ? raw.lang : null;',
  ],
  [
    "background/record.js",
    "only known fields are kept",
    "const result = { rule: raw.rule, outcome: raw.outcome, path: raw.path };",
    "const result = { ...raw };",
  ],
  [
    "background/record.js",
    "a page cannot set the proof",
    'if (raw.proof === "page") result.proof = "page";',
    "if (raw.proof !== undefined) result.proof = raw.proof;",
  ],
  [
    "background/record.js",
    "a page's proof comes only with an off outcome",
    'if (\n    raw.proof !== undefined &&\n    raw.proof !== "reload" &&\n    !(isOff(raw.outcome) && raw.proof === "page")\n  )\n    return null;',
    "",
  ],
  [
    "background/record.js",
    "the background builds the outline from the facts before storing",
    "result.diagnostics = outlineOf(raw.facts, knowledge);",
    "result.diagnostics = raw.facts;",
  ],
  [
    "background/record.js",
    "an outline a page sends is not taken",
    "result.diagnostics = outlineOf(raw.facts, knowledge);",
    "result.diagnostics = raw.diagnostics ?? outlineOf(raw.facts, knowledge);",
  ],
  [
    "lib/facts.js",
    "the content script cuts every text it sends",
    'typeof value === "string" ? value.slice(0, TEXT_MAX) : value,',
    "value,",
  ],
  [
    "lib/outline.js",
    "outline texts must be texts the extension ships, or shapes",
    'ariaLabel: typeof item.ariaLabel === "string" ? reportedText(item.ariaLabel, knowledge) : null,',
    "ariaLabel: item.ariaLabel ?? null,",
  ],
  [
    "lib/outline.js",
    "heading texts must be texts the extension ships, or shapes",
    "text: reportedText(heading?.text, knowledge),",
    "text: heading?.text,",
  ],
  [
    "lib/allowlist.js",
    "a text is reported as one the extension ships, or as its shape",
    "return knowledge.texts.get(normalizeText(page)) ?? textShape(page);",
    "return knowledge.texts.get(normalizeText(page)) ?? page;",
  ],
  [
    "lib/outline.js",
    "outline ids must be the rule data's or shapes",
    "id: reportedId(item.id, knowledge),",
    "id: item.id ?? null,",
  ],
  [
    "lib/outline.js",
    "outline roles must be known tokens",
    "role: reportedRole(item.role),",
    "role: item.role ?? null,",
  ],
  [
    "lib/outline.js",
    "outline tags must be known tokens",
    "tag: reportedTag(item.tag),",
    "tag: item.tag ?? OTHER,",
  ],
  [
    "lib/outline.js",
    "state mirrors hold states",
    'state[name] = value === "on" || value === "off" ? value : value === "unknown" ? OTHER : null;',
    "state[name] = value ?? null;",
  ],
  [
    "lib/outline.js",
    "outline lists are cut to size",
    "const list = (value, max) => (Array.isArray(value) ? value.slice(0, max) : []);",
    "const list = (value) => (Array.isArray(value) ? value : []);",
  ],
  [
    "lib/outline.js",
    "outline flags must be booleans",
    "    disabled: item.disabled === true,\n    busy: item.busy === true,\n    candidate: item.candidate === true,",
    "    disabled: item.disabled ?? false,\n    busy: item.busy === true,\n    candidate: item.candidate === true,",
  ],
  [
    "background/record.js",
    "proof is kept beyond the cap",
    "const kept = (line) =>\n    isProofEntry(line) && ",
    "const kept = (line) =>\n    false && ",
  ],
  [
    "background/record.js",
    "each switching off is a line of its own",
    'entry.outcome !== "turned-off" && ',
    "",
  ],
  [
    "background/storage.js",
    "history must be a list",
    "if (!Array.isArray(value)) return { value: undefined, damaged: true };\n  const kept = value.filter(isStoredResult);",
    "const kept = Array.from(value ?? []);",
  ],
  [
    "background/storage.js",
    "history entries must be results",
    "const kept = value.filter(isStoredResult);",
    "const kept = value;",
  ],
  [
    "background/storage.js",
    "a stored result's outcome must be in the vocabulary",
    "    Object.hasOwn(OUTCOME_KINDS, entry.outcome) &&\n",
    "",
  ],
  [
    "background/storage.js",
    "automatic must be a boolean in storage",
    'automatic: whole((value) => typeof value === "boolean"),',
    "automatic: whole(() => true),",
  ],
  [
    "background/storage.js",
    "a repair is noted for the popup",
    "await api.storage.local.set({ repaired: true });",
    "",
  ],
  [
    "background/storage.js",
    "a damaged run is dropped",
    "session: { run: whole(isRun) },",
    "session: { run: whole(() => true) },",
  ],
  [
    "background/navigation.js",
    "a sign-in page counts after a settings page only",
    "if (previous && isSettingsUrl(previous)) return true;",
    "if (previous) return true;",
  ],
  [
    "background/navigation.js",
    "a sign-in page counts in the run's own tab only",
    "return (await currentRun())?.tabId === tabId;",
    "return true;",
  ],
  [
    "background/navigation.js",
    "a page whose URL the browser withholds resets what the tab shows",
    'if (change.status === "loading" && typeof tab?.url !== "string") shownUrl.set(tabId, null);',
    "",
  ],
  [
    "background/runstate.js",
    "an off in the run's own tab is checked on a fresh load",
    "if (run.opened && !run.readOnly && isOff(result.outcome) && !event.seenByBackground) {",
    "if (false) {",
  ],
  [
    "background/runstate.js",
    "the fresh load is only read",
    "return run.readOnly || CHECKING.has(run.state);",
    "return run.readOnly;",
  ],
  [
    "background/runstate.js",
    "no more tries than a visit may click",
    "!run.readOnly && run.saves < MAX_CLICKS",
    "!run.readOnly",
  ],
  [
    "background/runstate.js",
    "only off after a fresh load is verified",
    "if (isOff(read.outcome)) {",
    "if (true) {",
  ],
  [
    "background/visits.js",
    "a fresh load is given the read plan",
    'if (readsOnly(run, tabId)) return "read";',
    "",
  ],
  [
    "background/runs.js",
    "a scheduled check with automatic mode off only reads",
    "const readOnly = automatic === false;",
    "const readOnly = false;",
  ],
  [
    "background/runstate.js",
    "a read-only check (Confirm too) never tries again (which clicks)",
    'result.outcome === "on" && !run.readOnly && ',
    'result.outcome === "on" && ',
  ],
  [
    "background/runstate.js",
    "a read-only check records on as it read it",
    'if (read.outcome !== "on" || run.readOnly) return read;',
    'if (read.outcome !== "on") return read;',
  ],
  [
    "background/runstate.js",
    "only a setting off before the check is marked as switched back on",
    "const backOn = foundOn && run.offBefore.includes(result.rule);",
    "const backOn = foundOn;",
  ],
  [
    "background/runstate.js",
    "a scheduled check's sign-in page leaves the latest results alone",
    'const quiet = run.kind === "scheduled" && result.outcome === "signed-out";',
    "const quiet = false;",
  ],
  [
    "background/runstate.js",
    "a scheduled check leaves no sign-in tab open",
    '(signedOut && run.kind !== "scheduled")',
    "signedOut",
  ],
  [
    "background/runstate.js",
    "a run that ends closes the tab it opened",
    'if (run.opened && !keepOpen) after.push({ do: "close-tab" });',
    "",
  ],
  [
    "background/runstate.js",
    "a scheduled check that could not run gives its due time back",
    'after.push({ do: "keep-due", due: run.dueBefore });',
    "",
  ],
  [
    "background/runstate.js",
    "the member's change in the run's tab ends the run as theirs",
    'const isMembers = (result) => result.reason === "changed-by-member";',
    "const isMembers = () => false;",
  ],
  [
    "background/runstate.js",
    "a fresh load reading neither on nor off goes beside the page's off",
    'const beside = run.pageResult !== null && !isOff(result.outcome) && result.outcome !== "on";',
    "const beside = false;",
  ],
  [
    "background/runstate.js",
    "a line after the page's off leaves that off the latest result",
    "const recordOnly = run.pageResult !== null || ",
    "const recordOnly = ",
  ],
  [
    "background/runstate.js",
    "a cancelled run's line leaves the latest result alone",
    ' || reason === "cancelled";',
    ";",
  ],
  [
    "background/runstate.js",
    "a run ended answers no event",
    "  done: {},",
    "  done: { result: resultArrived },",
  ],
  [
    "background/runs.js",
    "a run is forgotten only once its last word is stored",
    "if (next !== run && !ends) await writeRun(next);",
    "if (next !== run) await writeRun(next);",
  ],
  [
    "background/runs.js",
    "a tab sent elsewhere ends the setting as not checked",
    'await step(run, { type: "tab-left", path: pathOfSetting(run) });',
    "",
  ],
  [
    "background/record.js",
    "not offered only where the list of data-use settings rendered",
    " || !texts.some((text) => HUB_HEADINGS.has(text))",
    "",
  ],
  [
    "background/schedule.js",
    "the next due time is stored before the check runs",
    "await localStore.write({ recheck: { ...recheck, due, last: new Date(now).toISOString() } });",
    "",
  ],
  [
    "background/schedule.js",
    "a check that is not due does not run",
    "if (!isDue(recheck, now)) {",
    "if (false) {",
  ],
  [
    "background/schedule.js",
    "a due check waits while the browser is offline",
    "if (!isOnline()) {",
    "if (false) {",
  ],
  [
    "background/schedule.js",
    "a due check waits while another run goes on",
    'if (await currentRun()) {\n      await setAlarm(now + RETRY_MS);\n      return "busy";',
    "if (false) {",
  ],
  [
    "background/schedule.js",
    "only a known choice is stored",
    "if (RECHECK_CHOICES.includes(every) && every !== recheck.every) {",
    "if (every !== recheck.every) {",
  ],
  [
    "background/storage.js",
    "a damaged schedule is reset",
    "recheck: whole(isRecheck),",
    "recheck: whole(() => true),",
  ],
  [
    "background/badge.js",
    "an off tooltip says what the AI switch covers only for the AI setting",
    'return kind === "off" && latest.rule !== MAIN_RULE.id ? "offOther" : kind;',
    "return kind;",
  ],
  [
    "lib/describe.js",
    "another setting's off title says only off",
    'latest.rule === mainRule ? "stateOffTitle" : "stateOffTitleOther"',
    '"stateOffTitle"',
  ],
  [
    "lib/describe.js",
    "the copied record says what off covers",
    '[header, t("recordCovers"), ...recordLines',
    "[header, ...recordLines",
  ],
  [
    "lib/hub.js",
    "a hub row links to the site's own settings pages",
    "return url.origin === site.origin && inSettings && PLAIN_PATH.test(path) ? path : null;",
    "return path;",
  ],
  [
    "lib/hub.js",
    "a hub row's text is one bounded line",
    '.replace(/\\s+/g, " ").trim().slice(0, TEXT_MAX) : "";',
    ' : "";',
  ],
  [
    "lib/hub.js",
    "only rows no rule knows are kept",
    "return rows.filter((row) => !known.has(row.path));",
    "return rows;",
  ],
  [
    "lib/hub.js",
    "a hub's rows replace only that hub's",
    "const others = stored.filter((entry) => entry.hub !== hubPage);",
    "const others = stored;",
  ],
  [
    "lib/hub.js",
    "a report shows hub rows by their shapes",
    "({\n    text: reportedText(row.text, knowledge),\n    path: reportedPath(row.path, known),\n  })",
    "({ ...row })",
  ],
  [
    "background/hub.js",
    "rows are taken from hub pages only",
    'const hub = typeof message.path === "string" ? hubAt(message.path, SITE) : null;',
    "const hub = SITE.hubs[0];",
  ],
  [
    "background/storage.js",
    "the kept hub rows are checked",
    "value.every((row) => isObject(row) && isPath(row.hub) && isPath(row.path) && isText(row.text));",
    "true;",
  ],
  [
    "background/recordfile.js",
    "a record file must be this extension's record",
    "if (!isObject(document) || document.format !== RECORD_FORMAT)\n    return",
    "if (!isObject(document))\n    return",
  ],
  [
    "background/recordfile.js",
    "a record file must be of the format version this extension reads",
    "if (document.formatVersion !== RECORD_FORMAT_VERSION) {",
    "if (false) {",
  ],
  [
    "background/recordfile.js",
    "a record file too large is refused",
    "if (text.length > MAX_RECORD_SIZE) return",
    "if (false) return",
  ],
  [
    "background/recordfile.js",
    "every line of a record file is checked",
    "const field = lineProblem(line, savedAt, now);",
    "const field = null;",
  ],
  [
    "background/recordfile.js",
    "a record file's lines are cleaned as arriving results are",
    "if (!Object.hasOwn(base, field) && cleanResult({ ...base, [field]: value })?.[field] !== value)\n      return field;",
    "",
  ],
  [
    "background/recordfile.js",
    "a record file's proof is only as the background sets it",
    'if (proof !== undefined && !(proof === "reload" || (proof === "page" && isOff(line.outcome))))\n    return "proof";',
    "",
  ],
  [
    "background/recordfile.js",
    "a record file's lines cannot be later than its save",
    'if (!isSavedTime(at) || Date.parse(at) > Math.min(savedAt, now)) return "at";',
    'if (!isSavedTime(at)) return "at";',
  ],
  [
    "background/recordfile.js",
    "a record file's lines cannot be later than this browser's now",
    "Date.parse(at) > Math.min(savedAt, now)",
    "Date.parse(at) > savedAt",
  ],
  [
    "background/recordfile.js",
    "a restore runs in the queue that stores results",
    'await inOrder(() => restoreHistory(read.history, read.savedAt), "restore a record")',
    "await restoreHistory(read.history, read.savedAt)",
  ],
  [
    "background/recordfile.js",
    "a restored line's earlier mark is a time before the file's save",
    'if (restored !== undefined && (!isSavedTime(restored) || Date.parse(restored) > savedAt))\n    return "restored";',
    "",
  ],
  [
    "background/record.js",
    "a restored line is marked as from the file",
    "const marked = restored.map((line) => ({ ...line, restored: line.restored ?? savedAt }));",
    "const marked = restored;",
  ],
  [
    "background/record.js",
    "proof restored from files is capped",
    "const overflow = new Set(restoredProof.slice(0, -RESTORED_PROOF_LIMIT));",
    "const overflow = new Set();",
  ],
  [
    "background/recordfile.js",
    "a record file's folded lines hold a count and a last time",
    'if (folded !== (count !== undefined) || (folded && !(Number.isInteger(count) && count > 1)))\n    return "count";',
    "",
  ],
  [
    "background/record.js",
    "restored lines are merged without duplicates",
    "const key = entryKey(line);",
    "const key = line;",
  ],
  [
    "background/record.js",
    "restored lines are kept within the record's caps",
    "return withinCaps(\n    [...byKey.values()].sort((a, b) => lastSeen(a) - lastSeen(b)),\n    now,\n  );",
    "return [...byKey.values()].sort((a, b) => lastSeen(a) - lastSeen(b));",
  ],
  [
    "engine/switches.js",
    "a page-level step acts only on a switch read in the setting's sense",
    'if (STEP_KINDS[strategy]?.pageLevel && senseOfSwitch(rule, element, root) !== "same") {',
    "if (false) {",
  ],
  [
    "engine/switches.js",
    "one element answers to one rule per page",
    "if (rivals.some((rival) => findSwitches(rival, root)?.elements.includes(element))) {",
    "if (false) {",
  ],
  [
    "lib/sense.js",
    "a negation in a switch's text makes it negated",
    'if (read.some((text) => added.some((negation) => hasNegation(text, negation)))) return "negated";',
    "",
  ],
  [
    "lib/sense.js",
    "a negation the setting's own texts hold does not count",
    "const added = negations.filter((negation) => !known.some((text) => hasNegation(text, negation)));",
    "const added = negations;",
  ],
  [
    "lib/sense.js",
    "a switch sharing too little with the known texts is unrelated",
    'return known.some((text) => sharedPart(text, name) >= MIN_SHARED) ? "same" : "unrelated";',
    'return "same";',
  ],
  [
    "lib/outline.js",
    "a front end is reported only as one of the rule data's names",
    "frontEnd: knowledge.frontEnds?.has(facts.frontEnd) ? facts.frontEnd : null,",
    "frontEnd: facts.frontEnd ?? null,",
  ],
  [
    "background/recordfile.js",
    "a restored line's clicks are what a visit or a run makes",
    'if (clicks !== undefined && !(Number.isInteger(clicks) && clicks >= 0 && clicks <= mostClicks))\n    return "clicks";',
    "",
  ],
  [
    "background/recordfile.js",
    "only a run's line (read on a fresh load) counts a second try's clicks",
    'const mostClicks = proof === "reload" ? MAX_RUN_CLICKS : MAX_CLICKS;',
    "const mostClicks = MAX_RUN_CLICKS;",
  ],
  [
    "background/recordfile.js",
    "a restored check mark is a scheduled check's",
    'if (check !== undefined && check !== "scheduled") return "check";',
    "",
  ],
  [
    "background/recordfile.js",
    "a restored found-on-again mark comes only with a scheduled check's",
    'if (backOn !== undefined && (backOn !== true || check !== "scheduled")) return "backOn";',
    "",
  ],
  [
    "background/runstate.js",
    "only the fresh load's document reads for it",
    "return fromFreshLoad ? freshReading(run, event) : stay(run);",
    "return freshReading(run, event);",
  ],
  [
    "background/runstate.js",
    "the document the run reloaded is not its fresh load",
    "const isStale = (run, event) =>\n  event.doc != null && event.doc === run.staleDoc && !event.seenByBackground;",
    "const isStale = () => false;",
  ],
  [
    "background/main.js",
    "a page cannot send the background's own wrong-address line",
    'if (result && result.outcome !== "wrong-address")\n      resultArrived',
    "if (result)\n      resultArrived",
  ],
  [
    "background/ruleset.js",
    "rules of another format are not used",
    "if (data.formatVersion === RULE_FORMAT_VERSION) return data;",
    "return data;",
  ],
  [
    "lib/sense.js",
    "a switch with no text is unrelated",
    'if (read.length === 0) return "unrelated";',
    "",
  ],
];

function mutated(source, [file, what, guard, without]) {
  const count = source.split(guard).length - 1;
  if (count !== 1) {
    throw new Error(
      `mutate.js: "${what}": its text occurs ${count} times in extension/${file}, not once`,
    );
  }
  return source.replace(guard, () => without);
}

/** The property test's files (diagnostics-pages.js): its seeds are what most of the unit layer's time goes to. */
const isPropertyTest = (name) => name.startsWith("diagnostics-pages-");

/**
 * Whether a part of the unit layer fails on the copy: `entry` imports its test files into one
 * process (a second each, where `node --test` starts one per file); they share the fake
 * browser, and each test starts from cleared storage. The first failing test settles it: the
 * process is stopped there instead of running the rest.
 */
function partFails(copy, entry) {
  return new Promise((resolve) => {
    const env = { ...process.env, DIAGNOSTICS_SEEDS: "1" };
    const run = spawn(process.execPath, [join(copy, "tests/unit", entry)], {
      cwd: copy,
      env,
      stdio: ["ignore", "pipe", "ignore"],
    });
    let failed = false;
    let output = "";
    run.stdout.setEncoding("utf8");
    run.stdout.on("data", (chunk) => {
      output = (output + chunk).slice(-200);
      if (!failed && /^\s*not ok /m.test(output)) {
        failed = true;
        run.kill();
      }
    });
    run.on("close", (status) => resolve(failed || status !== 0));
  });
}

/**
 * A copy of the extension and its unit layer, with two entries: fast.mjs imports every test
 * file but the property test's, property.mjs those (run with one seed of its fifty).
 */
const TEST_FILES = readdirSync(join(ROOT, "tests/unit"))
  .filter((name) => name.endsWith(".test.js"))
  .sort();
const TEST_TEXTS = new Map(
  TEST_FILES.map((name) => [name, readFileSync(join(ROOT, "tests/unit", name), "utf8")]),
);
const entry = (names) => names.map((name) => `import "./${name}";\n`).join("");

function makeCopy() {
  const copy = mkdtempSync(join(tmpdir(), "mutate-"));
  for (const part of ["extension", "tests/unit", "package.json"])
    cpSync(join(ROOT, part), join(copy, part), { recursive: true });
  writeFileSync(
    join(copy, "tests/unit/fast.mjs"),
    entry(TEST_FILES.filter((name) => !isPropertyTest(name))),
  );
  writeFileSync(join(copy, "tests/unit/property.mjs"), entry(TEST_FILES.filter(isPropertyTest)));
  return copy;
}

/**
 * The fast part's files for a mutation of `file`: those that name its module first (their
 * tests most likely fail first, and the run stops at the first failure), then all the rest.
 * Every file still runs when none fails: the order changes only how soon a failure shows.
 */
function fastFilesFor(file) {
  const module = file.split("/").pop();
  const fast = TEST_FILES.filter((name) => !isPropertyTest(name));
  const names = (name) => TEST_TEXTS.get(name).includes(module);
  return [...fast.filter(names), ...fast.filter((name) => !names(name))];
}

/** Whether the unit layer fails on the copy: its fast part first, the property test only when that passes. */
async function unitLayerFails(copy) {
  return (await partFails(copy, "fast.mjs")) || (await partFails(copy, "property.mjs"));
}

/** Applies each mutation in turn to one copy; resolves to the mutations no test noticed. */
async function worker(copy, queue, missed) {
  for (let mutation = queue.shift(); mutation; mutation = queue.shift()) {
    const path = join(copy, "extension", mutation[0]);
    const source = readFileSync(path, "utf8");
    writeFileSync(join(copy, "tests/unit/fast.mjs"), entry(fastFilesFor(mutation[0])));
    writeFileSync(path, mutated(source, mutation));
    const caught = await unitLayerFails(copy);
    writeFileSync(path, source);
    console.log(`${caught ? "caught" : "MISSED"}  ${mutation[0]}: ${mutation[1]}`);
    if (!caught) missed.push(mutation);
  }
}

/** Every mutation's text must occur once before any copy is made: a mistake shows in a second. */
function checkMutations() {
  for (const mutation of MUTATIONS)
    mutated(readFileSync(join(ROOT, "extension", mutation[0]), "utf8"), mutation);
}

async function main() {
  try {
    checkMutations();
  } catch (error) {
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  const copies = Array.from({ length: Math.min(2, availableParallelism()) }, makeCopy);
  try {
    if (await unitLayerFails(copies[0])) {
      console.error("mutate.js: the unit layer fails without any mutation");
      process.exitCode = 2;
      return;
    }
    const queue = [...MUTATIONS];
    const missed = [];
    try {
      await Promise.all(copies.map((copy) => worker(copy, queue, missed)));
    } catch (error) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    console.log(`guards mutated: ${MUTATIONS.length}, caught: ${MUTATIONS.length - missed.length}`);
    process.exitCode = missed.length === 0 ? 0 : 1;
  } finally {
    for (const copy of copies) rmSync(copy, { recursive: true, force: true });
  }
}

await main();
