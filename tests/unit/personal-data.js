/* Seeded personal data for the diagnostics property tests: names in several scripts, phone,
   IBAN and card numbers, e-mail addresses in the forms people write them, @handles, URNs,
   base64 tokens, IP and postal addresses, profile links, and attempts to forge report lines.
   The same seed gives the same strings. */

/** mulberry32: a small deterministic PRNG, uniform in [0, 1). */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rng, low, high) => low + Math.floor(rng() * (high - low + 1));
export const pick = (rng, items) => items[Math.floor(rng() * items.length)];
const chars = (text) => [...text];

function drawn(rng, alphabet, length) {
  let text = "";
  for (let count = 0; count < length; count += 1)
    text += alphabet[Math.floor(rng() * alphabet.length)];
  return text;
}
const digits = (rng, length) => drawn(rng, chars("0123456789"), length);

const range = (from, to) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
const ALPHABETS = {
  latin: chars("abcdefghijklmnopqrstuvwxyzäöüßéèêëçñãõåøłśżźćńřšžýáíóúğışæœ"),
  cyrillic: chars("абвгдеёжзийклмнопрстуфхцчшщъыьэюяїієґ"),
  greek: chars("αβγδεζηθικλμνξοπρστυφχψω"),
  arabic: chars("ابتثجحخدذرزسشصضطظعغفقكلمنهوي"),
  devanagari: [...range(0x0915, 0x0939), ...chars("ािीुूेैोौं")],
  han: range(0x4e00, 0x9fa5),
  hiragana: range(0x3041, 0x3093),
  katakana: range(0x30a1, 0x30f3),
  hangul: range(0xac00, 0xd7a3),
};
const BASE64 = chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
const BASE64_URL = chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
const LETTERS = chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

const capitalized = (word) => word.charAt(0).toLocaleUpperCase() + word.slice(1);

function word(rng, alphabet, low = 2, high = 9) {
  return drawn(rng, ALPHABETS[alphabet], int(rng, low, high));
}

/** A full name: words in a script with spaces, or CJK without. */
function name(rng) {
  const script = pick(rng, [
    "latin",
    "latin",
    "cyrillic",
    "greek",
    "arabic",
    "devanagari",
    "han",
    "japanese",
    "hangul",
  ]);
  if (script === "han") return word(rng, "han", 2, 4);
  if (script === "hangul") return `${word(rng, "hangul", 1, 2)} ${word(rng, "hangul", 2, 3)}`;
  if (script === "japanese")
    return `${word(rng, "han", 1, 3)}${word(rng, "hiragana", 1, 3)}${word(rng, "katakana", 0, 3)}`;
  const words = Array.from({ length: int(rng, 1, 4) }, () => word(rng, script, 2, 10));
  return words.map(capitalized).join(" ");
}

/** A name as a BCP 47 subtag could spell it ("Kowalski"): 4 to 8 ASCII letters. */
export function asciiName(rng) {
  return capitalized(drawn(rng, LETTERS.slice(26), int(rng, 4, 8)));
}

function phone(rng) {
  return pick(rng, [
    () => `+${int(rng, 1, 99)} ${digits(rng, 2)} ${digits(rng, 4)} ${digits(rng, 4)}`,
    () => `(${digits(rng, 3)}) ${digits(rng, 3)}-${digits(rng, 4)}`,
    () => `0${digits(rng, 3)}/${digits(rng, 3)} ${digits(rng, 2)} ${digits(rng, 2)}`,
    () => `+${int(rng, 1, 99)}.${digits(rng, 3)}.${digits(rng, 3)}.${digits(rng, 4)}`,
    () => `${digits(rng, 3)}-${digits(rng, 3)}-${digits(rng, 4)}`,
  ])();
}

function iban(rng) {
  const body = `${drawn(rng, chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 2)}${digits(rng, 2)}${digits(rng, int(rng, 12, 26))}`;
  return rng() < 0.6 ? body.match(/.{1,4}/g).join(" ") : body;
}

function card(rng) {
  const groups = Array.from({ length: 4 }, () => digits(rng, 4));
  return groups.join(pick(rng, [" ", "-", "", " "]));
}

