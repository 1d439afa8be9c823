/* The page outline of a diagnostics report, made of what lib/allowlist.js lets through. The
   background makes it, before anything is stored, from the facts the content script read in
   the settings app and sent with its result (engine/facts.js): whatever those facts hold, the
   outline has no text of the page's own. Pure: no DOM, no browser. */

import {
  OTHER,
  reportedId,
  reportedRole,
  reportedTag,
  reportedText,
  reportedTristate,
  reportedType,
} from "./allowlist.js";
import { HEADINGS_MAX, LABELS_MAX, SWITCHES_MAX } from "./facts.js";

const STRATEGIES_MAX = 50;
const COUNT_MAX = 99999;

const ARIA_STATES = { true: "on", false: "off", mixed: "mixed", [OTHER]: OTHER };

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
  return list(value, STRATEGIES_MAX).filter(
    (name) => typeof name === "string" && knowledge.strategies.has(name),
  );
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
    name:
      item.candidate === true && typeof item.name === "string" && item.name !== ""
        ? reportedText(item.name, knowledge)
        : null,
    heading:
      Number.isInteger(item.heading) && item.heading >= 0 && item.heading < headingCount
        ? item.heading
        : null,
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
  facts = typeof facts === "object" && facts !== null ? facts : {};
  const headings = list(facts.headings, HEADINGS_MAX).map((heading) => ({
    level: headingLevel(heading?.tag, heading?.ariaLevel),
    text: reportedText(heading?.text, knowledge),
  }));
  const switches = list(facts.switches, SWITCHES_MAX).map((item) =>
    switchOutline(
      typeof item === "object" && item !== null ? item : {},
      headings.length,
      knowledge,
    ),
  );
  return {
    frontEnd: knowledge.frontEnds?.has(facts.frontEnd) ? facts.frontEnd : null,
    app: {
      found: facts.appFound === true,
      headingCount: Math.max(count(facts.headingCount), headings.length),
      headings,
      switchCount: Math.max(count(facts.switchCount), switches.length),
      switches,
      switchLikeOutside: count(facts.switchLikeOutside),
    },
    strategies: list(facts.strategies, STRATEGIES_MAX)
      .filter((tried) => knowledge.strategies.has(tried?.strategy))
      .map((tried) => ({ strategy: tried.strategy, matches: count(tried.matches) })),
  };
}
