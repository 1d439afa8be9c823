/* The diagnostics report a member copies from the popup: one JSON document, made from the
   stored result (which the background checked against the allow-list), and lines for people
   made from that document alone. `python build.py check-rules` reads the document, never the
   lines. Pure functions: no DOM, no browser. */

import { coarseTime, OTHER } from "./allowlist.js";

const REPORT_NAME = "linkedin-ai-optout diagnostics";
const REPORT_FORMAT = 2;
/** The line between the lines for people and the document. */
const DOCUMENT_MARK = "--- the report (python build.py check-rules reads this part) ---";

const EMPTY_OUTLINE = {
  frontEnd: null,
  app: {
    found: false,
    headingCount: 0,
    headings: [],
    switchCount: 0,
    switches: [],
    switchLikeOutside: 0,
  },
  strategies: [],
};

/** "Firefox 153.0" or "Chrome 156.0.8078.108", from the user agent. */
function browserName(userAgent) {
  const match = /(Firefox|Chrome)\/([\d.]{1,20})/.exec(userAgent ?? "");
  return match ? `${match[1]} ${match[2]}` : "unknown browser";
}

/**
 * The report as one JSON document: the extension and browser, the result (its time to the
 * hour), the outline of the settings app, and the privacy hub's rows no rule knows (`hubRows`,
 * outlined by the background: lib/hub.js reportedRows). `latest` is a stored result: the
 * background has checked every field of it.
 */
export function diagnosticsDocument(latest, { version, userAgent, browserLanguage }, hubRows = []) {
  const outline = latest.diagnostics ?? EMPTY_OUTLINE;
  return {
    report: REPORT_NAME,
    format: REPORT_FORMAT,
    extension: version,
    browser: browserName(userAgent),
    browserLanguage,
    page: latest.path,
    pageLanguage: latest.lang ?? null,
    rule: latest.rule,
    outcome: latest.outcome,
    reason: latest.reason ?? null,
    foundBy: latest.strategy ?? null,
    frontEnd: outline.frontEnd ?? null,
    at: coarseTime(latest.at),
    app: outline.app,
    strategies: outline.strategies,
    hub: { unknownSettings: hubRows },
  };
}

/**
 * Strategies a maintainer should hear about: a page-level step found it, the precise ones did not.
 */
const FOUND_BY = {
  "only-switch": "only-switch (the page's only switch: the precise steps need a fix)",
};
const TARGET_WORDS = {
  outside: "(an element outside the settings app)",
  missing: "(no such element)",
};
const quoted = (text) => (text.startsWith("‹") ? text : JSON.stringify(text));
const plural = (count, word, words = `${word}s`) => `${count} ${count === 1 ? word : words}`;
const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const amount = (count) => NUMBER_WORDS[count] ?? String(count);

/** How a switch is named: by the text the rule's label-text steps compare (its name). */
function labelling(item) {
  if (item.name === null) return "with no text";
  if (item.name.startsWith("‹")) return `labelled by an unknown text (${item.name})`;
  return `labelled by a known text (${quoted(item.name)})`;
}

/** What the rule's steps look at (the engine's switch-like elements). */
const isSwitch = (item) => item.candidate;

/** In a few words, what the outline shows: "one switch, labelled by an unknown text (…)". */
function outlineSummary(document) {
  const { app } = document;
  if (!app.found) return "the settings app was not on the page";
  const switches = app.switches.filter(isSwitch);
  const others = app.switches.length - switches.length;
  const rest = others > 0 ? ` (and ${plural(others, "other switch-like element")})` : "";
  if (switches.length === 0) return `no switch in the settings app${rest}`;
  if (switches.length === 1) return `one switch, ${labelling(switches[0])}${rest}`;
  const known = switches.filter((item) => item.name !== null && !item.name.startsWith("‹"));
  const labelled = known.length === 0 ? "none" : amount(known.length);
  return `${amount(switches.length)} switches, ${labelled} of them labelled by a known text${rest}`;
}

function stateLine(item) {
  const read = Object.entries(item.state)
    .filter(([, value]) => value !== null)
    .map(([mirror, value]) => `${mirror} ${value}`);
  if (read.length === 0) return "state: nothing to read it from";
  return `state: ${read.join(", ")}${item.mirrorsDisagree ? " — THE MIRRORS DISAGREE" : ""}`;
}

