/* What a diagnostics report may say about a page. A page's own text never reaches it: a text
   is reported only when it is one the extension ships (a rule's label or heading, a known UI
   word from the rule data), an id only when the rule data has it, an attribute value only when
   it is a token of a fixed list. Everything else becomes its shape, in ‹…›: "‹text 52 chars,
   Latin, 9 words›", "‹id 12 chars›", "‹other›". The background applies this to the facts a
   content script sent before anything is stored (lib/outline.js), and check-rules reads the
   same shapes. */

import { mirrorName } from "./facts.js";
import { normalizeText } from "./text.js";

/** What a withheld token is reported as. */
export const OTHER = "‹other›";

/** WAI-ARIA 1.2 roles (and the DPUB and graphics roles' common ones are not needed here). */
const ARIA_ROLES = new Set([
  "alert",
  "alertdialog",
  "application",
  "article",
  "banner",
  "blockquote",
  "button",
  "caption",
  "cell",
  "checkbox",
  "code",
  "columnheader",
  "combobox",
  "complementary",
  "contentinfo",
  "definition",
  "deletion",
  "dialog",
  "directory",
  "document",
  "emphasis",
  "feed",
  "figure",
  "form",
  "generic",
  "grid",
  "gridcell",
  "group",
  "heading",
  "img",
  "insertion",
  "link",
  "list",
  "listbox",
  "listitem",
  "log",
  "main",
  "mark",
  "marquee",
  "math",
  "menu",
  "menubar",
  "menuitem",
  "menuitemcheckbox",
  "menuitemradio",
  "meter",
  "navigation",
  "none",
  "note",
  "option",
  "paragraph",
  "presentation",
  "progressbar",
  "radio",
  "radiogroup",
  "region",
  "row",
  "rowgroup",
  "rowheader",
  "scrollbar",
  "search",
  "searchbox",
  "separator",
  "slider",
  "spinbutton",
  "status",
  "strong",
  "subscript",
  "superscript",
  "switch",
  "tab",
  "table",
  "tablist",
  "tabpanel",
  "term",
  "textbox",
  "time",
  "timer",
  "toolbar",
  "tooltip",
  "tree",
  "treegrid",
  "treeitem",
]);

/** The values of <input type>. */
const INPUT_TYPES = new Set([
  "button",
  "checkbox",
  "color",
  "date",
  "datetime-local",
  "email",
  "file",
  "hidden",
  "image",
  "month",
  "number",
  "password",
  "radio",
  "range",
  "reset",
  "search",
  "submit",
  "tel",
  "text",
  "time",
  "url",
  "week",
]);

/** HTML's element names (custom elements are named by the page: they are withheld). */
const HTML_TAGS = new Set([
  "a",
  "abbr",
  "address",
  "article",
  "aside",
  "b",
  "bdi",
  "bdo",
  "blockquote",
  "body",
  "button",
  "caption",
  "cite",
  "code",
  "dd",
  "del",
  "details",
  "dfn",
  "dialog",
  "div",
  "dl",
  "dt",
  "em",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "i",
  "img",
  "input",
  "ins",
  "kbd",
  "label",
  "legend",
  "li",
  "main",
  "mark",
  "menu",
  "meter",
  "nav",
  "ol",
  "optgroup",
  "option",
  "output",
  "p",
  "pre",
  "progress",
  "q",
  "s",
  "samp",
  "search",
  "section",
  "select",
  "small",
  "span",
  "strong",
  "sub",
  "summary",
  "sup",
  "svg",
  "table",
  "tbody",
  "td",
  "textarea",
  "tfoot",
  "th",
  "thead",
  "time",
  "tr",
  "u",
  "ul",
  "var",
]);

/** aria-checked and aria-pressed. */
const TRISTATE = new Set(["true", "false", "mixed"]);

/**
 * A language tag as BCP 47 writes it. Only its language (2 or 3 letters) is reported, or the
 * whole tag when the rule data uses it ("pt-BR"): the subtags after the language can spell a
 * name ("jan-Kowalski").
 */
const LANGUAGE_TAG = /^([a-z]{2,3})(?:-[a-z0-9]{2,8})*$/i;

/** The scripts a text shape names (Unicode Script property); others count as "other script". */
const SCRIPTS = [
  "Latin",
  "Greek",
  "Cyrillic",
  "Armenian",
  "Hebrew",
  "Arabic",
  "Devanagari",
  "Bengali",
  "Tamil",
  "Thai",
  "Georgian",
  "Hangul",
  "Hiragana",
  "Katakana",
  "Han",
  "Ethiopic",
];
const SCRIPT_CLASSES = SCRIPTS.map((name) => `\\p{Script=${name}}`).join("");
/** Every kind of character a text shape can name, in the order it names them: the scripts,
    then digits, punctuation and symbols, anything else. */
const KIND_PATTERNS = [
  ...SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, "u")]),
  ["digits", /\p{Nd}/u],
  ["symbols", /(?![\s\p{Nd}])[\p{Script=Common}\p{Script=Inherited}]/u],
  [
    "other script",
    new RegExp(`[^\\s\\p{Nd}\\p{Script=Common}\\p{Script=Inherited}${SCRIPT_CLASSES}]`, "u"),
  ],
];

