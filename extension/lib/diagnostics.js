/* The size of the page outline that results needing diagnostics carry: the content script
   cuts texts to OUTLINE_SENT_MAX and lists to OUTLINE_ITEMS_MAX; the background blanks out
   what is personal (background/redact.js), then cuts to OUTLINE_TEXT_MAX and
   OUTLINE_ITEMS_MAX whatever was sent. */

/** Longest text kept (a heading, a label, an id). */
export const OUTLINE_TEXT_MAX = 80;
/** Longest text the content script sends: enough that what the background blanks out is
 * whole within the OUTLINE_TEXT_MAX it keeps. */
export const OUTLINE_SENT_MAX = 4 * OUTLINE_TEXT_MAX;
/** Most items kept in one list (headings, switches, labels). */
export const OUTLINE_ITEMS_MAX = 40;
