"""Texts as the extension compares and reports them, shared by the build's rule checks and
check-rules: `normalize_text` is the engine's normalizeText (extension/lib/text.js), and
`text_shape` the shape a diagnostics report gives a text the extension does not know
(extension/lib/allowlist.js)."""

from __future__ import annotations

import unicodedata

# The scripts a text shape names, as Unicode character names begin, and the order shapes list
# them in (extension/lib/allowlist.js names them by the Unicode Script property).
SCRIPT_NAMES = {
    "LATIN": "Latin",
    "GREEK": "Greek",
    "CYRILLIC": "Cyrillic",
    "ARMENIAN": "Armenian",
    "HEBREW": "Hebrew",
    "ARABIC": "Arabic",
    "DEVANAGARI": "Devanagari",
    "BENGALI": "Bengali",
    "TAMIL": "Tamil",
    "THAI": "Thai",
    "GEORGIAN": "Georgian",
    "HANGUL": "Hangul",
    "HIRAGANA": "Hiragana",
    "KATAKANA": "Katakana",
    "CJK": "Han",
    "ETHIOPIC": "Ethiopic",
}
SHAPE_KINDS = [*SCRIPT_NAMES.values(), "digits", "symbols", "other script"]
APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})


def normalize_text(text: str) -> str:
    """The engine's normalizeText: case, spacing, apostrophes and Unicode forms do not count."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(APOSTROPHES).split()).lower()


def character_kinds(char: str) -> set[str]:
    name = unicodedata.name(char, "")
    kinds = {SCRIPT_NAMES[word] for word in name.split()[:1] if word in SCRIPT_NAMES}
    if unicodedata.category(char) == "Nd":
        kinds.add("digits")
    if not kinds:
        common = unicodedata.category(char)[0] in "PSZNM" or name.startswith("KATAKANA-HIRAGANA")
        kinds.add("symbols" if common else "other script")
    return kinds


def text_shape(text: str) -> str:
    """The shape a report gives a text the extension does not know: "‹text 52 chars, Latin,
    9 words›" (as extension/lib/allowlist.js writes it)."""
    normalized = normalize_text(text)
    if not normalized:
        return "‹empty text›"
    chars, words = len(normalized), len(normalized.split(" "))
    found = set().union(*(character_kinds(c) for c in normalized if not c.isspace()))
    kinds = ", ".join(kind for kind in SHAPE_KINDS if kind in found)
    return f"‹text {chars} char{'s' * (chars != 1)}, {kinds}, {words} word{'s' * (words != 1)}›"
