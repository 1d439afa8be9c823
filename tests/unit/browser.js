/* What the browser gives the extension, for unit tests: a fake `chrome` with the English
   messages (placeholders filled in as browsers do), the extension's id and URLs, storage in
   memory that reports its changes, a toolbar button that remembers what it shows, tabs that
   remember what was done with them, alarms that the test fires, and listeners that are
   recorded; and the rule data the build puts in the background bundle.
   Import this before any module of the extension: the extension's lib/api.js reads
   globalThis.chrome when it is first imported. */

import { readFileSync } from "node:fs";

const EXTENSION = new URL("../../extension/", import.meta.url);
const readJson = (path) => JSON.parse(readFileSync(new URL(path, EXTENSION), "utf8"));

export const ENGLISH = readJson("_locales/en/messages.json");
export const RULE_FILE = readJson("rules/linkedin.json");
export const SCHEMA = readJson("rules/schema.json");
export const EXTENSION_ID = "unit-test-extension";
export const EXTENSION_VERSION = "9.8.7";

/** Message `key` in English with `substitutions` in place of $1…$9, as getMessage does. */
export function englishMessage(key, substitutions = []) {
  const entry = ENGLISH[key];
  if (!entry) return "";
  const values = [substitutions].flat().map(String);
  const filled = (text) => text.replace(/\$(\d)/g, (_, n) => values[Number(n) - 1] ?? "");
  const placeholders = entry.placeholders ?? {};
  return entry.message.replace(/\$(\w+)\$/g, (whole, name) => {
    const placeholder = placeholders[name.toLowerCase()];
    return placeholder ? filled(placeholder.content) : whole;
  });
}

function event() {
  const listeners = [];
  return { listeners, addListener: (listener) => listeners.push(listener) };
}

const storageChanged = event();

/** A storage area in memory that tells storage.onChanged's listeners what changed, as browsers do. */
function storageArea(area) {
  const items = new Map();
  const change = (key, newValue) => {
    const entry = { oldValue: items.get(key), newValue };
    if (newValue === undefined) items.delete(key);
    else items.set(key, structuredClone(newValue));
    return [key, entry];
  };
  const tell = (changes) => {
    for (const listener of storageChanged.listeners) listener(Object.fromEntries(changes), area);
  };
  return {
    items,
    async get(keys) {
      const wanted = keys == null ? [...items.keys()] : [keys].flat();
      const present = wanted.filter((key) => items.has(key));
      return Object.fromEntries(present.map((key) => [key, structuredClone(items.get(key))]));
    },
    async set(values) {
      tell(Object.entries(values).map(([key, value]) => change(key, value)));
    },
    async remove(keys) {
      tell([keys].flat().map((key) => change(key, undefined)));
    },
    async clear() {
      tell([...items.keys()].map((key) => change(key, undefined)));
    },
  };
}

/** The toolbar button: what it shows. */
const action = {
  shown: { text: "", title: "", color: null },
  async setBadgeText({ text }) {
    action.shown.text = text;
  },
  async setTitle({ title }) {
    action.shown.title = title;
  },
  async setBadgeBackgroundColor({ color }) {
    action.shown.color = color;
  },
  async setBadgeTextColor() {},
};

/** Tabs: what the extension did with them, in order ([what, tab id, detail]), and the listeners. */
const tabs = {
  done: [],
  /** The URLs of the tabs the extension opened, in order. */
  created: [],
  nextId: 500,
  onUpdated: event(),
  onRemoved: event(),
  async create({ url, active = true }) {
    const tab = { id: tabs.nextId++, url };
    tabs.created.push(url);
    tabs.done.push(["create", tab.id, url, active]);
    return tab;
  },
  async get(tabId) {
    throw new Error(`no tab ${tabId}`);
  },
  async reload(tabId) {
    tabs.done.push(["reload", tabId]);
  },
  async update(tabId, { url }) {
    tabs.done.push(["update", tabId, url]);
  },
  async remove(tabId) {
    tabs.done.push(["remove", tabId]);
  },
  async sendMessage(tabId, message) {
    tabs.done.push(["message", tabId, message.type]);
  },
};

/** Alarms: the ones set, by name. None goes off by itself: a test fires one with `fire`. */
const alarms = {
  scheduled: new Map(),
  onAlarm: event(),
  async create(name, { when, delayInMinutes = 0 }) {
    alarms.scheduled.set(name, {
      name,
      scheduledTime: when ?? Date.now() + delayInMinutes * 60000,
    });
  },
  async clear(name) {
    return alarms.scheduled.delete(name);
  },
  async get(name) {
    return alarms.scheduled.get(name);
  },
  /** The alarm goes off as a browser fires it (cleared, then told); resolves when the listeners have. */
  fire(name) {
    const alarm = alarms.scheduled.get(name) ?? { name, scheduledTime: Date.now() };
    alarms.scheduled.delete(name);
    return Promise.all(alarms.onAlarm.listeners.map((listener) => listener(alarm)));
  },
};

export const chrome = {
  i18n: { getMessage: englishMessage },
  runtime: {
    id: EXTENSION_ID,
    getURL: (path) => `chrome-extension://${EXTENSION_ID}/${path}`,
    getManifest: () => ({ manifest_version: 3, version: EXTENSION_VERSION }),
    onMessage: event(),
    onStartup: event(),
    onInstalled: event(),
  },
  storage: {
    local: storageArea("local"),
    session: storageArea("session"),
    onChanged: storageChanged,
  },
  tabs,
  action,
  alarms,
};

globalThis.chrome = chrome;
// What build.py defines for the background bundle (its own copy keeps fewer fields).
globalThis.COMPILED_RULES = JSON.stringify(RULE_FILE);
// Times in words are local times: the tests read them in UTC.
process.env.TZ = "UTC";
