/* The page outline of a diagnostics report, made of what lib/allowlist.js lets through.
   outlineOf turns the facts the content script read from the settings app (engine/facts.js)
   into the outline; cleanOutline rebuilds an outline that arrived in a message, field by
   field, keeping only values the allow-list could have produced. Pure: no DOM, no browser. */

import {
  isReportedId, isReportedRole, isReportedTag, isReportedText, isReportedType, OTHER,
  reportedId, reportedRole, reportedTag, reportedText, reportedTristate, reportedType,
} from "./allowlist.js";

export const HEADINGS_MAX = 40;
export const SWITCHES_MAX = 40;
export const LABELS_MAX = 10;
const STRATEGIES_MAX = 50;
const COUNT_MAX = 99999;

/** What a mirror of a switch's state reads: on, off, mixed (aria), another value, or nothing. */
const STATES = new Set(["on", "off", "mixed", OTHER]);
const ARIA_STATES = { true: "on", false: "off", mixed: "mixed", [OTHER]: OTHER };
/** The state mirrors every switch has a place for; the site's own come from its rule data. */
const STANDARD_MIRRORS = ["checked", "aria-checked", "aria-pressed"];
/** Where an element named by aria-labelledby is: in the settings app (its text is read), outside it, or nowhere. */
const TARGETS = new Set(["app", "outside", "missing"]);

const isCount = (value) => Number.isInteger(value) && value >= 0 && value <= COUNT_MAX;
const count = (value) => (isCount(value) ? value : 0);
const list = (value, max) => (Array.isArray(value) ? value.slice(0, max) : []);

function headingLevel(tag, ariaLevel) {
  const fromTag = /^h([1-6])$/i.exec(tag ?? "");
  if (fromTag) return Number(fromTag[1]);
  return /^[1-9]$/.test(ariaLevel ?? "") ? Number(ariaLevel) : null;
}

function ariaState(value) {
  const token = reportedTristate(value);
  return token === null ? null : ARIA_STATES[token];
}

/** Each mirror's reading and whether they tell different states. */
function stateOf(item, knowledge) {
  const state = {
    checked: typeof item.checked === "boolean" ? (item.checked ? "on" : "off") : null,
    "aria-checked": ariaState(item.ariaChecked),
    "aria-pressed": ariaState(item.ariaPressed),
  };
  for (const name of knowledge.mirrors) {
    const value = item.mirrors?.[name];
    state[name] = value === "on" || value === "off" ? value : value === "unknown" ? OTHER : null;
  }
  return state;
}

function disagree(state) {
  return new Set(Object.values(state).filter((value) => value !== null)).size > 1;
}

function strategiesOf(value, knowledge) {
  return list(value, STRATEGIES_MAX)
    .filter((name) => typeof name === "string" && knowledge.strategies.has(name));
}

function labelTarget(target, knowledge) {
  const inApp = target?.where === "app" && typeof target.text === "string";
  return {
    id: reportedId(target?.id, knowledge) ?? OTHER,
    target: inApp ? "app" : target?.where === "outside" ? "outside" : "missing",
    text: inApp ? reportedText(target.text, knowledge) : null,
  };
}

function switchOutline(item, headingCount, knowledge) {
  const targets = list(item.labelledBy, LABELS_MAX);
  const labelledBy = targets.map((target) => labelTarget(target, knowledge));
  const joined = targets
    .map((target, index) => (labelledBy[index].target === "app" ? target.text : ""))
    .join(" ");
  const state = stateOf(item, knowledge);
  return {
    tag: reportedTag(item.tag),
    id: reportedId(item.id, knowledge),
    role: reportedRole(item.role),
    type: reportedType(item.type),
    state,
    mirrorsDisagree: disagree(state),
    disabled: item.disabled === true,
    busy: item.busy === true,
    candidate: item.candidate === true,
    name: item.candidate === true && typeof item.name === "string" && item.name !== "" ? reportedText(item.name, knowledge) : null,
    heading: Number.isInteger(item.heading) && item.heading < headingCount ? item.heading : null,
    labelledBy,
    labelledByText: labelledBy.length > 1 ? reportedText(joined, knowledge) : null,
    ariaLabel: typeof item.ariaLabel === "string" ? reportedText(item.ariaLabel, knowledge) : null,
    title: typeof item.title === "string" ? reportedText(item.title, knowledge) : null,
    labels: list(item.labels, LABELS_MAX)
      .filter((label) => typeof label === "string")
      .map((label) => reportedText(label, knowledge)),
    matchedBy: strategiesOf(item.matchedBy, knowledge),
  };
}

