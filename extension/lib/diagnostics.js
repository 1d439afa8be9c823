/* The size of the page outline that results needing diagnostics carry: the content script
   cuts to it, the background cuts to it again whatever was sent. */

/** Longest text kept (a heading, a label, an id). */
export const OUTLINE_TEXT_MAX = 80;
/** Most items kept in one list (headings, switches, labels). */
export const OUTLINE_ITEMS_MAX = 40;