function switchLines(item, index) {
  const attributes = [
    item.role !== null && `role=${item.role}`,
    item.type !== null && `type=${item.type}`,
    item.id !== null && `id ${quoted(item.id)}`,
    item.disabled && "disabled",
    item.busy && "busy",
  ].filter(Boolean);
  const under = item.heading === null ? "under no heading" : `under heading ${item.heading + 1}`;
  const lines = [`  ${index + 1}. ${[item.tag, ...attributes].join(", ")}; ${under}`];
  lines.push(`     ${stateLine(item)}`);
  const name = item.name === null ? "none" : quoted(item.name);
  lines.push(
    item.candidate
      ? `     its text (what label-text steps compare): ${name}`
      : "     not a switch the rule's steps look at",
  );
  for (const target of item.labelledBy) {
    const text = TARGET_WORDS[target.target] ?? quoted(target.text ?? OTHER);
    lines.push(`     aria-labelledby ${quoted(target.id)} → ${text}`);
  }
  if (item.labelledByText)
    lines.push(`     aria-labelledby together → ${quoted(item.labelledByText)}`);
  if (item.ariaLabel) lines.push(`     aria-label → ${quoted(item.ariaLabel)}`);
  if (item.title) lines.push(`     title → ${quoted(item.title)}`);
  for (const label of item.labels) lines.push(`     <label> → ${quoted(label)}`);
  const matchedBy = item.matchedBy.length > 0 ? item.matchedBy.join(", ") : "no step of the rule";
  lines.push(`     matched by: ${matchedBy}`);
  return lines;
}

function timeLine(at) {
  if (!at) return "an unknown time";
  const hour = String(at.hour).padStart(2, "0");
  return `${at.date} between ${hour}:00 and ${hour}:59 UTC`;
}

function hubLines(rows) {
  if (rows.length === 0) return [];
  const listed = rows.map((row, index) => `  ${index + 1}. ${quoted(row.text)} at ${row.path}`);
  return [`The privacy hub lists ${plural(rows.length, "setting")} no rule knows:`, ...listed];
}

/** The report for people: lines made from the document alone. */
function reportLines(document) {
  const { app } = document;
  const headings = app.headings.map((heading, index) => {
    const level = heading.level === null ? "heading" : `h${heading.level}`;
    return `  ${index + 1}. ${level} ${quoted(heading.text)}`;
  });
  const reason = document.reason ? ` (${document.reason})` : "";
  const foundBy = FOUND_BY[document.foundBy] ?? document.foundBy ?? "nothing";
  return [
    "LinkedIn AI Opt-Out diagnostics",
    "Texts in ‹…› are withheld: they are the page's own " +
      "(names, addresses, anything the extension",
    "does not ship), shown only by their shape.",
    `Extension: ${document.extension}`,
    `Browser: ${document.browser}, language ${document.browserLanguage}`,
    `Page: ${document.page}, language ${document.pageLanguage ?? "unknown"}, ` +
      `front end ${document.frontEnd ?? "unknown"}`,
    `Result: ${document.outcome}${reason}, ${timeLine(document.at)}`,
    `Rule: ${document.rule}, found by: ${foundBy}`,
    `In short: ${outlineSummary(document)}`,
    "Strategies tried (whole page):",
    ...document.strategies.map(
      (tried) => `  ${tried.strategy}: ${plural(tried.matches, "match", "matches")}`,
    ),
    `Settings app: ${app.found ? "found" : "not found"}; ${plural(app.headingCount, "heading")}, ` +
      `${plural(app.switchCount, "switch-like element")}` +
      (app.switchLikeOutside > 0
        ? ` (and ${app.switchLikeOutside} outside it, not described)`
        : ""),
    ...(headings.length > 0 ? ["Headings:", ...headings] : []),
    ...(app.switches.length > 0 ? ["Switch-like elements:"] : []),
    ...app.switches.flatMap(switchLines),
    ...hubLines(document.hub.unknownSettings),
  ];
}

/** What "Copy diagnostics" copies: the lines for people, then the document. */
export function copiedReport(document) {
  return [...reportLines(document), "", DOCUMENT_MARK, JSON.stringify(document, null, 1), ""].join(
    "\n",
  );
}
