/* The diagnostics property test (diagnostics-pages.js), the odd seeds: in two files so that
   `npm test` can run them side by side. */

import { test } from "node:test";

import { checkSeed, PAGES_PER_SEED, SEEDS } from "./diagnostics-pages.js";

for (const seed of SEEDS.filter((_, index) => index % 2 === 1)) {
  test(`seed ${seed}: ${PAGES_PER_SEED} pages of personal data, none of it in the report or what is stored`, (t) =>
    checkSeed(seed, t));
}
