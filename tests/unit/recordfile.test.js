/* "Save record" and "Restore record" as the background answers them: the saved document,
   a file read back and merged without duplicates within the record's caps, and every kind
   of damaged file refused with nothing changed. */

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { chrome, EXTENSION_ID, EXTENSION_VERSION } from "./browser.js";
import "../../extension/background/main.js";
import { HISTORY_LIMIT, RESTORED_PROOF_LIMIT } from "../../extension/background/storage.js";
import { formatTime, recordLines } from "../../extension/lib/describe.js";
import { MAX_RECORD_SIZE } from "../../extension/lib/recordfile.js";

const AI_PAGE = "/mypreferences/d/settings/data-for-ai-improvement";
const ADS_PAGE = "/mypreferences/d/settings/ads-by-age";
const OPTIONS = {
  id: EXTENSION_ID,
  url: `chrome-extension://${EXTENSION_ID}/options/options.html`,
};
const CONTENT_SCRIPT = {
  id: EXTENSION_ID,
  url: `https://www.linkedin.com${AI_PAGE}`,
  tab: { id: 7 },
};
const DAY = 24 * 60 * 60 * 1000;

/** Sends a message to the background as `sender`; its answer, or "no answer". */
function send(message, sender = OPTIONS) {
  const [listener] = chrome.runtime.onMessage.listeners;
  return new Promise((resolve) => {
    if (!listener(message, sender, resolve)) resolve("no answer");
  });
}

const daysAgo = (days) => new Date(Date.now() - days * DAY).toISOString();

/** Record lines as the background stores them. */
const turnedOff = (at) => ({
  rule: "ai-training",
  outcome: "turned-off",
  path: AI_PAGE,
  strategy: "aria-labelledby",
  clicks: 1,
  lang: "en",
  proof: "reload",
  at,
});
const alreadyOff = (at, count, last) => ({
  rule: "ai-training",
  outcome: "already-off",
  path: AI_PAGE,
  proof: "page",
  lang: "en",
  at,
  ...(count ? { count, last } : {}),
});
const signedOut = (at) => ({ rule: "ai-training", outcome: "signed-out", path: AI_PAGE, at });
const adsOff = (at) => ({
  rule: "ads-by-age",
  outcome: "already-off",
  path: ADS_PAGE,
  proof: "page",
  at,
});

async function savedText() {
  const { record } = await send({ type: "get-record" });
  return JSON.stringify(record, null, 2);
}

const restore = (text) => send({ type: "restore-record", text });
const stored = () => chrome.storage.local.get(null);
/** A line as the record holds it once restored from a file saved at `savedAt`. */
const fromFile = (line, savedAt) => ({ ...line, restored: line.restored ?? savedAt });
const savedAtOf = (text) => JSON.parse(text).savedAt;

/** A saved record's text, as "Save record" would have written it, with `history` in it. */
function fileWith(history, fields = {}) {
  return JSON.stringify({
    format: "linkedin-ai-optout-record",
    formatVersion: 1,
    extensionVersion: "0.1.0",
    savedAt: new Date().toISOString(),
    history,
    ...fields,
  });
}

beforeEach(async () => {
  await chrome.storage.local.clear();
  await chrome.storage.session.clear();
});

test("the saved record is the whole stored history, every setting's, with its format, the extension's version and when it was saved", async () => {
  const history = [
    turnedOff(daysAgo(3)),
    adsOff(daysAgo(2)),
    alreadyOff(daysAgo(1), 4, daysAgo(0.5)),
  ];
  // Only the AI setting is chosen: the popup leaves out the ads line, the file keeps it.
  await chrome.storage.local.set({ history, chosen: ["ai-training"] });
  const before = Date.now();
  const { record, mainRule } = await send({ type: "get-record" });
  assert.equal(mainRule, "ai-training");
  assert.equal(record.format, "linkedin-ai-optout-record");
  assert.equal(record.formatVersion, 1);
  assert.equal(record.extensionVersion, EXTENSION_VERSION);
  assert.ok(
    Date.parse(record.savedAt) >= before - 1000 && Date.parse(record.savedAt) <= Date.now(),
  );
  assert.deepEqual(record.history, history);
  assert.deepEqual(Object.keys(record), [
    "format",
    "formatVersion",
    "extensionVersion",
    "savedAt",
    "history",
  ]);
});

