"""Build the linkedin-ai-optout extension for Chrome and Firefox.

    python build.py                      # both browsers: dist/chrome, dist/firefox and their zips
    python build.py --browser firefox    # one browser
    python build.py --lint               # also lint the Firefox build with web-ext (npm ci)
    python build.py check-rules FILE…    # which rule strategies match saved diagnostics/HTML

Rule files under extension/rules/ are validated against extension/rules/schema.json
before anything is written; a bad rule fails the build with the file, rule and field.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jsonschema
from PIL import Image

import rulecheck

ROOT = Path(__file__).resolve().parent
EXTENSION = ROOT / "extension"
RULES_DIR = EXTENSION / "rules"
SCHEMA = RULES_DIR / "schema.json"
BROWSERS = ("chrome", "firefox")
PACKAGE = "linkedin-ai-optout"

# Template under extension/templates/ -> file in the build.
TEMPLATES = {
    "manifest.json.j2": "manifest.json",
    "content.js.j2": "content.js",
    "background.js.j2": "background.js",
    "popup.js.j2": "popup/popup.js",
    "options.js.j2": "options/options.js",
}
# Copied as they are (folders are copied whole).
STATIC = (
    "_locales",
    "popup/popup.html",
    "popup/popup.css",
    "options/options.html",
    "options/options.css",
)
# One source image; the build scales it to every size the browsers ask for.
ICON_SOURCE = "icons/icon.png"
ICON_SIZES = (16, 32, 48, 128)
# Text the extension shows lives in _locales/; every language has the same messages as this one.
DEFAULT_LOCALE = "en"

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


class BuildError(Exception):
    """A problem in the sources, worded for the person who has to fix it."""


@dataclass(frozen=True)
class RuleSet:
    """All rule files merged: one site description and its rules."""

    site: dict
    rules: list[dict]
    sources: tuple[Path, ...]


# ---------------------------------------------------------------- rules


def read_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


def field_path(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


def describe_error(file: Path, document: dict, error: jsonschema.ValidationError) -> str:
    path = list(error.absolute_path)
    where = ""
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rule = document["rules"][path[1]]
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        where = f"rule {rule_id!r}: " if isinstance(rule_id, str) else f"rule #{path[1] + 1}: "
        path = path[2:]
    if error.validator == "required":
        missing = error.message.split("'")[1]
        path = [*path, missing]
        reason = "missing"
    elif error.validator == "enum" and path and path[-1] == "by":
        allowed = ", ".join(error.validator_value)
        reason = f"unknown step {error.instance!r} (known steps: {allowed})"
    elif error.validator == "additionalProperties":
        reason = error.message
    else:
        reason = error.message
    return f"{file}: {where}{field_path(path)}: {reason}"


def load_rule_file(file: Path, validator: jsonschema.Draft202012Validator) -> dict:
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise BuildError(
            f"{file}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise BuildError(describe_error(file, document, errors[0]))
    check_rule_consistency(file, document)
    return document


def check_rule_consistency(file: Path, document: dict) -> None:
    """What a schema cannot say: unique ids, pages inside injected paths, one owner per switch."""
    prefixes = [pattern.rstrip("*") for pattern in document["site"]["settingsPaths"]]
    owners: dict[tuple[str, str], str] = {}
    seen_ids: set[str] = set()
    for index, rule in enumerate(document["rules"]):
        rule_id = rule["id"]
        if rule_id in seen_ids:
            raise BuildError(f"{file}: rule {rule_id!r}: id: used by another rule")
        seen_ids.add(rule_id)
        for page_index, page in enumerate(rule["pages"]):
            if not any(page.startswith(prefix) for prefix in prefixes):
                raise BuildError(
                    f"{file}: rule {rule_id!r}: pages[{page_index}]: {page!r} is outside "
                    f"site.settingsPaths, so the content script would never run there"
                )
            for step in rule["switch"]:
                if step["by"] != "aria-labelledby":
                    continue
                claimed = (page, step["id"])
                if claimed in owners:
                    raise BuildError(
                        f"{file}: rule {rule_id!r}: switch: the switch {step['id']!r} on {page} "
                        f"is already claimed by rule {owners[claimed]!r} (rule #{index + 1})"
                    )
                owners[claimed] = rule_id


def load_rules(rules_dir: Path = RULES_DIR, schema_file: Path = SCHEMA) -> RuleSet:
    validator = jsonschema.Draft202012Validator(json.loads(schema_file.read_text(encoding="utf-8")))
    files = sorted(p for p in rules_dir.glob("*.json") if p.name != schema_file.name)
    if not files:
        raise BuildError(f"{rules_dir}: no rule files (*.json)")
    documents = [load_rule_file(file, validator) for file in files]
    sites = {json.dumps(doc["site"], sort_keys=True) for doc in documents}
    if len(sites) > 1:
        raise BuildError(
            f"{rules_dir}: rule files describe different sites; keep one site per build"
        )
    rules = [rule for doc in documents for rule in doc["rules"]]
    ids = [rule["id"] for rule in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise BuildError(f"{rules_dir}: rule {duplicates[0]!r}: id: defined in more than one file")
    return RuleSet(site=documents[0]["site"], rules=rules, sources=tuple(files))


# ---------------------------------------------------------------- rendering


def template_environment(extension_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(extension_dir / "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )

    def source(relative: str) -> str:
        """A JS module inlined without its comments (never rendered: its braces stay braces).
        The comments are for people reading extension/, not for every page LinkedIn serves."""
        text = (extension_dir / relative).read_text(encoding="utf-8")
        return strip_comment_lines(text).rstrip() + "\n"

    env.globals["source"] = source
    env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return env


BLOCK_COMMENT = re.compile(r"^[ \t]*/\*.*?\*/[ \t]*\n", re.MULTILINE | re.DOTALL)
LINE_COMMENT = re.compile(r"^[ \t]*//.*\n", re.MULTILINE)


def strip_comment_lines(js: str) -> str:
    """Drops comments that stand on lines of their own; code lines are kept exactly."""
    return LINE_COMMENT.sub("", BLOCK_COMMENT.sub("", js))


BACKGROUND_RULE_FIELDS = ("id", "pages", "chosenByDefault", "switch", "headings", "saveError")
ENGINE_STEP_FIELDS = ("by", "id", "lang", "text")


def background_rule(rule: dict) -> dict:
    """A rule as the background keeps it: its pages, its default, and what the content
    script is sent to find on them; nothing else (names and notes stay in the source)."""
    kept = {key: rule[key] for key in BACKGROUND_RULE_FIELDS}
    kept["switch"] = [
        {key: step[key] for key in ENGINE_STEP_FIELDS if key in step} for step in rule["switch"]
    ]
    return kept


def render_files(
    browser: str, ruleset: RuleSet, version: str, extension_dir: Path = EXTENSION
) -> dict[str, bytes]:
    env = template_environment(extension_dir)
    context = {
        "browser": browser,
        "version": version,
        "site": ruleset.site,
        "rules": ruleset.rules,
        "content_matches": [ruleset.site["origin"] + p for p in ruleset.site["settingsPaths"]],
        "background_rules": [background_rule(r) for r in ruleset.rules],
    }
    files: dict[str, bytes] = {}
    for template, name in TEMPLATES.items():
        text = env.get_template(template).render(context)
        if name.endswith(".json"):
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
        files[name] = text.encode("utf-8")
    for name in STATIC:
        files.update(static_files(extension_dir, name))
    files.update(icon_files(extension_dir / ICON_SOURCE))
    check_locales(files, rule_messages(ruleset.rules))
    return files


def rule_messages(rules: list[dict]) -> set[str]:
    """The messages that name each rule's setting and explain it in the popup and options."""
    keys = (rule["id"].replace("-", "_") for rule in rules)
    return {f"rule_{key}_{part}" for key in keys for part in ("name", "explanation")}