/**
 * The outline of the settings app from the facts read there: its headings and switch-like
 * elements with nothing of the page's own text, and what the rule's steps matched on the page.
 */
export function outlineOf(facts, knowledge) {
  const headings = list(facts.headings, HEADINGS_MAX).map((heading) => ({
    level: headingLevel(heading?.tag, heading?.ariaLevel),
    text: reportedText(heading?.text, knowledge),
  }));
  const switches = list(facts.switches, SWITCHES_MAX).map((item) =>
    switchOutline(item ?? {}, headings.length, knowledge),
  );
  return {
    app: {
      found: facts.appFound === true,
      headingCount: Array.isArray(facts.headings) ? Math.min(facts.headings.length, COUNT_MAX) : 0,
      headings,
      switchCount: Array.isArray(facts.switches) ? Math.min(facts.switches.length, COUNT_MAX) : 0,
      switches,
      switchLikeOutside: count(facts.switchLikeOutside),
    },
    strategies: list(facts.strategies, STRATEGIES_MAX)
      .filter((tried) => knowledge.strategies.has(tried?.strategy))
      .map((tried) => ({ strategy: tried.strategy, matches: count(tried.matches) })),
  };
}

// ---- the background's check of an outline a content script sent ----

const keep = (value, valid, fallback = null) => (valid(value) ? value : fallback);

function cleanState(raw, knowledge) {
  const state = {};
  for (const name of [...STANDARD_MIRRORS, ...knowledge.mirrors]) {
    state[name] = keep(raw?.[name], (value) => STATES.has(value));
  }
  return state;
}

function cleanSwitch(raw, headingCount, knowledge) {
  const text = (value) => keep(value, (item) => isReportedText(item, knowledge));
  const state = cleanState(raw?.state, knowledge);
  return {
    tag: keep(raw?.tag, isReportedTag, OTHER),
    id: keep(raw?.id, (value) => isReportedId(value, knowledge)),
    role: keep(raw?.role, isReportedRole),
    type: keep(raw?.type, isReportedType),
    state,
    mirrorsDisagree: disagree(state),
    disabled: raw?.disabled === true,
    busy: raw?.busy === true,
    candidate: raw?.candidate === true,
    name: raw?.candidate === true ? text(raw?.name) : null,
    heading: keep(raw?.heading, (value) => Number.isInteger(value) && value >= 0 && value < headingCount),
    labelledBy: list(raw?.labelledBy, LABELS_MAX).map((target) => {
      const where = keep(target?.target, (value) => TARGETS.has(value), "missing");
      return {
        id: keep(target?.id, (value) => isReportedId(value, knowledge), OTHER),
        target: where,
        text: where === "app" ? text(target?.text) : null,
      };
    }),
    labelledByText: text(raw?.labelledByText),
    ariaLabel: text(raw?.ariaLabel),
    title: text(raw?.title),
    labels: list(raw?.labels, LABELS_MAX).map(text).filter((label) => label !== null),
    matchedBy: strategiesOf(raw?.matchedBy, knowledge),
  };
}

/** An outline rebuilt from what is allowed, whatever else was sent; undefined for no object. */
export function cleanOutline(raw, knowledge) {
  if (typeof raw !== "object" || raw === null) return undefined;
  const app = raw.app ?? {};
  const headings = list(app.headings, HEADINGS_MAX).map((heading) => ({
    level: keep(heading?.level, (value) => Number.isInteger(value) && value >= 1 && value <= 9),
    text: keep(heading?.text, (value) => isReportedText(value, knowledge), OTHER),
  }));
  return {
    app: {
      found: app.found === true,
      headingCount: Math.max(count(app.headingCount), headings.length),
      headings,
      switchCount: Math.max(count(app.switchCount), list(app.switches, SWITCHES_MAX).length),
      switches: list(app.switches, SWITCHES_MAX).map((item) => cleanSwitch(item, headings.length, knowledge)),
      switchLikeOutside: count(app.switchLikeOutside),
    },
    strategies: list(raw.strategies, STRATEGIES_MAX)
      .filter((tried) => knowledge.strategies.has(tried?.strategy) && isCount(tried?.matches))
      .map((tried) => ({ strategy: tried.strategy, matches: tried.matches })),
  };
}