test("a saved record restored into an empty record gives the same lines; restored again, it adds nothing", async () => {
  // As the fresh-load check stores them: "reload" proof of an off, and of a change LinkedIn did not keep.
  const notKept = {
    rule: "ai-training",
    outcome: "failed",
    reason: "not-kept",
    path: AI_PAGE,
    clicks: 1,
    proof: "reload",
    at: daysAgo(4),
  };
  const history = [
    signedOut(daysAgo(5)),
    notKept,
    turnedOff(daysAgo(3)),
    alreadyOff(daysAgo(2), 3, daysAgo(1)),
  ];
  await chrome.storage.local.set({ history });
  const text = await savedText();
  const linesBefore = recordLines(history, "ai-training");

  await chrome.storage.local.clear();
  assert.deepEqual(await restore(text), { restored: { added: 4, already: 0 } });
  const { history: restored } = await stored();
  const savedAt = savedAtOf(text);
  assert.deepEqual(
    restored,
    history.map((line) => fromFile(line, savedAt)),
    "each line marked as from the file",
  );
  const saved = formatTime(savedAt);
  assert.deepEqual(
    recordLines(restored, "ai-training"),
    linesBefore.map((line) => `${line} (from a saved file, ${saved})`),
  );

  assert.deepEqual(await restore(text), { restored: { added: 0, already: 4 } });
  assert.deepEqual((await stored()).history, restored, "no line twice");
  // Saved again and restored, a line keeps the mark of the file it first came from.
  const again = await savedText();
  await chrome.storage.local.clear();
  await restore(again);
  assert.deepEqual((await stored()).history, restored);
});

test("a restored file merges with the record: each entry once, the copy that folded more repeats kept, ordered by when each was last seen", async () => {
  const older = turnedOff(daysAgo(30));
  const foldedOnSave = alreadyOff(daysAgo(20), 2, daysAgo(19));
  const foldedSince = alreadyOff(daysAgo(20), 5, daysAgo(2)); // the same entry, more repeats folded since
  const onlyInFile = signedOut(daysAgo(10));
  const onlyHere = adsOff(daysAgo(1));
  await chrome.storage.local.set({ history: [older, foldedSince, onlyHere] });

  const file = fileWith([older, foldedOnSave, onlyInFile]);
  const answer = await restore(file);
  assert.deepEqual(answer, { restored: { added: 1, already: 2 } });
  assert.deepEqual((await stored()).history, [
    older,
    fromFile(onlyInFile, savedAtOf(file)),
    foldedSince,
    onlyHere,
  ]);

  // Restored the other way round: the file's copy folded more, and it takes the line's place.
  await chrome.storage.local.set({ history: [older, foldedOnSave] });
  const other = fileWith([foldedSince]);
  await restore(other);
  assert.deepEqual((await stored()).history, [older, fromFile(foldedSince, savedAtOf(other))]);
});

test("restored lines stay within the record's caps: proof kept beyond the cap, the oldest of the rest dropped", async () => {
  const proof = [turnedOff(daysAgo(400)), turnedOff(daysAgo(300))];
  const rest = Array.from({ length: HISTORY_LIMIT + 10 }, (_, index) =>
    signedOut(daysAgo(200 - index)),
  );
  const file = fileWith([...proof, ...rest]);
  const answer = await restore(file);
  const { history } = await stored();
  const marked = (lines) => lines.map((line) => fromFile(line, savedAtOf(file)));
  assert.equal(history.length, HISTORY_LIMIT + proof.length);
  assert.deepEqual(history.slice(0, 2), marked(proof), "proof outlives the cap");
  assert.deepEqual(history.slice(2), marked(rest.slice(10)), "the newest of the rest");
  assert.deepEqual(answer, { restored: { added: HISTORY_LIMIT + proof.length, already: 0 } });
  // Proof older than the record keeps it is capped like the rest.
  await chrome.storage.local.clear();
  await restore(fileWith([turnedOff(daysAgo(800)), ...rest]));
  assert.equal(
    (await stored()).history.some((line) => line.outcome === "turned-off"),
    false,
  );
});

test("proof from saved files is kept up to its own cap, the newest; the record's own proof is not", async () => {
  const own = Array.from({ length: 5 }, (_, index) => turnedOff(daysAgo(300 - index)));
  await chrome.storage.local.set({ history: own });
  const minutesAfter = (days, minutes) =>
    new Date(Date.now() - days * DAY + minutes * 60_000).toISOString();
  const many = Array.from({ length: RESTORED_PROOF_LIMIT + 100 }, (_, index) =>
    turnedOff(minutesAfter(250, index)),
  );
  const answer = await restore(fileWith(many));
  const { history } = await stored();
  const restoredLines = history.filter((line) => line.restored);
  assert.equal(restoredLines.length, RESTORED_PROOF_LIMIT);
  assert.deepEqual(
    restoredLines.map((line) => line.at),
    many.slice(100).map((line) => line.at),
    "the newest",
  );
  assert.deepEqual(
    history.filter((line) => !line.restored),
    own,
    "the record's own proof stays whole",
  );
  assert.equal(answer.restored.added, RESTORED_PROOF_LIMIT);
});

