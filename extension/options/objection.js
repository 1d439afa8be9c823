/* Under a setting shown off, on the options and first-run pages: what its switch covers, and
   the way to object to the rest (a link to the site's form, and an objection text to copy).
   The extension never fills in or sends the form: the member does. */

import { t } from "../lib/describe.js";

function element(tag, className, text = "") {
  return Object.assign(document.createElement(tag), { className, textContent: text });
}

async function copyObjection(status) {
  await navigator.clipboard.writeText(t("objectionText"));
  status.textContent = t("objectionCopied");
}

/** The block for a setting whose switch has an objection form at `url`. */
export function objectionBlock(url) {
  const link = Object.assign(element("a", "objection-form", t("objectionFormLink")), {
    href: url,
    target: "_blank",
    rel: "noopener",
  });
  const line = element("p", "objection-line");
  line.append(element("span", "", t("objectionNeeded")), " ", link);
  const copy = Object.assign(element("button", "secondary copy-objection", t("objectionCopy")), {
    type: "button",
  });
  const copied = element("span", "copied");
  copied.setAttribute("role", "status");
  copied.setAttribute("aria-live", "polite");
  copy.addEventListener("click", () => copyObjection(copied));
  const copyRow = element("p", "objection-copy");
  copyRow.append(copy, copied);
  const block = element("div", "objection");
  block.append(element("p", "covers", t("aiTrainingOffCovers")), line, copyRow);
  return block;
}
