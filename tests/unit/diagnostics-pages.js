/* The diagnostics carry nothing of a page's own. Seeded pages full of personal data, in every
   place a page can put text, go through what the extension does with them: the facts the
   content script sends (cut to size: lib/facts.js), the background's check of the result,
   which makes the outline of them (background/record.js), the stored result and the report
   the popup copies (its lines for people and its document). Not one generated piece of
   personal data, nor any 6-character piece of one, may come out; and nothing of the facts but
   the outline is stored. (tests/page/test_facts.py reads the facts from a real page.)

   Some pieces prove nothing either way, and are counted apart: a piece of what the extension
   ships (its rule data, its messages, the code that writes reports, the environment), and a
   piece that comes out for the page's twin too. A page's twin has every generated text swapped
   for another of the same shape (each letter for another of its script and case, each digit for
   another digit): what comes out for both is the report's own wording ("symbols, 11 words"
   meeting an address "…ls, 11375 …"), not the page's. The outline of a page must moreover be
   exactly that of its twin: it depends on the page's texts only through their shapes. */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import "./browser.js"; // the rule data, as the build gives it to the background
import { cleanResult } from "../../extension/background/record.js";
import { knowledgeOf, reportedText } from "../../extension/lib/allowlist.js";
import { sentFacts } from "../../extension/lib/facts.js";
import { cleanRows, knownPages, reportedRows } from "../../extension/lib/hub.js";
import { copiedReport, diagnosticsDocument } from "../../extension/lib/report.js";
import { normalizeText } from "../../extension/lib/text.js";
import { asciiName, int, mulberry32, personalData, pick, twinMaker } from "./personal-data.js";

const EXTENSION = new URL("../../extension/", import.meta.url);
const read = (path) => readFileSync(new URL(path, EXTENSION), "utf8");
const RULE_TEXT = read("rules/linkedin.json");
const { site, rules } = JSON.parse(RULE_TEXT);
const EVERYTHING_KNOWN = knowledgeOf(rules, site);
const KNOWN_PAGES = knownPages(rules, site);

/** The line of a copied report after which its JSON document comes. */
const DOCUMENT_MARK = "--- the report (python build.py check-rules reads this part) ---";
/** The seeds of the property test: 50 of 200 pages each, 10,000 pages (DIAGNOSTICS_SEEDS: fewer). */
export const SEEDS = Array.from(
  { length: Number(process.env.DIAGNOSTICS_SEEDS ?? 50) },
  (_, index) => 1000 + index * 7919,
);
export const PAGES_PER_SEED = 200;
const PIECE = 6;

const ENVIRONMENT = {
  version: "0.1.0",
  userAgent:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.85 Safari/537.36",
  browserLanguage: "en",
};
const AT = "2026-11-29T14:02:33.481Z";

// ---- pieces ----

const lettersOf = (normalized) => normalized.replace(/[^\p{L}\p{N}]/gu, "");

/** The letters and digits of a line of output. Report lines repeat from page to page: kept. */
const lineLetters = new Map();

function alphanumeric(line) {
  let letters = lineLetters.get(line);
  if (letters === undefined) {
    letters = lettersOf(normalizeText(line));
    if (lineLetters.size < 100000) lineLetters.set(line, letters);
  }
  return letters;
}

/**
 * Two ways to look at a text: as the engine reads it (normalizing joins its lines), and its
 * letters and digits alone. An output's letters and digits are taken line by line, so that a
 * piece cannot be made of the end of one line and the start of the next ("language jan" and
 * "Result").
 */
function folded(text, { output = false } = {}) {
  const normalized = normalizeText(text);
  const letters = output ? text.split("\n").map(alphanumeric) : [lettersOf(normalized)];
  return [normalized, ...letters.filter((fold) => fold !== normalized)];
}

const BASES = [0x01000193, 0x5bd1e995];
const LEADING = BASES.map((base) =>
  Array.from({ length: PIECE - 1 }).reduce((power) => Math.imul(power, base), 1),
);