def icon_files(source: Path) -> dict[str, bytes]:
    """The toolbar and store icons, scaled from one square source image."""
    with Image.open(source) as image:
        master = image.convert("RGBA")
    icons = {}
    for size in ICON_SIZES:
        buffer = io.BytesIO()
        master.resize((size, size), Image.Resampling.LANCZOS).save(buffer, "PNG", optimize=True)
        icons[f"icons/icon-{size}.png"] = buffer.getvalue()
    return icons


# Direct uses of a message: t("key"), getMessage("key"), data-i18n="key", __MSG_key__.
MESSAGE_USE = re.compile(
    r'(?:\bt|getMessage)\(\s*"(\w+)"|data-i18n(?:-label)?="(\w+)"|__MSG_(\w+)__'
)


def check_locales(files: dict[str, bytes], required: set[str]) -> None:
    """Every language has every message the extension uses, with the same placeholders."""
    catalogs = {
        name.split("/")[1]: json.loads(data)
        for name, data in files.items()
        if name.startswith("_locales/") and name.endswith("/messages.json")
    }
    reference = catalogs[DEFAULT_LOCALE]
    used = required | {
        key
        for name, data in files.items()
        if name.endswith((".js", ".html", ".json")) and not name.startswith("_locales/")
        for match in MESSAGE_USE.finditer(data.decode("utf-8"))
        for key in match.groups()
        if key
    }
    missing = sorted(used - reference.keys())
    if missing:
        raise BuildError(f"_locales/{DEFAULT_LOCALE}/messages.json: {missing[0]}: missing")
    for locale, catalog in sorted(catalogs.items()):
        file = f"_locales/{locale}/messages.json"
        for key in sorted(reference.keys() - catalog.keys()):
            raise BuildError(f"{file}: {key}: missing (it is in {DEFAULT_LOCALE})")
        for key in sorted(catalog.keys() - reference.keys()):
            raise BuildError(f"{file}: {key}: not in {DEFAULT_LOCALE}")
        for key, entry in catalog.items():
            if set(entry.get("placeholders", {})) != set(reference[key].get("placeholders", {})):
                raise BuildError(f"{file}: {key}.placeholders: differ from {DEFAULT_LOCALE}")


