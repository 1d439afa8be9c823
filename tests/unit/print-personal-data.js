/* Personal data for the end-to-end diagnostics test (tests/e2e/test_diagnostics.py), from the
   generator the property test uses: `node tests/unit/print-personal-data.js SEED COUNT` prints
   {"texts": [...], "needles": [...]}: the texts a page shows, and the personal data in them. */

import { normalizeText } from "../../extension/lib/text.js";
import { mulberry32, personalData } from "./personal-data.js";

const [seed, count] = process.argv.slice(2).map(Number);
const rng = mulberry32(seed);
const texts = [];
const needles = [];
for (let index = 0; index < count; index += 1) {
  const { text, needles: inside } = personalData(rng, {
    mark: "--- the report",
    normalize: normalizeText,
  });
  texts.push(text);
  needles.push(...inside);
}
process.stdout.write(JSON.stringify({ texts, needles }));