/**
 * Hashes the pieces of a fold (6 code points each): two hashes of each piece, rolled along the
 * fold (a polynomial hash: one step per code point, not six), into buffers it keeps, which the
 * next fold it hashes overwrites.
 */
class PieceHasher {
  starts = new Int32Array(1024);
  codes = new Int32Array(1024);
  hashes = new Int32Array(2048);

  /** Hashes the pieces of `fold` and gives their count: piece `i`'s hashes are `hashes[2i]` and `hashes[2i + 1]`. */
  hash(fold) {
    this.fold = fold;
    if (fold.length + 1 > this.starts.length) {
      this.starts = new Int32Array(2 * fold.length + 2);
      this.codes = new Int32Array(2 * fold.length + 2);
      this.hashes = new Int32Array(4 * fold.length + 4);
    }
    const { starts, codes, hashes } = this;
    let points = 0;
    for (let index = 0; index < fold.length; points += 1) {
      const code = fold.codePointAt(index);
      starts[points] = index;
      codes[points] = code;
      index += code > 0xffff ? 2 : 1;
    }
    starts[points] = fold.length;
    const [base, otherBase] = BASES;
    const [leading, otherLeading] = LEADING;
    let first = 0;
    let second = 0;
    for (let point = 0; point < points; point += 1) {
      if (point >= PIECE) {
        first -= Math.imul(codes[point - PIECE], leading);
        second -= Math.imul(codes[point - PIECE], otherLeading);
      }
      first = (Math.imul(first, base) + codes[point]) | 0;
      second = (Math.imul(second, otherBase) + codes[point]) | 0;
      if (point >= PIECE - 1) {
        hashes[2 * (point - PIECE + 1)] = first;
        hashes[2 * (point - PIECE + 1) + 1] = second;
      }
    }
    return Math.max(points - PIECE + 1, 0);
  }

  /** The text of piece `start` of the fold hashed last. */
  piece(start) {
    return this.fold.slice(this.starts[start], this.starts[start + PIECE]);
  }
}

/**
 * A set of pieces that may say "there" of a piece that is not, never "not there" of one that
 * is: two bits of 2^size for each piece (sized so that about one look in 1,000 is answered
 * wrongly). A piece it says is there is then looked for as text. Small, so that its looks stay
 * in the processor's cache.
 */
class PieceFilter {
  constructor(size) {
    this.shift = 32 - size;
    this.bits = new Int32Array(2 ** size / 32);
  }

  #bit(hash) {
    const mixed = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
    return (mixed ^ (mixed >>> 13)) >>> this.shift;
  }

  /** Adds the pieces whose hashes are in `hashes` (two each). */
  add(hashes) {
    for (let index = 0; index < hashes.length; index += 1) {
      const bit = this.#bit(hashes[index]);
      this.bits[bit >>> 5] |= 1 << (bit & 31);
    }
  }

  has(one, two) {
    const first = this.#bit(one);
    if ((this.bits[first >>> 5] & (1 << (first & 31))) === 0) return false;
    const second = this.#bit(two);
    return (this.bits[second >>> 5] & (1 << (second & 31))) !== 0;
  }
}

const outputHasher = new PieceHasher();
const needleHasher = new PieceHasher();

/**
 * The folds of an output text, each with the hashes of its pieces. The short texts of reports
 * (keys, tokens, shapes) repeat from page to page: kept.
 */
const outputsFolded = new Map();

function outputFolds(text) {
  let folds = outputsFolded.get(text);
  if (!folds) {
    folds = folded(text, { output: true }).map((fold) => {
      const count = outputHasher.hash(fold);
      return { fold, hashes: outputHasher.hashes.slice(0, 2 * count) };
    });
    if (text.length < 200 && outputsFolded.size < 100000) outputsFolded.set(text, folds);
  }
  return folds;
}

