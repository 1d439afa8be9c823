/* A diagnostics report as the popup copies it, from page facts, for the check-rules tests
   (tests/build/test_rulecheck.py): reads {"facts": …, "latest": …, "hubRows": …} on stdin,
   where facts are what the content script reads in the settings app and sends with its
   result, latest the rest of that result, and hubRows the privacy hub's rows no rule knows
   ({ path, text }), and prints the report made by the extension's own code (the background's
   check of the result, which makes the outline, its outline of the hub rows, and the popup's
   report). */

import { readFileSync } from "node:fs";

import { RULE_FILE } from "./browser.js";
import { cleanResult } from "../../extension/background/record.js";
import { knowledgeOf } from "../../extension/lib/allowlist.js";
import { knownPages, reportedRows } from "../../extension/lib/hub.js";
import { copiedReport, diagnosticsDocument } from "../../extension/lib/report.js";

const { facts, latest = {}, hubRows = [] } = JSON.parse(readFileSync(0, "utf8"));
const rule = RULE_FILE.rules.find((candidate) => candidate.id === (latest.rule ?? "ai-training"));
const sent = {
  rule: rule.id,
  outcome: "not-found",
  path: rule.pages[0],
  lang: "en",
  ...latest,
  facts,
};
const result = cleanResult(sent);
if (!result)
  throw new Error(`write-report.js: the background refuses this result: ${JSON.stringify(latest)}`);
const stored = { ...result, at: "2026-11-29T14:02:33.481Z" };
const environment = {
  version: "0.1.0",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.6778.85 Safari/537.36",
  browserLanguage: "en",
};
const hub = reportedRows(
  hubRows,
  knowledgeOf(RULE_FILE.rules, RULE_FILE.site),
  knownPages(RULE_FILE.rules, RULE_FILE.site),
);
process.stdout.write(copiedReport(diagnosticsDocument(stored, environment, hub)));