test("a line dated after this browser's now is refused, even in a file saved later still", async () => {
  const ahead = new Date(Date.now() + 3_600_000).toISOString();
  const file = fileWith([{ ...GOOD, at: ahead }], {
    savedAt: new Date(Date.now() + 7_200_000).toISOString(),
  });
  assert.deepEqual(await restore(file), { refused: { problem: "entry", entry: 1, field: "at" } });
});

test("a restore waits in the queue that stores results: a result arriving first is stored first, and kept", async () => {
  const content = { id: EXTENSION_ID, url: `https://www.linkedin.com${AI_PAGE}`, tab: { id: 9 } };
  await send({ type: "visit", path: AI_PAGE }, content);
  // The result's storing is held where it reads the run (storage.session) until released.
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const session = chrome.storage.session;
  const read = session.get;
  session.get = async (...keys) => (await gate, read.apply(session, keys));
  try {
    const result = { rule: "ai-training", outcome: "already-off", path: AI_PAGE, clicks: 0 };
    await send({ type: "result", result }, content);
    const restoring = restore(fileWith([signedOut(daysAgo(10)), turnedOff(daysAgo(9))]));
    // Out of the queue, the restore would be done in a few milliseconds; in it, it waits.
    const waited = new Promise((resolve) => setTimeout(() => resolve("waiting"), 300));
    const first = await Promise.race([restoring.then(() => "restored"), waited]);
    assert.equal(first, "waiting", "the restore waits behind the result");
    assert.equal((await stored()).history, undefined);
    release();
    await restoring;
  } finally {
    session.get = read;
  }
  const { history } = await stored();
  assert.deepEqual(history.map((line) => line.outcome).sort(), [
    "already-off",
    "signed-out",
    "turned-off",
  ]);
});

test("a line's mark from an earlier file must be a saved time before this file's save", async () => {
  const savedAt = new Date().toISOString();
  const marked = (restored) => fileWith([{ ...GOOD, restored }], { savedAt });
  const refusal = { problem: "entry", entry: 1, field: "restored" };
  assert.deepEqual(await restore(marked("yesterday")), { refused: refusal });
  assert.deepEqual(await restore(marked(new Date(Date.now() + 60_000).toISOString())), {
    refused: refusal,
  });
  const earlier = daysAgo(1);
  assert.deepEqual(await restore(marked(earlier)), { restored: { added: 1, already: 0 } });
  assert.equal((await stored()).history[0].restored, earlier, "the first file's mark is kept");
});

