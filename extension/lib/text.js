/** Text as a person reads it: case, spacing, apostrophe shapes and Unicode forms do not count. */
export function normalizeText(text) {
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u02BC\u00B4\u0060]/g, "'")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/** A page path without trailing slashes, so "/a/b/" and "/a/b" are the same page. */
export function normalizePath(path) {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed;
}
