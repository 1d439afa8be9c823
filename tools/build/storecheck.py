"""`python build.py release --check`: the release folder's packages against each store's rules,
before anything is uploaded. One line per check; the first failure stops it with one line
naming the package, the store and the rule (exit status 1).

The Chrome Web Store and Microsoft Edge Add-ons get the Chrome package, addons.mozilla.org
(AMO) the Firefox package with the source package. What each rule rests on (searched
December 2026; where a store publishes no figure, the rule says what it holds to instead):

- name: AMO at most 50 characters, the Chrome Web Store 75, Microsoft Edge Add-ons 45 (MDN,
  WebExtensions manifest.json `name`, "as of February 2024").
- description: "no more than 132 characters" (developer.chrome.com, Manifest `description`; the
  Chrome Web Store shows it as the summary, and Edge takes the same package); AMO's summary
  250 (mozilla/addons-server, devhub/forms.py). Counted per language, after the
  `__MSG_name__` placeholders are replaced by _locales/<lang>/messages.json.
- version: one to four dot-separated integers, no leading zeros, each at most 65535
  (developer.chrome.com, Manifest `version`); Firefox: at most four, each up to 9 digits (MDN,
  manifest.json `version`). It must be pyproject.toml's version.
- icons: "You should always provide a 128x128 icon; it's used during installation and by the
  Chrome Web Store" (developer.chrome.com, Manifest icons); Edge takes the Chrome package and
  shows the same icon (its 300x300 store logo is uploaded in Partner Center, not packaged).
  AMO shows the manifest's icons on its pages, 48 px and up (extensionworkshop.com); the check
  wants the declared file in the package at the declared size.
- size: AMO "The maximum file size accepted is 200 MB" (MDN, Submitting an add-on). The
  Chrome Web Store's 2 GB is its upload form's figure (not found in the documentation
  searched). Microsoft publishes no maximum for Edge; the check holds Edge to AMO's 200 MB.
- Edge refuses a package holding a compressed file ("Package acceptance validation error: The
  uploaded package consists of a compressed file", microsoft/MicrosoftEdge-Extensions
  discussion 135); and its listing texts (the package's name and description, the
  descriptions of store/listing/, store/edge-add-ons.toml, read from the source package) name
  no other browser's store: no "Chrome".
- AMO: "From November 3, 2025, all new extensions must adopt the Firefox built-in data
  collection consent system", in Firefox 140 and later on desktop, 142 on Android
  (extensionworkshop.com, Firefox built-in consent for data collection and transmission):
  `browser_specific_settings.gecko.data_collection_permissions.required` is a non-empty list,
  `gecko.strict_min_version` at least 140 and `gecko_android.strict_min_version` at least 142;
  `gecko.id` is what signing keeps the add-on by.
- No remote code (Chrome Web Store program policies for Manifest V3; AMO add-on policies): no
  script loaded from an http(s) address, no `eval(`, `new Function(`, string timers, no remote
  `import(` or `importScripts(`, no remote source in a content security policy.
- The source package builds the same store packages, byte for byte: it is unpacked into a
  temporary folder and its documented build (BUILDING.md: `python build.py` after `npm ci`)
  runs there, with the checkout's node_modules when the lock files agree (else `npm ci`).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, UnidentifiedImageError

from tools.build.output import PACKAGE, package_name
from tools.build.sources import BuildError, read_version

MB = 1024 * 1024
EDGE_FORM = "store/edge-add-ons.toml"
EDGE_FORM_FIELDS = ("search_terms", "notes_for_certification", "privacy_policy_url", "support_url")
LISTINGS = "store/listing/"
OTHER_BROWSER = re.compile(r"\bchrome\b", re.IGNORECASE)
PLACEHOLDER = re.compile(r"__MSG_(\w+)__")
COMPRESSED = (".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".crx", ".xpi", ".br", ".zst")
REMOTE_CODE = {
    ".js": re.compile(
        r"\beval\s*\(|\bnew\s+Function\s*\(|\bset(?:Timeout|Interval)\s*\(\s*[\"'`]"
        r"|\b(?:import|importScripts)\s*\(\s*[\"'`](?:https?:)?//"
    ),
    ".html": re.compile(r"<script[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE),
}


class CheckFailed(BuildError):
    """A package that a store would refuse: the package, the store and the rule."""


@dataclass(frozen=True)
class Store:
    name: str
    browser: str  # which package of the release it gets
    name_limit: int
    description_limit: int
    icon_size: int  # the icon the store shows, declared in `icons` and in the package
    max_bytes: int
    version: re.Pattern[str]


CHROME_VERSION = re.compile(r"(?:0|[1-9]\d{0,4})(?:\.(?:0|[1-9]\d{0,4})){0,3}")
FIREFOX_VERSION = re.compile(r"(?:0|[1-9]\d{0,8})(?:\.(?:0|[1-9]\d{0,8})){0,3}")
CHROME_WEB_STORE = Store("Chrome Web Store", "chrome", 75, 132, 128, 2048 * MB, CHROME_VERSION)
EDGE = Store("Microsoft Edge Add-ons", "chrome", 45, 132, 128, 200 * MB, CHROME_VERSION)
AMO = Store("addons.mozilla.org", "firefox", 50, 250, 48, 200 * MB, FIREFOX_VERSION)


@dataclass(frozen=True)
class Package:
    path: Path
    size: int
    files: dict[str, bytes]
    manifest: dict


@dataclass(frozen=True)
class Release:
    folder: Path
    version: str
    packages: dict[str, Package]  # browser -> its package
    source: dict[str, bytes]  # the source package's files


def failed(package: str, store: str, rule: str, problem: str) -> CheckFailed:
    return CheckFailed(f"{package}: {store}: {rule}: {problem}")


def read_zip(path: Path) -> dict[str, bytes]:
    if not path.is_file():
        raise CheckFailed(f"{path.name}: missing from {path.parent} (run build.py release)")
    try:
        with zipfile.ZipFile(path) as archive:
            return {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
    except (zipfile.BadZipFile, OSError) as error:
        raise CheckFailed(f"{path.name}: not a zip file ({error})") from None


def read_package(path: Path) -> Package:
    files = read_zip(path)
    if "manifest.json" not in files:
        raise CheckFailed(f"{path.name}: manifest.json: missing from the package")
    try:
        manifest = json.loads(files["manifest.json"])
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckFailed(f"{path.name}: manifest.json: not JSON ({error})") from None
    if not isinstance(manifest, dict):
        raise CheckFailed(f"{path.name}: manifest.json: not a JSON object")
    return Package(path, path.stat().st_size, files, manifest)


def read_release(folder: Path, version: str) -> Release:
    packages = {b: read_package(folder / package_name(version, b)) for b in ("chrome", "firefox")}
    source = read_zip(folder / f"{PACKAGE}-{version}-source.zip")
    return Release(folder, version, packages, source)


# ---------------------------------------------------------------- texts


def messages(package: Package, language: str) -> dict[str, str]:
    """A language's messages, keys in lower case (placeholders are matched without case)."""
    name = f"_locales/{language}/messages.json"
    try:
        data = json.loads(package.files[name])
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckFailed(f"{name}: not JSON ({error})") from None
    if not isinstance(data, dict) or not all(isinstance(e, dict) for e in data.values()):
        raise CheckFailed(f"{name}: not an object of messages")
    return {key.lower(): str(entry.get("message", "")) for key, entry in data.items()}