/** The texts under both folds, each once. */
const foldedTexts = (texts) => [
  ...new Set([...new Set(texts)].flatMap((text) => outputFolds(text).map(({ fold }) => fold))),
];

/** The pieces of every text under both folds, in a filter of 2^size bits. */
function filterOf(texts, size) {
  const filter = new PieceFilter(size);
  for (const text of new Set(texts)) {
    for (const { hashes } of outputFolds(text)) filter.add(hashes);
  }
  return filter;
}

/** The pieces of every text under both folds, as text. */
function piecesOf(texts) {
  const found = new Set();
  for (const fold of foldedTexts(texts)) {
    const count = outputHasher.hash(fold);
    for (let start = 0; start < count; start += 1) found.add(outputHasher.piece(start));
  }
  return found;
}

/** A character of each kind a text shape names: each script, digits, symbols, another script. */
const KIND_SAMPLES = [..."aαжաאبकকதกა한あア中ሀ1!ᚠ"];

/** The shapes of texts of every two kinds, as reports write them ("…, Latin, symbols, …"). */
function shapeWording() {
  const none = knowledgeOf([], {});
  return KIND_SAMPLES.flatMap((one) =>
    KIND_SAMPLES.map((other) => reportedText(`${one}${other}`, none)),
  );
}

/**
 * What the extension ships, and so may put in a report whatever the page: its rule data, its
 * messages in every language, the code that writes reports (its words and formats, and the
 * kinds of character a text shape names, as shapes list them), the environment (version,
 * browser, time) and the report of a page with no text of its own.
 */
const SHIPPED_TEXTS = [
  ...shapeWording(),
  RULE_TEXT,
  ...["en", "de", "fr", "es", "pt_BR", "it", "nl", "ja"].map((language) =>
    read(`_locales/${language}/messages.json`),
  ),
  ...["lib/allowlist.js", "lib/outline.js", "lib/report.js"].map(read),
  ...Object.values(ENVIRONMENT),
  AT,
  copiedReport(
    diagnosticsDocument(
      { rule: "ai-training", outcome: "not-found", path: rules[0].pages[0], at: AT },
      ENVIRONMENT,
    ),
  ),
];
const SHIPPED = { filter: filterOf(SHIPPED_TEXTS, 21), pieces: piecesOf(SHIPPED_TEXTS) };

/** Every string (keys too) in a JSON value. */
function stringsIn(value, found = []) {
  if (typeof value === "string") found.push(value);
  else if (Array.isArray(value)) value.forEach((item) => stringsIn(item, found));
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      found.push(key);
      stringsIn(item, found);
    }
  }
  return found;
}

/** The value with every string (keys too) passed through `swap`. */
function swapped(value, swap) {
  if (typeof value === "string") return swap(value);
  if (Array.isArray(value)) return value.map((item) => swapped(item, swap));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [swap(key), swapped(item, swap)]),
    );
  }
  return value;
}

// ---- pages ----

const KNOWN_TEXTS = [...EVERYTHING_KNOWN.shipped];
const KNOWN_IDS = [...EVERYTHING_KNOWN.ids];
const STRATEGIES = [...EVERYTHING_KNOWN.strategies];
const MIRRORS = site.stateMirrors.map((mirror) => mirror.name);

/**
 * Personal data for one page: `data()` gives a piece of it as the page shows it; `texts` are
 * all the texts the page got (swapped in its twin), `needles` the personal data in them.
 */
function personalSource(rng) {
  const texts = [];
  const needles = [];
  const composed = (text, needle = true) => {
    texts.push(text);
    if (needle) needles.push(text);
    return text;
  };
  const data = () => {
    const { text, needles: inside } = personalData(rng, {
      mark: DOCUMENT_MARK,
      normalize: normalizeText,
    });
    texts.push(text);
    needles.push(...inside);
    return text;
  };
  return { texts, needles, data, composed };
}

