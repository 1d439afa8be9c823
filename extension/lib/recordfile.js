/* The record as a file, as both sides see it: the options page that saves and reads the
   files, and the background that writes the document and checks a file read back. */

/** What a saved record says it is. */
export const RECORD_FORMAT = "linkedin-ai-optout-record";
/** The version of the file's layout; a file of another version is refused, not guessed at. */
export const RECORD_FORMAT_VERSION = 1;
/**
 * The largest record file read back, in bytes (a record at its caps is a few hundred kB at most).
 */
export const MAX_RECORD_SIZE = 1_000_000;

const twoDigits = (value) => String(value).padStart(2, "0");

/**
 * The files' name without extension, by the local date of saving:
 * "linkedin-ai-optout-record-2026-11-30".
 */
export function recordFileName(savedAt) {
  const date = new Date(savedAt);
  const day = [date.getFullYear(), twoDigits(date.getMonth() + 1), twoDigits(date.getDate())];
  return `linkedin-ai-optout-record-${day.join("-")}`;
}
