/* What tsc (tsconfig.json) cannot see in the extension's modules (extension/): names the build
   and the browsers define. Types only: nothing here is in a bundle. */

/** The rule data as one JSON text: build.py has esbuild put it in place of this name. */
declare const COMPILED_RULES: string;

/** Firefox's WebExtensions API (Chrome's is `chrome`): the same calls, as lib/api.js uses them. */
declare var browser: typeof chrome | undefined;

interface Element {
  /** Every element of the extension's pages is an HTML one, which has data-* attributes. */
  readonly dataset: DOMStringMap;
}
