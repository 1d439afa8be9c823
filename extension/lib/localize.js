/* The extension's pages in the browser's language: every element marked data-i18n gets its
   message as text, every one marked data-i18n-label as its accessible name. */

import { t, uiLanguage } from "./describe.js";

export function localizePage() {
  document.documentElement.lang = uiLanguage();
  for (const element of document.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of document.querySelectorAll("[data-i18n-label]")) {
    element.setAttribute("aria-label", t(element.dataset.i18nLabel));
  }
}
