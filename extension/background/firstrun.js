/* The first-run page: opened once, when the extension is installed; not when it is updated,
   reloaded or the browser updates (onInstalled's other reasons). */

import { api } from "../lib/api.js";

const FIRST_RUN_PAGE = "welcome/welcome.html";

export async function openFirstRunPage({ reason }) {
  if (reason === "install") await api.tabs.create({ url: api.runtime.getURL(FIRST_RUN_PAGE) });
}