def static_files(extension_dir: Path, name: str) -> dict[str, bytes]:
    path = extension_dir / name
    if path.is_file():
        return {name: path.read_bytes()}
    return {
        file.relative_to(extension_dir).as_posix(): file.read_bytes()
        for file in sorted(path.rglob("*"))
        if file.is_file()
    }


# ---------------------------------------------------------------- output


def write_tree(target: Path, files: dict[str, bytes]) -> None:
    """Replace target with exactly these files; a failure leaves the old tree in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    staging.chmod(0o755)
    try:
        for name, data in files.items():
            file = staging / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A reproducible zip: sorted entries, fixed timestamps and permissions."""
    with tempfile.SpooledTemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                archive.writestr(info, files[name])
        buffer.seek(0)
        return buffer.read()


def write_atomically(target: Path, data: bytes) -> None:
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    partial.replace(target)


def package_name(version: str, browser: str) -> str:
    return f"{PACKAGE}-{version}-{browser}.zip"


def build(
    browsers: Iterable[str] = BROWSERS,
    out: Path = ROOT / "dist",
    rules_dir: Path = RULES_DIR,
    extension_dir: Path = EXTENSION,
) -> list[Path]:
    """Build the given browsers into out; returns the packages written."""
    ruleset = load_rules(rules_dir)
    version = read_version()
    rendered = {b: render_files(b, ruleset, version, extension_dir) for b in browsers}
    out.mkdir(parents=True, exist_ok=True)
    packages = []
    for browser, files in rendered.items():
        write_tree(out / browser, files)
        package = out / package_name(version, browser)
        write_atomically(package, zip_bytes(files))
        packages.append(package)
    return packages


# ---------------------------------------------------------------- lint


def web_ext_command() -> list[str] | None:
    local = ROOT / "node_modules" / ".bin" / "web-ext"
    if local.exists():
        return [str(local)]
    return None


def lint_firefox(source: Path) -> dict:
    """Run `web-ext lint` and return its JSON summary; BuildError when web-ext is missing."""
    command = web_ext_command()
    if command is None:
        raise BuildError("web-ext is not installed: run `npm ci` (needs Node.js 20) to lint")
    result = subprocess.run(
        [
            *command,
            "lint",
            "--source-dir",
            str(source),
            "--output",
            "json",
            "--no-config-discovery",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "WEB_EXT_TELEMETRY": "false"},
    )
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        raise BuildError(f"web-ext lint failed: {result.stderr.strip() or result.stdout}") from None


def report_lint(report: dict) -> bool:
    summary = report["summary"]
    print(
        f"web-ext lint dist/firefox: {summary['errors']} errors, "
        f"{summary['warnings']} warnings, {summary['notices']} notices"
    )
    for kind in ("errors", "warnings", "notices"):
        for item in report.get(kind, []):
            print(f"  {kind[:-1]}: {item.get('code')}: {item.get('message')} ({item.get('file')})")
    return not any(summary[k] for k in ("errors", "warnings", "notices"))


# ---------------------------------------------------------------- command line


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Build the linkedin-ai-optout extension.")
    parser.add_argument("--browser", choices=BROWSERS, help="build one browser (default: both)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--rules", type=Path, default=RULES_DIR, help="folder of rule files")
    parser.add_argument("--lint", action="store_true", help="run web-ext lint on the Firefox build")
    return parser.parse_args(argv)


def check_rules_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="build.py check-rules",
        description="Tell which rule strategies match saved diagnostics or a saved settings page.",
    )
    parser.add_argument("files", nargs="+", type=Path, help="diagnostics text or saved HTML")
    parser.add_argument("--rules", type=Path, default=RULES_DIR, help="folder of rule files")
    args = parser.parse_args(argv)
    try:
        ruleset = load_rules(args.rules)
        missing = [f for f in args.files if not f.is_file()]
        if missing:
            raise BuildError(f"{missing[0]}: no such file")
        print("\n".join(rulecheck.check_files(args.files, ruleset.rules)))
    except BuildError as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check-rules"]:
        return check_rules_command(argv[1:])
    args = parse_args(argv)
    browsers = (args.browser,) if args.browser else BROWSERS
    try:
        for package in build(browsers, args.out, args.rules):
            print(f"built {package}")
        if args.lint:
            if "firefox" not in browsers:
                raise BuildError("--lint checks the Firefox build: build it too")
            return 0 if report_lint(lint_firefox(args.out / "firefox")) else 1
    except BuildError as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