/**
 * A page's facts as the content script reads them from the settings app, made by a page full
 * of personal data: every text, id and attribute value is personal data, or sometimes a text or
 * token the extension knows (real pages mix them); and the page has more than the app
 * (navigation, banners, data attributes, links), which the outline must not carry.
 */
function generatedPage(rng, { data, composed }) {
  const either = (...choices) => pick(rng, choices)();
  const text = () =>
    either(
      () => (rng() < 0.25 ? pick(rng, KNOWN_TEXTS) : data()),
      data,
      () => composed(`${pick(rng, KNOWN_TEXTS)} ${data()}`, false),
    );
  const token = (...valid) =>
    either(
      () => pick(rng, valid),
      data,
      () => null,
    );
  const language = () =>
    either(
      () => pick(rng, ["en", "de", "pt-BR", "fr-CA", "es-419"]),
      data,
      () => composed(`${pick(rng, ["de", "en", "fr", "jan"])}-${asciiName(rng)}`),
    );
  const junk = () =>
    either(
      () => ({ dataset: { [pick(rng, ["member", "name", "urn"])]: data() } }),
      () => ({ [pick(rng, ["title", "className", "href", "placeholder"])]: data() }),
      () => ({ outerHTML: composed(`<span data-name="${data()}">…</span>`, false) }),
    );

  const headingCount = int(rng, 0, 3);
  const headings = Array.from({ length: headingCount }, () => ({
    tag: either(() => pick(rng, ["h1", "h2", "h3", "div"]), data),
    ariaLevel: token("2", "3"),
    text: text(),
    ...junk(),
  }));
  const switches = Array.from({ length: int(rng, 0, 4) }, () => ({
    tag: either(
      () => pick(rng, ["input", "button", "div", "span"]),
      data,
      () => composed(`x-${data()}`, false),
    ),
    id: either(
      () => pick(rng, KNOWN_IDS),
      data,
      () => null,
    ),
    role: token("switch", "checkbox", "switch checkbox"),
    type: token("checkbox", "button", "CHECKBOX"),
    ariaChecked: token("true", "false", "mixed"),
    ariaPressed: token("true", "false"),
    checked: pick(rng, [true, false, null]),
    disabled: either(() => rng() < 0.2, data),
    busy: either(() => rng() < 0.1, data),
    candidate: either(() => rng() < 0.7, data),
    name: either(text, () => null),
    ariaLabel: either(text, () => null),
    title: either(text, () => null),
    labelledBy: Array.from({ length: int(rng, 0, 3) }, () => ({
      id: either(() => pick(rng, KNOWN_IDS), data),
      where: token("app", "app", "outside", "missing"),
      text: either(text, () => null),
    })),
    labels: Array.from({ length: int(rng, 0, 2) }, text),
    mirrors: Object.fromEntries([
      ...MIRRORS.map((mirror) => [mirror, token("on", "off")]),
      [data(), "on"],
    ]),
    heading: either(() => int(rng, 0, headingCount), data),
    matchedBy: [pick(rng, STRATEGIES), data()],
    ...junk(),
  }));
  const facts = {
    appFound: rng() < 0.9,
    headings,
    switches,
    switchLikeOutside: either(() => int(rng, 0, 3), data),
    strategies: [
      ...STRATEGIES.slice(0, int(rng, 1, STRATEGIES.length)).map((strategy) => ({
        strategy,
        matches: int(rng, 0, 3),
      })),
      { strategy: data(), matches: 1 },
      { strategy: pick(rng, STRATEGIES), matches: data() },
    ],
    // The privacy hub's rows: a link (to a page whose name is the page's own) and its text.
    hubRows: Array.from({ length: int(rng, 0, 3) }, () => ({
      page: composed(`${asciiName(rng)}-${asciiName(rng)}`),
      end: pick(rng, ["", "/", "?trk=x"]),
      text: text(),
    })),
    navigation: [data(), data()],
    banner: data(),
    documentTitle: data(),
    ...junk(),
  };
  return { facts, lang: language() };
}

