"""The store listing under store/, checked on every build (`python build.py`).

- Every language of extension/_locales has store/listing/<lang>.toml with every field, and
  every description links the privacy policy.
- The name and the short description are the package's own (extName, extDescription in
  extension/_locales/<lang>/messages.json): both stores read them from the uploaded package.
- Every message of extension/_locales/<lang>/messages.json whose key starts with "listing" is
  a line of that language's description, word for word (a bullet line may start with "• "):
  the first-run page shows those messages, so it says what the listing says.
- Each text fits every store's limit; the store forms (store/chrome-web-store.toml,
  store/addons.mozilla.org.toml) have every field.
- No text promises that the setting is kept off unless it names the re-check the member must
  choose for that (recheckLegend, "Check my settings again", as the options page names it):
  a visit or "Opt out now" switches it off once; only the weekly or monthly re-check checks it
  again. Checked per message, per line of a listing and per text of a store form.

A problem is one line naming the file (as sources.shown() puts it) and the field, e.g.
`store/listing/de.toml: description: missing`.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tools.build.sources import ROOT, BuildError, shown

STORE = Path("store")
LISTINGS = STORE / "listing"
LOCALES = Path("extension") / "_locales"
CHROME_FORM = STORE / "chrome-web-store.toml"
AMO_FORM = STORE / "addons.mozilla.org.toml"

# Fields of store/listing/<lang>.toml.
LISTING_FIELDS = ("description",)
# Messages whose key starts with this are lines of the listing's description (the first-run
# page shows them).
SHARED_PREFIX = "listing"
BULLET = "• "

# The package's own texts that the stores show as the listing's name and short description.
PACKAGE_FIELDS = ("extName", "extDescription")

# The stores' form fields (dotted for a field inside a table) and the type each must have.
FORM_FIELDS: dict[Path, dict[str, type]] = {
    CHROME_FORM: {
        "single_purpose": str,
        "privacy_policy_url": str,
        "remote_code": str,
        "justification.storage": str,
        "justification.alarms": str,
        "justification.host_permissions": str,
        "data_usage.collected": list,
        "data_usage.certifications": list,
    },
    AMO_FORM: {
        "categories": list,
        "license": str,
        "homepage": str,
        "support_url": str,
        "privacy_policy": str,
        "data_collection": str,
        "source_code": str,
        "notes_to_reviewer": str,
    },
}


@dataclass(frozen=True)
class Limit:
    store: str
    field: str
    characters: int


# The stores' limits, strictest first. Where they are written down:
# - name: "addons.mozilla.org accepts a maximum of 50 characters", "the Chrome Web Store accepts
#   a maximum of 75 characters" (MDN, WebExtensions manifest.json `name`); AMO's submission form
#   has `name = TransField(max_length=50)` (mozilla/addons-server, src/olympia/devhub/forms.py).
# - short description: "no more than 132 characters" (developer.chrome.com, Manifest
#   `description`; the Chrome Web Store shows it as the summary); AMO's form has
#   `summary = TransField(..., max_length=250)` (addons-server, as above).
# - long description: "Detailed Description (16,000 chars max)" (GoogleChrome/modern-web-guidance,
#   webstore/store-listing.md); AMO sets no maximum.
LIMITS: dict[str, tuple[Limit, ...]] = {
    "extName": (
        Limit("addons.mozilla.org", "name", 50),
        Limit("the Chrome Web Store", "name", 75),
    ),
    "extDescription": (
        Limit("the Chrome Web Store", "short description", 132),
        Limit("addons.mozilla.org", "summary", 250),
    ),
    "description": (Limit("the Chrome Web Store", "description", 16_000),),
}


# How each language says that the extension keeps a setting off (or off for good). A text
# saying so must name the re-check: its name on the options page, the message RECHECK_NAME.
KEEPS_OFF: dict[str, tuple[str, ...]] = {
    "en": (
        r"\bkeep(s|ing)? (it|them|that|this|the settings?) off\b",
        r"\boff (permanently|for good)\b",
        r"\bpermanently (off|switch|disabl)",
    ),
    "de": (
        r"\bhält (sie|ihn|es|die|diese) aus\b",
        r"\bausgeschaltet (hält|halten)\b",
        r"\bdauerhaft\b",
    ),
    "es": (
        r"\bmantiene[n]? desactivad",
        r"\bmantener(lo|la|los|las) desactivad",
        r"\bpermanentemente\b",
    ),
    "fr": (
        r"\b(garde|maintient|gardent|maintiennent) désactivé",
        r"\bdurablement\b",
        r"\ben permanence\b",
    ),
    "it": (r"\bmantiene disattivat", r"\bmantenerl[aoei] disattivat", r"\bpermanentemente\b"),
    "ja": (r"オフのまま(に)?(保|維持)", r"オフに(保|維持)", r"ずっとオフ"),
    "nl": (r"\bhoudt( ze)? (die|hem|ze|het) uit\b", r"\buit (te )?houden\b", r"\bblijvend uit\b"),
    "pt_BR": (r"\bmant(é|e)m desativad", r"\bmantê-l[ao]s? desativad", r"\bpermanentemente\b"),
}
RECHECK_NAME = "recheckLegend"


class ListingError(BuildError):
    """A problem in the store listing, worded for the person who has to fix it."""


def read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ListingError(f"{shown(path)}: missing") from None
    except tomllib.TOMLDecodeError as error:
        raise ListingError(f"{shown(path)}: invalid TOML: {error}") from None


def field_value(document: dict, path: Path, field: str, kind: type) -> object:
    value: object = document
    for part in field.split("."):
        if not isinstance(value, dict) or part not in value:
            raise ListingError(f"{shown(path)}: {field}: missing")
        value = value[part]
    if not isinstance(value, kind):
        raise ListingError(f"{shown(path)}: {field}: must be a {kind.__name__}")
    if isinstance(value, str) and not value.strip():
        raise ListingError(f"{shown(path)}: {field}: empty")
    return value


def check_length(path: Path, field: str, text: str) -> None:
    for limit in LIMITS.get(field, ()):
        if len(text) > limit.characters:
            raise ListingError(
                f"{shown(path)}: {field}: {len(text):,} characters, over {limit.store}'s limit "
                f"of {limit.characters:,} for the {limit.field}"
            )


def languages(root: Path) -> list[str]:
    return sorted(p.parent.name for p in (root / LOCALES).glob("*/messages.json"))


def check_package_texts(root: Path, language: str) -> None:
    path = root / LOCALES / language / "messages.json"
    messages = read_messages(root, language)
    for key in PACKAGE_FIELDS:
        if key not in messages:
            raise ListingError(f"{shown(path)}: {key}: missing")
        text = field_value(messages[key], path, "message", str)
        check_length(path, key, str(text).strip())


def read_messages(root: Path, language: str) -> dict:
    return json.loads((root / LOCALES / language / "messages.json").read_text(encoding="utf-8"))


def check_shared_lines(root: Path, language: str, path: Path, description: str) -> None:
    """The first-run page's texts from the listing are lines of the description, as they are."""
    lines = {line.removeprefix(BULLET) for line in description.splitlines()}
    messages_path = root / LOCALES / language / "messages.json"
    for key, entry in sorted(read_messages(root, language).items()):
        if key.startswith(SHARED_PREFIX) and entry.get("message") not in lines:
            raise ListingError(
                f"{shown(path)}: description: has no line with the text of {key} in "
                f"{shown(messages_path)} (the first-run page shows it: the two must be the same)"
            )


