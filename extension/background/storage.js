/* What the extension keeps in the browser's storage, and the value of each key until it is
   first written. Only the background reads and writes it (pages ask it by message). */

import { api } from "../lib/api.js";

const DEFAULTS = {
  local: {
    // Rule id -> its latest result, with the page outline when it needs one.
    latest: {},
    // The last HISTORY_LIMIT results, oldest first, without outlines.
    history: [],
    // Switch chosen settings off on every visit (false: only read them).
    automatic: true,
    // Rule ids the member chose; null until they choose: the rules' defaults.
    chosen: null,
    // How the last "Opt out now" over several settings ended.
    lastSweep: null,
  },
  session: {
    // The "Opt out now" going on, if any (survives the background being stopped).
    run: null,
  },
};

/** How many results the opt-out record keeps. */
export const HISTORY_LIMIT = 50;

/** One storage area, by the keys it may hold; an unknown key is a mistake in the code. */
function storageArea(name) {
  const defaults = DEFAULTS[name];
  const known = (keys) => {
    for (const key of keys) {
      if (!Object.hasOwn(defaults, key)) throw new Error(`storage.${name}: unknown key ${key}`);
    }
    return keys;
  };
  return {
    /** The stored values of these keys, each its default until first written. */
    async read(...keys) {
      const stored = await api.storage[name].get(known(keys));
      return Object.fromEntries(keys.map((key) => [key, stored[key] ?? structuredClone(defaults[key])]));
    },
    write(values) {
      known(Object.keys(values));
      return api.storage[name].set(values);
    },
    remove(key) {
      known([key]);
      return api.storage[name].remove(key);
    },
    /** Whether a storage.onChanged event touches any of these keys of this area. */
    changed(changes, area, ...keys) {
      return area === name && known(keys).some((key) => Object.hasOwn(changes, key));
    },
  };
}

/** storage.local: kept across browser restarts. */
export const localStore = storageArea("local");
/** storage.session: forgotten when the browser closes. */
export const sessionStore = storageArea("session");