/** Longest length a shape reports; longer texts are reported as this long. */
const LENGTH_MAX = 99999;

/** The kinds of character in a text, in a fixed order (a digit of a script counts for both). */
function characterKinds(text) {
  return KIND_PATTERNS.filter(([, pattern]) => text.match(pattern)).map(([kind]) => kind);
}

const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** "‹text 52 chars, Latin, 9 words›": what a text the extension does not know is reported as. */
function textShape(text) {
  const normalized = normalizeText(text ?? "");
  if (normalized === "") return "‹empty text›";
  const chars = Math.min([...normalized].length, LENGTH_MAX);
  const words = Math.min(normalized.split(" ").length, LENGTH_MAX);
  const kinds = characterKinds(normalized).join(", ");
  return `‹text ${plural(chars, "char")}, ${kinds}, ${plural(words, "word")}›`;
}

/** "‹id 12 chars›": what an id the rule data does not have is reported as. */
function idShape(id) {
  return `‹id ${plural(Math.min([...id].length, LENGTH_MAX), "char")}›`;
}

/**
 * What the extension ships, to tell a page's own texts and ids from known ones: the rules' label
 * texts, headings and ids, the site's known UI texts (`knownTexts`), the strategies the rules'
 * steps are named by and the state mirrors (`stateMirrors`, of the site or sent with a rule)
 * the site's toggles may have.
 */
export function knowledgeOf(rules, site) {
  const texts = new Map();
  const addText = (text) => texts.set(normalizeText(text), text);
  const ids = new Set();
  const strategies = new Set();
  const languages = new Set(Object.keys(site.knownTexts ?? {}));
  for (const rule of rules) {
    const headings = rule.headings ?? {};
    Object.keys(headings).forEach((language) => languages.add(language));
    for (const step of rule.switch ?? []) {
      if (step.text) addText(step.text);
      if (step.id) ids.add(step.id);
      strategies.add(step.by === "label-text" ? `label-text:${step.lang}` : step.by);
      if (step.lang) languages.add(step.lang);
    }
    Object.values(headings).flat().forEach(addText);
  }
  Object.values(site.knownTexts ?? {})
    .flat()
    .forEach(addText);
  const stateMirrors = [
    ...(site.stateMirrors ?? []),
    ...rules.flatMap((rule) => rule.stateMirrors ?? []),
  ];
  const mirrors = new Set(stateMirrors.map(mirrorName));
  const frontEnds = new Set((site.frontEnds ?? []).map((frontEnd) => frontEnd.name));
  return {
    texts,
    shipped: new Set(texts.values()),
    ids,
    strategies,
    languages,
    mirrors,
    frontEnds,
  };
}

/** A text of the page as the report may show it: the shipped text it equals, or its shape. */
export function reportedText(text, knowledge) {
  const page = typeof text === "string" ? text : "";
  return knowledge.texts.get(normalizeText(page)) ?? textShape(page);
}

/** An id as the report may show it: one of the rule data's, or its shape. */
export function reportedId(id, knowledge) {
  if (typeof id !== "string" || id === "") return null;
  return knowledge.ids.has(id) ? id : idShape(id);
}

/**
 * A page's path: each part that the rule data's paths (`knownPaths`) have as it is, any other as
 * its shape.
 */
export function reportedPath(path, knownPaths) {
  if (typeof path !== "string" || !path.startsWith("/")) return OTHER;
  const parts = new Set([...knownPaths].flatMap((known) => known.split("/")));
  return path
    .split("/")
    .map((part) => (part === "" || parts.has(part) ? part : idShape(part)))
    .join("/");
}

/** A role attribute: its tokens when every one is an ARIA role. */
export function reportedRole(role) {
  if (typeof role !== "string") return null;
  const tokens = role.split(/\s+/).filter(Boolean);
  return tokens.length > 0 && tokens.length <= 3 && tokens.every((token) => ARIA_ROLES.has(token))
    ? tokens.join(" ")
    : OTHER;
}

/** An input's type attribute (case does not count in HTML). */
export function reportedType(type) {
  if (typeof type !== "string") return null;
  return INPUT_TYPES.has(type.toLowerCase()) ? type.toLowerCase() : OTHER;
}

/** An element's tag name, lower case. */
export function reportedTag(tag) {
  if (typeof tag !== "string") return OTHER;
  return HTML_TAGS.has(tag.toLowerCase()) ? tag.toLowerCase() : OTHER;
}

/** aria-checked or aria-pressed. */
export function reportedTristate(value) {
  if (typeof value !== "string") return null;
  return TRISTATE.has(value) ? value : OTHER;
}

/** A language tag, as "de", or "pt-BR" when the rule data has it. */
export function reportedLanguage(tag, knowledge) {
  if (typeof tag !== "string" || tag === "") return null;
  const match = LANGUAGE_TAG.exec(tag);
  if (!match) return OTHER;
  const known = [...knowledge.languages].find(
    (language) => language.toLowerCase() === tag.toLowerCase(),
  );
  return known ?? match[1].toLowerCase();
}

/** The date and hour of a time (UTC): { date: "2026-11-29", hour: 14 }. Minutes are left out. */
export function coarseTime(iso) {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return null;
  return { date: time.toISOString().slice(0, 10), hour: time.getUTCHours() };
}
