/* ESLint over the JavaScript this project writes: the extension's modules (a browser's
   globals and the WebExtensions API's), its unit tests and this root's config files (Node's).
   Not the fixture pages under harness/, which imitate LinkedIn's own script, nor the bench's
   reference copy of an old content script. `npm run lint:js` runs it with Prettier and tsc. */

import js from "@eslint/js";
import globals from "globals";

export default [
  {
    ignores: [
      "node_modules/",
      ".venv/",
      "dist/",
      "build/",
      "test-artifacts/",
      ".pytest-tmp/",
      "harness/",
      "bench/",
    ],
  },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `const { facts, ...rest } = raw` drops a field by naming it: the name is the point.
      "no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    files: ["extension/**/*.js"],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
  },
  {
    // The rule data: build.py has esbuild put it in place of this name (its `define`).
    files: ["extension/background/ruleset.js"],
    languageOptions: { globals: { COMPILED_RULES: "readonly" } },
  },
  {
    files: ["tests/unit/**/*.js", "*.js"],
    languageOptions: { globals: globals.node },
  },
];