def languages(package: Package) -> list[str]:
    names = (PurePosixPath(name) for name in package.files)
    return sorted(
        p.parts[1]
        for p in names
        if len(p.parts) == 3 and p.parts[0] == "_locales" and p.name == "messages.json"
    )


def localized(package: Package, field: str) -> dict[str, str]:
    """A manifest text in every language the package has, its placeholders filled in."""
    text = package.manifest.get(field)
    if not isinstance(text, str) or not text.strip():
        raise CheckFailed(f"{field}: missing from manifest.json")
    found = languages(package) or ["(none)"]
    texts = {}
    for language in found:
        table = messages(package, language) if language != "(none)" else {}

        def fill(match: re.Match[str], table: dict[str, str] = table, lang: str = language) -> str:
            if match[1].lower() not in table:
                raise CheckFailed(f"{field}: {match[0]} has no message in _locales/{lang}")
            return table[match[1].lower()]

        texts[language] = PLACEHOLDER.sub(fill, text).strip()
    return texts


# ---------------------------------------------------------------- the rules


def check_name(store: Store, package: Package) -> str:
    names = localized(package, "name")
    for language, name in names.items():
        if len(name) > store.name_limit:
            raise CheckFailed(
                f"name: {len(name)} characters in {language} ({name!r}), over the "
                f"{store.name_limit} the store accepts"
            )
    return f"name: {len(names)} languages, at most {max(map(len, names.values()))} characters"


def check_description(store: Store, package: Package) -> str:
    texts = localized(package, "description")
    for language, text in texts.items():
        if len(text) > store.description_limit:
            raise CheckFailed(
                f"description: {len(text)} characters in {language}, over the "
                f"{store.description_limit} the store shows"
            )
    longest = max(map(len, texts.values()))
    return f"description: at most {longest} of {store.description_limit} characters"


