/**
 * The WebExtensions API: `browser` in Firefox, `chrome` in Chrome (both return promises in MV3).
 */
/** @type {import("./messages.js").Api} */
export const api = globalThis.browser ?? globalThis.chrome;