const GOOD = turnedOff(daysAgo(3));
const DAMAGED = [
  ["not JSON", "{ this is not JSON", { problem: "not-json" }],
  ["no text at all", undefined, { problem: "unreadable" }],
  ["too large", " ".repeat(MAX_RECORD_SIZE + 1), { problem: "too-large" }],
  [
    "another format",
    fileWith([GOOD], { format: "some-other-backup" }),
    { problem: "not-record", field: "format" },
  ],
  ["a JSON list", JSON.stringify([GOOD]), { problem: "not-record", field: "format" }],
  [
    "a later format version",
    fileWith([GOOD], { formatVersion: 2 }),
    { problem: "format-version", field: "formatVersion", version: "2" },
  ],
  [
    "no format version",
    fileWith([GOOD], { formatVersion: undefined }),
    { problem: "format-version", field: "formatVersion", version: "null" },
  ],
  [
    "a version as text",
    fileWith([GOOD], { formatVersion: "1" }),
    { problem: "format-version", field: "formatVersion", version: '"1"' },
  ],
  [
    "a version no text can show",
    fileWith([GOOD], { formatVersion: { toString: 1 } }),
    { problem: "format-version", field: "formatVersion", version: '{"toString":1}' },
  ],
  [
    "no extension version",
    fileWith([GOOD], { extensionVersion: 1 }),
    { problem: "field", field: "extensionVersion" },
  ],
  [
    "saved in the future",
    fileWith([GOOD], { savedAt: new Date(Date.now() + 3 * DAY).toISOString() }),
    { problem: "field", field: "savedAt" },
  ],
  ["history not a list", fileWith({ 0: GOOD }), { problem: "field", field: "history" }],
  ["an entry not an object", fileWith([GOOD, "turned-off"]), { problem: "line", entry: 2 }],
  ["an entry a list", fileWith([[GOOD]]), { problem: "line", entry: 1 }],
  [
    "an unknown outcome",
    fileWith([GOOD, { ...GOOD, outcome: "switched-on" }]),
    { problem: "entry", entry: 2, field: "outcome" },
  ],
  [
    "an unknown rule",
    fileWith([{ ...GOOD, rule: "no-such-rule" }]),
    { problem: "entry", entry: 1, field: "rule" },
  ],
  [
    "another rule's page",
    fileWith([{ ...GOOD, path: ADS_PAGE }]),
    { problem: "entry", entry: 1, field: "path" },
  ],
  [
    "an unknown reason",
    fileWith([{ ...GOOD, reason: "because" }]),
    { problem: "entry", entry: 1, field: "reason" },
  ],
  [
    "a strategy not the rule's",
    fileWith([{ ...GOOD, strategy: "label-text:Kowalski" }]),
    { problem: "entry", entry: 1, field: "strategy" },
  ],
  [
    "more clicks than a run makes",
    fileWith([{ ...GOOD, clicks: 4 }]),
    { problem: "entry", entry: 1, field: "clicks" },
  ],
  [
    "a language no page reports",
    fileWith([{ ...GOOD, lang: "jan-Kowalski" }]),
    { problem: "entry", entry: 1, field: "lang" },
  ],
  [
    "a field nobody writes",
    fileWith([{ ...GOOD, cookie: "li_at=secret" }]),
    { problem: "entry", entry: 1, field: "cookie" },
  ],
  [
    "a field that would be a prototype",
    fileWith([GOOD]).replace('"rule":', '"__proto__": { "proof": "reload" }, "rule":'),
    { problem: "entry", entry: 1, field: "__proto__" },
  ],
  [
    "a page's proof of an on",
    fileWith([{ ...signedOut(daysAgo(1)), proof: "page" }]),
    { problem: "entry", entry: 1, field: "proof" },
  ],
  [
    "an unknown proof",
    fileWith([{ ...GOOD, proof: "notary" }]),
    { problem: "entry", entry: 1, field: "proof" },
  ],
  [
    "a time not as the extension writes it",
    fileWith([{ ...GOOD, at: "yesterday" }]),
    { problem: "entry", entry: 1, field: "at" },
  ],
  [
    "a time after the save",
    fileWith([turnedOff(new Date(Date.now() + DAY).toISOString())], {
      savedAt: new Date().toISOString(),
    }),
    { problem: "entry", entry: 1, field: "at" },
  ],
  [
    "a repeat before its line",
    fileWith([alreadyOff(daysAgo(2), 3, daysAgo(4))]),
    { problem: "entry", entry: 1, field: "last" },
  ],
  [
    "a count of one",
    fileWith([alreadyOff(daysAgo(2), 1, daysAgo(1))]),
    { problem: "entry", entry: 1, field: "count" },
  ],
  [
    "a count without its last time",
    fileWith([{ ...alreadyOff(daysAgo(2)), count: 3 }]),
    { problem: "entry", entry: 1, field: "count" },
  ],
  [
    "a last time without its count",
    fileWith([{ ...alreadyOff(daysAgo(2)), last: daysAgo(1) }]),
    { problem: "entry", entry: 1, field: "count" },
  ],
];

for (const [what, text, refused] of DAMAGED) {
  test(`a damaged file is refused, naming what is wrong, and nothing changes: ${what}`, async () => {
    const history = [signedOut(daysAgo(9)), turnedOff(daysAgo(8))];
    await chrome.storage.local.set({ history, automatic: false, chosen: ["ai-training"] });
    const before = await stored();
    assert.deepEqual(await restore(text), { refused });
    assert.deepEqual(await stored(), before);
  });
}

test("one damaged line among good ones refuses the whole file", async () => {
  const good = Array.from({ length: 5 }, (_, index) => turnedOff(daysAgo(10 - index)));
  const answer = await restore(
    fileWith([...good, { ...GOOD, outcome: "on", proof: "page" }, ...good]),
  );
  assert.deepEqual(answer, { refused: { problem: "entry", entry: 6, field: "proof" } });
  assert.deepEqual(await stored(), {});
});

test("only the extension's own pages may save or restore the record", async () => {
  await chrome.storage.local.set({ history: [GOOD] });
  const text = fileWith([signedOut(daysAgo(1))]);
  assert.equal(await send({ type: "restore-record", text }, CONTENT_SCRIPT), "no answer");
  assert.equal(await send({ type: "get-record" }, CONTENT_SCRIPT), "no answer");
  const page = { id: EXTENSION_ID, url: "https://www.linkedin.com/feed/" };
  assert.equal(await send({ type: "restore-record", text }, page), "no answer");
  assert.deepEqual((await stored()).history, [GOOD]);
});