def check_version(store: Store, package: Package, version: str) -> str:
    found = package.manifest.get("version")
    if not isinstance(found, str) or not store.version.fullmatch(found):
        raise CheckFailed(f"version: {found!r} is not a version the store accepts")
    if store.version is CHROME_VERSION and any(int(p) > 65535 for p in found.split(".")):
        raise CheckFailed(f"version: {found!r} has a part over 65535")
    if found != version:
        raise CheckFailed(f"version: {found}, but pyproject.toml says {version}")
    if package.manifest.get("manifest_version") != 3:
        raise CheckFailed("manifest_version: not 3")
    return f"version: {found}, manifest_version 3"


def icon_pixels(data: bytes) -> tuple[int, int] | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return None


def check_icon(store: Store, package: Package) -> str:
    icons = package.manifest.get("icons")
    icons = icons if isinstance(icons, dict) else {}
    file = icons.get(str(store.icon_size))
    if not isinstance(file, str):
        sizes = ", ".join(sorted(icons, key=lambda s: int(s) if s.isdigit() else 0)) or "none"
        raise CheckFailed(f"icons: no {store.icon_size} px icon (the manifest declares {sizes})")
    if file not in package.files:
        raise CheckFailed(f"icons: {file} ({store.icon_size} px) is not in the package")
    pixels = icon_pixels(package.files[file])
    if pixels != (store.icon_size, store.icon_size):
        shown = "not an image" if pixels is None else f"{pixels[0]}x{pixels[1]}"
        raise CheckFailed(f"icons: {file} is {shown}, not {store.icon_size}x{store.icon_size}")
    return f"icons: {file}, {store.icon_size}x{store.icon_size}"


def check_size(store: Store, package: Package) -> str:
    if package.size > store.max_bytes:
        raise CheckFailed(
            f"size: {package.size:,} bytes, over the store's {store.max_bytes // MB:,} MB"
        )
    return f"size: {package.size:,} bytes of {store.max_bytes // MB:,} MB"


def check_remote_code(store: Store, package: Package) -> str:
    for name, data in sorted(package.files.items()):
        pattern = REMOTE_CODE.get(PurePosixPath(name).suffix)
        if pattern and (found := pattern.search(data.decode("utf-8", "replace"))):
            raise CheckFailed(f"remote code: {name} has {found[0]!r}")
    policy = json.dumps(package.manifest.get("content_security_policy", ""))
    if re.search(r"https?:|\*", policy):
        raise CheckFailed("remote code: content_security_policy allows a remote source")
    scripts = sum(PurePosixPath(n).suffix in REMOTE_CODE for n in package.files)
    return f"remote code: none in {scripts} scripts and pages"


def version_number(text: object) -> float:
    match = re.match(r"(\d+)(?:\.(\d+))?", text) if isinstance(text, str) else None
    return float(f"{match[1]}.{match[2] or 0}") if match else 0.0


def check_gecko(store: Store, package: Package) -> str:
    settings = package.manifest.get("browser_specific_settings")
    settings = settings if isinstance(settings, dict) else {}
    gecko = settings.get("gecko") if isinstance(settings.get("gecko"), dict) else {}
    if not isinstance(gecko.get("id"), str) or not gecko["id"]:
        raise CheckFailed("browser_specific_settings.gecko.id: missing (signing needs it)")
    declared = gecko.get("data_collection_permissions")
    required = declared.get("required") if isinstance(declared, dict) else None
    if not isinstance(required, list) or not required:
        raise CheckFailed(
            "browser_specific_settings.gecko.data_collection_permissions: missing (required for "
            'new add-ons since November 2025; {"required": ["none"]} when nothing is collected)'
        )
    desktop = gecko.get("strict_min_version")
    if version_number(desktop) < 140:
        raise CheckFailed(
            f"browser_specific_settings.gecko.strict_min_version: {desktop!r}; "
            "data_collection_permissions needs Firefox 140 or later"
        )
    android = settings.get("gecko_android")
    android_min = android.get("strict_min_version") if isinstance(android, dict) else None
    if version_number(android_min) < 142:
        raise CheckFailed(
            f"browser_specific_settings.gecko_android.strict_min_version: {android_min!r}; "
            "data_collection_permissions needs Firefox for Android 142 or later"
        )
    return (
        f"gecko: id {gecko['id']}, data_collection_permissions {json.dumps(declared)}, "
        f"Firefox {desktop}+, Android {android_min}+"
    )


def check_no_archives(store: Store, package: Package) -> str:
    for name in sorted(package.files):
        if name.lower().endswith(COMPRESSED):
            raise CheckFailed(f"compressed file: {name} (Edge refuses a package holding one)")
    return f"compressed files: none of {len(package.files)} files"


