/* The size of the page outline that results needing diagnostics carry: the content script
   sends texts cut to OUTLINE_SENT_MAX, as they are; the background blanks out anything
   personal in them and cuts them to OUTLINE_TEXT_MAX, whatever was sent. */

/** Longest text kept (a heading, a label, an id). */
export const OUTLINE_TEXT_MAX = 80;
/** Longest text the content script sends: room for the blanking out to shorten it first. */
export const OUTLINE_SENT_MAX = 1000;
/** Most items kept in one list (headings, switches, labels). */
export const OUTLINE_ITEMS_MAX = 40;