/**
 * What a content script that is not the extension's could send: personal data anywhere in the
 * facts (uncut, keys too, in place of any value), a language, and a ready-made outline of it.
 */
function forged(message, rng, { data }) {
  const facts = structuredClone(message.facts);
  const visit = (value) => {
    if (!value || typeof value !== "object") return;
    for (const key of Object.keys(value)) {
      if (rng() < 0.3) value[key] = data();
      else visit(value[key]);
    }
    if (rng() < 0.3) value[data()] = data();
  };
  visit(facts);
  const add = (key, item) => {
    facts[key] = [item, ...(Array.isArray(facts[key]) ? facts[key] : [])];
  };
  add("headings", { tag: data(), ariaLevel: data(), text: data() });
  add("switches", {
    tag: data(),
    id: data(),
    role: data(),
    type: data(),
    ariaChecked: data(),
    ariaPressed: data(),
    checked: data(),
    mirrors: { [data()]: "on", [MIRRORS[0]]: data() },
    disabled: data(),
    busy: data(),
    candidate: true,
    name: data(),
    heading: data(),
    labelledBy: [
      { id: data(), where: data(), text: data() },
      { id: data(), where: "app", text: data() },
    ],
    ariaLabel: data(),
    title: data(),
    labels: [data()],
    matchedBy: [data()],
  });
  const diagnostics = {
    app: { found: true, headings: [{ level: 1, text: data() }] },
    strategies: [{ strategy: data() }],
  };
  return { ...message, lang: data(), facts, diagnostics };
}

// ---- the pipeline, as the extension runs it ----

/** What the content script sends for a page the rule could not act on: the facts it read, cut to size. */
function contentScriptMessage(page, rule, outcome) {
  const hubRows = page.facts.hubRows.map((row) => ({
    href: `${site.origin}/mypreferences/d/${row.page}${row.end}`,
    text: row.text,
  }));
  return {
    rule: rule.id,
    outcome,
    path: rule.pages[0],
    lang: page.lang,
    facts: sentFacts(page.facts),
    hubRows,
  };
}

/** What the background stores of a message: its check of the result, which makes the outline. */
function stored(message) {
  const result = cleanResult(message);
  assert.ok(result, `the background refused ${JSON.stringify(message).slice(0, 300)}`);
  assert.deepEqual(
    Object.keys(result.diagnostics ?? {}),
    ["frontEnd", "app", "strategies"],
    "an outline is made of the facts",
  );
  assert.equal("facts" in result, false, "the facts themselves are not stored");
  return { ...result, at: AT };
}

/**
 * Everything of a message that ends up somewhere: what is stored (every string of it) and the
 * copied report (its lines for people, and every string of its document).
 */
function outputsOf(message) {
  const latest = stored(message);
  const hub = reportedRows(cleanRows(message.hubRows, site), EVERYTHING_KNOWN, KNOWN_PAGES);
  const report = copiedReport(diagnosticsDocument(latest, ENVIRONMENT, hub));
  const [lines, json] = report.split(`${DOCUMENT_MARK}\n`);
  return { latest, report, texts: [lines, ...stringsIn(JSON.parse(json)), ...stringsIn(latest)] };
}

/**
 * The pieces of personal data that came out, page by page, less those that are pieces of what
 * the extension ships or come out for the twin page too. A page's outputs go into a filter
 * first; a piece the filter may hold is then looked for as text in them, and in its twin page's
 * outputs (made only then).
 */
