/* A hub page (a page that lists the site's data-use settings): once its section shows, the
   rows' links and names go to the background, which compares them with the rules. Nothing
   is clicked here. */

import { api } from "../lib/api.js";
import { FROM_CONTENT } from "../lib/messages.js";
import { normalizeText } from "../lib/text.js";
import { HEADING_SELECTOR } from "./switches.js";
import { watchDom } from "./watch.js";

const ROWS_MAX = 50;

/** A row's name: the first text in its link (what follows, such as "On", is its value). */
function firstText(link) {
  const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    if (text) return text;
  }
  return "";
}

/** The rows after the section's heading up to the next heading, once there is one. */
function sectionRows({ section, row }) {
  const isHeading = (element) => element.matches(HEADING_SELECTOR) && !element.closest(row);
  const elements = [...document.querySelectorAll(`${HEADING_SELECTOR}, ${row}`)];
  const start = elements.findIndex(
    (element) => isHeading(element) && section.includes(normalizeText(element.textContent)),
  );
  if (start < 0) return undefined;
  const rest = elements.slice(start + 1);
  const end = rest.findIndex(isHeading);
  const rows = (end < 0 ? rest : rest.slice(0, end)).filter((element) => element.matches(row));
  return rows.length > 0
    ? rows.slice(0, ROWS_MAX).map((link) => ({
        href: /** @type {HTMLAnchorElement} */ (link).href,
        text: firstText(link),
      }))
    : undefined;
}

/** Reads the hub's section within the visit's time limit; abort() stops it. */
export function readHub(hub, config, path) {
  const controller = new AbortController();
  const watching = {
    deadline: performance.now() + config.timing.limitMs,
    signal: controller.signal,
  };
  watchDom(() => sectionRows(hub), watching).then(({ value }) => {
    if (value)
      api.runtime.sendMessage({ type: FROM_CONTENT.hub, path, rows: value }).catch(() => {});
  });
  return controller;
}
