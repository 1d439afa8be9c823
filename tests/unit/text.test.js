import assert from "node:assert/strict";
import { test } from "node:test";

import { normalizePath, normalizeText } from "../../extension/lib/text.js";

test("label texts match whatever their case, spacing, apostrophes and Unicode forms", () => {
  assert.equal(
    normalizeText("  Use my DATA\u00a0for training\n content creation AI models "),
    "use my data for training content creation ai models",
  );
  // LinkedIn's French label uses a typographic apostrophe; a rule may be typed with a plain one.
  assert.equal(
    normalizeText("Données pour l\u2019amélioration de l\u2019IA générative"),
    normalizeText("Données pour l'amélioration de l'IA générative"),
  );
  for (const apostrophe of ["\u2018", "\u2019", "\u02bc", "`"]) {
    assert.equal(normalizeText(`l${apostrophe}IA`), "l'ia");
  }
  // NFKC: full-width letters and composed forms read as the plain ones.
  assert.equal(normalizeText("ＡＩ"), "ai");
  assert.equal(normalizeText("Donne\u0301es"), normalizeText("Données"));
});

test("different words stay different", () => {
  assert.notEqual(normalizeText("Use my data"), normalizeText("Use my date"));
});

test("a page path with or without trailing slashes is the same page", () => {
  const page = "/mypreferences/d/settings/data-for-ai-improvement";
  assert.equal(normalizePath(`${page}/`), page);
  assert.equal(normalizePath("/a/b//"), "/a/b");
  assert.equal(normalizePath("/a/b"), "/a/b");
  assert.equal(normalizePath("/"), "/");
  assert.equal(normalizePath("///"), "/");
});