function leaks(pages, tally) {
  const leaked = [];
  for (const page of pages) {
    const outputs = filterOf(page.outputs, 20);
    let own = null;
    let twin = null;
    for (const text of page.needles) {
      let looked = 0;
      for (const fold of folded(text)) {
        const count = needleHasher.hash(fold);
        const { hashes } = needleHasher;
        for (let start = 0; start < count; start += 1) {
          const one = hashes[2 * start];
          const two = hashes[2 * start + 1];
          if (SHIPPED.filter.has(one, two) && SHIPPED.pieces.has(needleHasher.piece(start))) {
            tally.shipped += 1;
            continue;
          }
          looked += 1;
          if (!outputs.has(one, two)) continue;
          const piece = needleHasher.piece(start);
          own ??= foldedTexts(page.outputs).join("\0");
          if (!own.includes(piece)) continue;
          twin ??= foldedTexts(page.twinOutputs()).join("\0");
          if (twin.includes(piece)) tally.ownWording += 1;
          else leaked.push({ page: page.number, text, piece, reports: page.reports });
        }
      }
      tally.needles += 1;
      tally.pieces += looked;
      if (looked === 0) tally.unchecked += 1;
    }
  }
  return leaked;
}

const OUTCOMES = ["not-found", "ambiguous", "disabled", "failed"];

/**
 * One seed's pages through the extension's diagnostics: fails on the first page whose outline
 * differs from its twin's, or on any piece of personal data that came out.
 */
export function checkSeed(seed, t) {
  const rng = mulberry32(seed);
  const twinOf = twinMaker(mulberry32(~seed), normalizeText);
  const pages = [];
  for (let number = 0; number < PAGES_PER_SEED; number += 1) {
    const source = personalSource(rng);
    const page = generatedPage(rng, source);
    const rule = pick(rng, rules);
    const message = contentScriptMessage(page, rule, pick(rng, OUTCOMES));
    const attack = forged(message, rng, source);
    const pageOutputs = outputsOf(message);
    const attackOutputs = outputsOf(attack);

    const twins = new Map(source.texts.map((text) => [text, twinOf(text)]));
    const swap = (text) => twins.get(text) ?? text;
    const twinMessage = contentScriptMessage(swapped(page, swap), rule, message.outcome);
    const twinAttack = swapped(attack, swap);

    const where = `seed ${seed}, page ${number}`;
    assert.equal(
      JSON.stringify(stored(twinMessage).diagnostics),
      JSON.stringify(pageOutputs.latest.diagnostics),
      `${where}: the outline depends on the page's texts beyond their shapes`,
    );
    assert.equal(
      JSON.stringify(stored(twinAttack).diagnostics),
      JSON.stringify(attackOutputs.latest.diagnostics),
      `${where}: the outline of forged facts lets text through`,
    );
    for (const report of [pageOutputs.report, attackOutputs.report]) {
      assert.equal(
        report.split(DOCUMENT_MARK).length,
        2,
        `${where}: one document mark, the report's own`,
      );
    }
    pages.push({
      number,
      needles: source.needles,
      outputs: [...pageOutputs.texts, ...attackOutputs.texts],
      twinOutputs: () => [...outputsOf(twinMessage).texts, ...outputsOf(twinAttack).texts],
      reports: [pageOutputs.report, attackOutputs.report],
    });
  }
  const tally = { needles: 0, pieces: 0, shipped: 0, ownWording: 0, unchecked: 0 };
  const [first, ...more] = leaks(pages, tally);
  if (first) {
    const { page, text, piece, reports } = first;
    assert.fail(
      `seed ${seed}, page ${page}: ${JSON.stringify(piece)} of ${JSON.stringify(text)} came out (and ${more.length} more)\n${reports.join("\n")}`,
    );
  }
  assert.equal(
    tally.unchecked,
    0,
    "a piece of personal data made only of pieces the extension ships proves nothing",
  );
  t.diagnostic(
    `${PAGES_PER_SEED} pages, ${tally.needles} pieces of personal data, ${tally.pieces} 6-character pieces looked for; ` +
      `not counted: ${tally.shipped} pieces of what the extension ships, ${tally.ownWording} found for the twin page too`,
  );
}
