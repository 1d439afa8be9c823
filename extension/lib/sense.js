/* Whether a switch's text reads in a setting's sense. A step that finds a switch by anything
   weaker than the setting's own key or label (the page's only switch) acts only when this says
   "same": a reworded page whose switch now means the opposite ("Don't use my data…", shown on)
   must never be switched off, since off would then let training back on. Pure text functions:
   texts arrive normalized (lib/text.js), the negation words from the rule data. */

/** Runs of scripts written without spaces: compared by pairs of characters. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD_PARTS = /[\p{L}\p{N}'\u30FC]+/gu;
/** A text shares too little with the setting's known texts below this part of one of them. */
const MIN_SHARED = 0.3;

/** The comparable parts of a text: its words, and pairs of characters in unspaced scripts. */
function textTokens(text) {
  const tokens = new Set();
  for (const word of text.match(WORD_PARTS) ?? []) {
    if (!UNSPACED.test(word)) {
      for (const part of word.split("'")) if (part.length >= 2) tokens.add(part);
      continue;
    }
    const chars = [...word];
    if (chars.length === 1) tokens.add(word);
    for (let index = 0; index + 1 < chars.length; index += 1)
      tokens.add(chars[index] + chars[index + 1]);
  }
  return tokens;
}

/** Two words are the same word when equal, or one is the other plus an ending ("interest(s)"). */
function sameWord(a, b) {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short) && long.length - short.length <= 2;
}

/** The part (0 to 1) of the known text's tokens that the text has too. */
function sharedPart(known, text) {
  const wanted = textTokens(known);
  if (wanted.size === 0) return 0;
  const found = [...textTokens(text)];
  let shared = 0;
  for (const token of wanted) if (found.some((other) => sameWord(token, other))) shared += 1;
  return shared / wanted.size;
}

/** Whether a negation (a word or words, or in unspaced scripts a part of a word) is in the text. */
function hasNegation(text, negation) {
  if (UNSPACED.test(negation)) return text.includes(negation);
  const spaced = ` ${(text.match(WORD_PARTS) ?? []).join(" ")} `;
  const wanted = ` ${(negation.match(WORD_PARTS) ?? []).join(" ")} `;
  return wanted.trim() !== "" && spaced.includes(wanted);
}

/**
 * How a switch's texts (its accessible name, its row's text) read against the setting's known
 * texts (its labels and headings, every language): "same", "negated" (a negation none of the
 * known texts has, such as "don't", "nicht", "ne pas", "しない"), or "unrelated" (the name
 * shares less than MIN_SHARED of every known text). Empty texts are skipped; no text is
 * "unrelated".
 */
export function senseOf(texts, { known, negations }) {
  const read = texts.filter(Boolean);
  if (read.length === 0) return "unrelated";
  const added = negations.filter((negation) => !known.some((text) => hasNegation(text, negation)));
  if (read.some((text) => added.some((negation) => hasNegation(text, negation)))) return "negated";
  const [name] = read;
  return known.some((text) => sharedPart(text, name) >= MIN_SHARED) ? "same" : "unrelated";
}
