/* A diagnostics report as the popup copies it, from page facts, for the check-rules tests
   (tests/build/test_rulecheck.py): reads {"facts": …, "latest": …} on stdin, where facts are
   what the content script reads in the settings app and latest the rest of a stored result,
   and prints the report made by the extension's own code (content script, background, popup). */

import { readFileSync } from "node:fs";

import { knowledgeOf, reportedLanguage } from "../../extension/lib/allowlist.js";
import { cleanOutline, outlineOf } from "../../extension/lib/outline.js";
import { copiedReport, diagnosticsDocument } from "../../extension/lib/report.js";

const { site, rules } = JSON.parse(readFileSync(new URL("../../extension/rules/linkedin.json", import.meta.url), "utf8"));
const { facts, latest = {} } = JSON.parse(readFileSync(0, "utf8"));
const rule = rules.find((candidate) => candidate.id === (latest.rule ?? "ai-training"));
const everything = knowledgeOf(rules, site);
const stored = {
  rule: rule.id,
  outcome: "not-found",
  path: rule.pages[0],
  at: "2026-11-29T14:02:33.481Z",
  ...latest,
  lang: reportedLanguage(latest.lang ?? "en", everything),
  diagnostics: cleanOutline(outlineOf(facts, knowledgeOf([rule], site)), everything),
};
const environment = { version: "0.1.0", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.6778.85 Safari/537.36", browserLanguage: "en" };
process.stdout.write(copiedReport(diagnosticsDocument(stored, environment)));