def edge_texts(release: Release, package: Package) -> dict[str, str]:
    """Where each text Edge shows comes from -> the text."""
    texts = {}
    for field in ("name", "description"):
        for language, text in localized(package, field).items():
            texts[f"{field} ({language})"] = text
    for name, data in sorted(release.source.items()):
        if name.startswith(LISTINGS) and name.endswith(".toml"):
            texts[f"{name}: description"] = str(read_toml(name, data).get("description", ""))
    if EDGE_FORM not in release.source:
        raise CheckFailed(f"{EDGE_FORM}: missing from the source package")
    form = read_toml(EDGE_FORM, release.source[EDGE_FORM])
    for field in EDGE_FORM_FIELDS:
        if not form.get(field):
            raise CheckFailed(f"{EDGE_FORM}: {field}: missing")
        value = form[field]
        texts[f"{EDGE_FORM}: {field}"] = " ".join(value) if isinstance(value, list) else str(value)
    return texts


def read_toml(name: str, data: bytes) -> dict:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CheckFailed(f"{name}: not TOML ({error})") from None


def check_edge_listing(release: Release, package: Package) -> str:
    texts = edge_texts(release, package)
    for where, text in texts.items():
        if found := OTHER_BROWSER.search(text):
            raise CheckFailed(
                f"listing: {where} names {found[0]!r} (Edge's listing names no other browser)"
            )
    return f"listing: {len(texts)} texts, none naming Chrome"


# ---------------------------------------------------------------- the source package


def link_node_modules(folder: Path, root: Path) -> None:
    """The checkout's node_modules when it was installed from the same lock file, else npm ci."""
    lock = "package-lock.json"
    same = (root / lock).is_file() and (root / lock).read_bytes() == (folder / lock).read_bytes()
    if same and (root / "node_modules").is_dir():
        (folder / "node_modules").symlink_to(root / "node_modules", target_is_directory=True)
        return
    run(["npm", "ci", "--no-audit", "--no-fund"], folder, "npm ci")


def run(command: list[str], folder: Path, what: str) -> None:
    result = subprocess.run(
        command, cwd=folder, capture_output=True, text=True, check=False, env=os.environ.copy()
    )
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines() or ["no output"]
        raise CheckFailed(f"rebuild: {what} failed in the unpacked source: {lines[-1]}")


def check_rebuild(release: Release, root: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="source-rebuild-") as work:
        folder = Path(work) / "source"
        for name, data in release.source.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        if "package-lock.json" not in release.source:
            raise CheckFailed("rebuild: package-lock.json is not in the source package")
        link_node_modules(folder, root)
        run([sys.executable, "build.py", "--out", str(folder / "dist")], folder, "python build.py")
        for browser, package in release.packages.items():
            rebuilt = folder / "dist" / package_name(release.version, browser)
            if not rebuilt.is_file() or rebuilt.read_bytes() != package.path.read_bytes():
                raise CheckFailed(
                    f"rebuild: {package.path.name} built from the source package differs from "
                    "the released one"
                )
    return "rebuild: both store packages rebuilt byte for byte from it"


# ---------------------------------------------------------------- running them

Check = Callable[[Release, Package], str]


def store_checks(store: Store) -> list[Check]:
    checks: list[Check] = [
        lambda r, p: check_version(store, p, r.version),
        lambda r, p: check_name(store, p),
        lambda r, p: check_description(store, p),
        lambda r, p: check_icon(store, p),
        lambda r, p: check_size(store, p),
        lambda r, p: check_remote_code(store, p),
    ]
    if store is AMO:
        checks.append(lambda r, p: check_gecko(store, p))
    if store is EDGE:
        checks += [lambda r, p: check_no_archives(store, p), check_edge_listing]
    return checks


def check_release(folder: Path, root: Path, say: Callable[[str], None] = print) -> None:
    """Every check in turn, one line each; CheckFailed at the first that fails."""
    version = read_version(root / "pyproject.toml")
    release = read_release(folder, version)
    for store in (CHROME_WEB_STORE, EDGE, AMO):
        package = release.packages[store.browser]
        for check in store_checks(store):
            try:
                say(f"ok: {package.path.name}: {store.name}: {check(release, package)}")
            except CheckFailed as error:
                raise failed(package.path.name, store.name, *split_rule(str(error))) from None
    source = f"{PACKAGE}-{version}-source.zip"
    try:
        say(f"ok: {source}: {AMO.name}: {check_rebuild(release, root)}")
    except CheckFailed as error:
        raise failed(source, AMO.name, *split_rule(str(error))) from None


def split_rule(message: str) -> tuple[str, str]:
    rule, _, problem = message.partition(": ")
    return rule, problem