def keeps_off_promise(text: str, language: str, recheck: str) -> str | None:
    """The words of `text` that promise the setting is kept off, when `text` does not also name
    the re-check (`recheck`, the options page's name of it); None when it makes no such promise
    or names the re-check."""
    if recheck.casefold() in text.casefold():
        return None
    for pattern in KEEPS_OFF[language]:
        if found := re.search(pattern, text, re.IGNORECASE):
            return found.group(0)
    return None


def check_promise(path: Path, field: str, text: str, language: str, recheck: str) -> None:
    if promise := keeps_off_promise(text, language, recheck):
        raise ListingError(
            f"{shown(path)}: {field}: promises to keep the setting off (“{promise}”) without "
            f"naming the re-check that does it (“{recheck}”)"
        )


def check_promises(root: Path, language: str) -> None:
    """Every message, and every line of the listing, keeps its promises (KEEPS_OFF)."""
    messages_path = root / LOCALES / language / "messages.json"
    messages = read_messages(root, language)
    recheck = messages.get(RECHECK_NAME, {}).get("message")
    if not isinstance(recheck, str) or not recheck.strip():
        raise ListingError(f"{shown(messages_path)}: {RECHECK_NAME}: missing")
    for key, entry in messages.items():
        check_promise(messages_path, key, str(entry.get("message", "")), language, recheck)
    path = root / LISTINGS / f"{language}.toml"
    for line in read_toml(path)["description"].splitlines():
        check_promise(path, "description", line, language, recheck)


def form_texts(document: dict, prefix: str = "") -> list[tuple[str, str]]:
    """Every text of a store form, with its dotted field name."""
    texts: list[tuple[str, str]] = []
    for key, value in document.items():
        field = f"{prefix}{key}"
        if isinstance(value, dict):
            texts += form_texts(value, f"{field}.")
        elif isinstance(value, str):
            texts.append((field, value))
        elif isinstance(value, list):
            texts += [(field, item) for item in value if isinstance(item, str)]
    return texts


def check_listing(root: Path, language: str, privacy_url: str) -> None:
    path = root / LISTINGS / f"{language}.toml"
    document = read_toml(path)
    for field in sorted(document.keys() - set(LISTING_FIELDS)):
        raise ListingError(
            f"{shown(path)}: {field}: not a listing field (the name and short description are "
            f"extName and extDescription in {shown(root / LOCALES / language / 'messages.json')})"
        )
    for field in LISTING_FIELDS:
        text = str(field_value(document, path, field, str)).strip()
        check_length(path, field, text)
    if privacy_url not in document["description"]:
        raise ListingError(
            f"{shown(path)}: description: does not link the privacy policy ({privacy_url})"
        )
    check_shared_lines(root, language, path, document["description"])


def check(root: Path = ROOT) -> None:
    """Raises ListingError for the first problem found."""
    forms = {}
    for form, fields in FORM_FIELDS.items():
        forms[form] = read_toml(root / form)
        for field, kind in fields.items():
            field_value(forms[form], root / form, field, kind)
    policy = forms[AMO_FORM]["privacy_policy"]
    if not (root / policy).is_file():
        raise ListingError(f"{shown(root / AMO_FORM)}: privacy_policy: {policy} does not exist")
    privacy_url = forms[CHROME_FORM]["privacy_policy_url"]
    known = languages(root)
    for language in known:
        check_package_texts(root, language)
        check_listing(root, language, privacy_url)
        check_promises(root, language)
    # The forms are in English: the re-check as the English options page names it.
    recheck = read_messages(root, "en")[RECHECK_NAME]["message"]
    for form, document in forms.items():
        for field, text in form_texts(document):
            check_promise(root / form, field, text, "en", recheck)
    for extra in sorted({p.stem for p in (root / LISTINGS).glob("*.toml")} - set(known)):
        raise ListingError(f"{shown(root / LISTINGS / extra)}.toml: not a language of {LOCALES}")