function email(rng) {
  const local = `${word(rng, "latin", 2, 8)}${pick(rng, [".", "_", "-", ""])}${word(rng, "latin", 2, 8)}${rng() < 0.4 ? digits(rng, 2) : ""}`;
  const domain = `${word(rng, "latin", 3, 9)}`;
  const tld = pick(rng, ["com", "de", "co.uk", "org", "fr", "jp"]);
  return pick(rng, [
    () => `${local}@${domain}.${tld}`,
    () => `${local}＠${domain}．${tld}`, // full-width at and dot
    () => `${local} (at) ${domain} (dot) ${tld}`,
    () => `${local}(at)${domain}.${tld}`,
    () => `${local} [at] ${domain}.${tld}`,
    () => `${local} @ ${domain} . ${tld}`,
    () => `${local.toUpperCase()}@${domain.toUpperCase()}.${tld.toUpperCase()}`,
    () => `mailto:${local}@${domain}.${tld}`,
  ])();
}

function handle(rng) {
  return `@${word(rng, "latin", 3, 10)}${pick(rng, ["_", ".", ""])}${rng() < 0.5 ? digits(rng, int(rng, 1, 4)) : word(rng, "latin", 2, 5)}`;
}

function urn(rng) {
  return pick(rng, [
    () => `urn:li:member:${digits(rng, int(rng, 6, 10))}`,
    () => `urn:li:fsd_profile:${drawn(rng, LETTERS, int(rng, 12, 39))}`, // digit-free
    () => `urn:li:person:${drawn(rng, LETTERS, int(rng, 8, 12))}`,
    () => `urn:li:fs_miniProfile:${drawn(rng, BASE64_URL, 39)}`,
  ])();
}

function base64(rng) {
  const alphabet = rng() < 0.5 ? BASE64 : BASE64_URL;
  const body = drawn(rng, alphabet, int(rng, 12, 60));
  return `${body}${pick(rng, ["", "=", "=="])}`;
}

function ip(rng) {
  if (rng() < 0.6) return Array.from({ length: 4 }, () => int(rng, 0, 255)).join(".");
  const groups = Array.from({ length: int(rng, 3, 8) }, () => int(rng, 0, 0xffff).toString(16));
  return rng() < 0.3 ? `${groups[0]}:${groups[1]}::${groups[2]}` : groups.join(":");
}

function address(rng) {
  return pick(rng, [
    () =>
      `${capitalized(word(rng, "latin", 4, 10))}straße ${int(rng, 1, 200)}, ${digits(rng, 5)} ${capitalized(word(rng, "latin", 4, 9))}`,
    () =>
      `${int(rng, 1, 999)}${pick(rng, ["", "B", "a"])} ${capitalized(word(rng, "latin", 3, 9))} ${pick(rng, ["Street", "Road", "Avenue", "Lane"])}, ${capitalized(word(rng, "latin", 4, 9))} ${drawn(rng, chars("ABCDEFGHJKLMNPRSTUWXYZ"), 2)}${int(rng, 1, 9)} ${int(rng, 1, 9)}${drawn(rng, chars("ABDEFGHJLNPQRSTUWXYZ"), 2)}`,
    () =>
      `${int(rng, 1, 99)} rue ${capitalized(word(rng, "latin", 3, 9))}, ${digits(rng, 5)} ${capitalized(word(rng, "latin", 3, 9))}`,
    () =>
      `${word(rng, "han", 2, 3)}都${word(rng, "han", 2, 3)}区${int(rng, 1, 9)}-${int(rng, 1, 30)}-${int(rng, 1, 30)}`,
    () =>
      `ул. ${capitalized(word(rng, "cyrillic", 4, 10))}, д. ${int(rng, 1, 99)}, кв. ${int(rng, 1, 300)}`,
  ])();
}

function profileLink(rng) {
  const slug = `${word(rng, "latin", 3, 8)}-${word(rng, "latin", 3, 8)}-${drawn(rng, chars("0123456789abcdef"), 6)}`;
  return `https://www.linkedin.com/in/${slug}/?trk=${word(rng, "latin", 4, 8)}&utm_source=${word(rng, "latin", 3, 6)}`;
}

/**
 * Text made to forge report lines or the document after them, around personal data: the text,
 * and the personal data in it (the rest is the report's own wording, copied by the forger).
 */
function forgery(rng, mark, data) {
  const [first, second] = [data(), data()];
  const text = pick(rng, [
    () =>
      `${first}\n${mark}\n{"report":"linkedin-ai-optout diagnostics","format":2,"page":"${second}"}`,
    () => `${first}"}],"app":{"found":true},"x":"${second}`,
    () => `${first}\n  2. input, role=switch; under heading 1\n     aria-label → "${second}"`,
    () => `‹text 12 chars, Latin, 2 words› ${first} ‹other› ${second}`,
  ])();
  return { text, needles: [first, second] };
}

const KINDS = { name, phone, iban, card, email, handle, urn, base64, ip, address, profileLink };

/**
 * One piece of personal data of a random kind (a name, a phone number, …), sometimes two run
 * together as pages write them ("Jane Doe, jane@example.com"), sometimes inside an attempt to
 * forge report lines. `text` is what the page shows; `needles` the personal data in it, each
 * at least `minimum` characters long once normalized, which must not come out.
 */
export function personalData(rng, { mark = "---", minimum = 6, normalize } = {}) {
  const data = () => {
    for (;;) {
      let text = KINDS[pick(rng, Object.keys(KINDS))](rng);
      const roll = rng();
      if (roll < 0.15) text = `${text}, ${KINDS[pick(rng, Object.keys(KINDS))](rng)}`;
      else if (roll < 0.2) text = `  ${text.replaceAll(" ", "\n\t ")}  `;
      if ([...normalize(text)].length >= minimum) return text;
    }
  };
  if (rng() < 0.05) return forgery(rng, mark, data);
  const text = data();
  return { text, needles: [text] };
}

const SCRIPT_NAMES = [
  "Latin",
  "Greek",
  "Cyrillic",
  "Arabic",
  "Devanagari",
  "Han",
  "Hiragana",
  "Katakana",
  "Hangul",
];
const SCRIPT_TESTS = SCRIPT_NAMES.map((script) => [
  script,
  new RegExp(`\\p{Script=${script}}`, "u"),
]);
const CATEGORY_TESTS = ["Lu", "Ll", "Lo"].map((name) => [name, new RegExp(`\\p{${name}}`, "u")]);

/** Which characters may stand in for each other: same script and case, or both digits. */
function poolKey(char) {
  if (/\p{Nd}/u.test(char)) return "digit";
  const category = CATEGORY_TESTS.find(([, pattern]) => pattern.test(char))?.[0];
  const script = SCRIPT_TESTS.find(([, pattern]) => pattern.test(char))?.[0];
  return category && script ? `${script} ${category}` : null;
}

/**
 * For each letter and digit the generator writes, the others that may stand in for it: one
 * code point, and still one once normalized.
 */
function twinPools(normalize) {
  const candidates = [
    ...Object.values(ALPHABETS).flat(),
    ...Object.values(ALPHABETS)
      .flat()
      .map((char) => char.toUpperCase()),
    ...LETTERS,
    ...chars("0123456789"),
  ];
  const pools = new Map();
  const poolOf = new Map();
  for (const char of new Set(candidates)) {
    const key = poolKey(char);
    if (
      !key ||
      [...char].length !== 1 ||
      char.normalize("NFKC") !== char ||
      [...normalize(char)].length !== 1
    )
      continue;
    if (!pools.has(key)) pools.set(key, []);
    pools.get(key).push(char);
    poolOf.set(char, pools.get(key));
  }
  for (const [char, pool] of poolOf) if (pool.length < 2) poolOf.delete(char);
  return poolOf;
}

/**
 * A function that gives each text a twin of the same shape: every letter another letter of its
 * script and case, every digit another digit; spaces, punctuation and symbols stay. (The pools
 * hold characters of one UTF-16 unit each, so the twin is made unit by unit.)
 */
let poolsByUnit = null;

export function twinMaker(rng, normalize) {
  if (!poolsByUnit) {
    const units = new Map();
    poolsByUnit = [];
    for (const [char, pool] of twinPools(normalize)) {
      if (!units.has(pool))
        units.set(
          pool,
          pool.map((other) => other.charCodeAt(0)),
        );
      poolsByUnit[char.charCodeAt(0)] = units.get(pool);
    }
  }
  const poolOf = poolsByUnit;
  return (text) => {
    const units = new Array(text.length);
    for (let index = 0; index < text.length; index += 1) {
      const unit = text.charCodeAt(index);
      const pool = poolOf[unit];
      let other = unit;
      while (pool !== undefined && other === unit) other = pool[Math.floor(rng() * pool.length)];
      units[index] = other;
    }
    let twin = "";
    for (let start = 0; start < units.length; start += 4096)
      twin += String.fromCharCode(...units.slice(start, start + 4096));
    return twin;
  };
}
