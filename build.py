"""Build the linkedin-ai-optout extension for Chrome and Firefox.

    python build.py                      # both browsers: dist/chrome, dist/firefox and their zips
    python build.py --browser firefox    # one browser
    python build.py --lint               # also lint the Firefox build with web-ext (npm ci)
    python build.py check-rules FILE…    # which rule strategies match saved diagnostics/HTML
    python build.py release              # store packages, AMO source package, SHA256SUMS

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
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import jinja2
from PIL import Image

import listing
import rulecheck
from locales import check_locales, rule_messages
from rules import RULES_DIR, RuleSet, load_rules
from sources import BuildError, check_icon, read_version, shown

ROOT = Path(__file__).resolve().parent
EXTENSION = ROOT / "extension"
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

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
# In the output folder: the files each browser folder got from the last build. A build
# replaces a browser folder whole, so it does that only when the folder holds nothing else
# (a folder without a record may hold only files this build writes).
BUILD_RECORD = ".build-record.json"


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
    return files


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


def read_record(out: Path) -> dict[str, list[str]]:
    """What the last build wrote into each browser folder under out (empty when unknown)."""
    try:
        record = json.loads((out / BUILD_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict):
        return {}
    return {
        browser: [name for name in names if isinstance(name, str)]
        for browser, names in record.items()
        if isinstance(names, list)
    }


def write_record(out: Path, rendered: dict[str, dict[str, bytes]]) -> None:
    record = read_record(out) | {browser: sorted(files) for browser, files in rendered.items()}
    write_atomically(out / BUILD_RECORD, (json.dumps(record, indent=1) + "\n").encode("utf-8"))


def check_out(out: Path, rendered: dict[str, dict[str, bytes]], version: str) -> None:
    """out is a folder (or can be made one), and nothing the build would replace there holds
    anything a build did not write: a member's own file in dist/chrome stops the build."""
    for folder in (out, *out.parents):
        if folder.exists() or folder.is_symlink():
            if folder == out and not folder.is_dir():
                raise BuildError(f"{shown(out)}: a file, not a folder to build into")
            if not folder.is_dir():
                raise BuildError(f"{shown(out)}: {shown(folder)} is a file, not a folder")
            break
    record = read_record(out)
    for browser, files in rendered.items():
        target = out / browser
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise BuildError(f"{shown(target)}: not a folder the build wrote; move it away")
        if target.is_dir():
            check_only_built(target, set(files) | set(record.get(browser, [])))
        package = out / package_name(version, browser)
        if package.is_symlink() or (package.exists() and not package.is_file()):
            raise BuildError(f"{shown(package)}: not a package the build wrote; move it away")


def check_only_built(target: Path, built: set[str]) -> None:
    folders = {parent.as_posix() for name in built for parent in PurePosixPath(name).parents}
    for entry in sorted(target.rglob("*")):
        name = entry.relative_to(target).as_posix()
        is_folder = entry.is_dir() and not entry.is_symlink()
        if name not in (folders if is_folder else built):
            raise BuildError(
                f"{shown(entry)}: not written by a build, and the build replaces "
                f"{shown(target)} whole; move it away"
            )


def build(
    browsers: Iterable[str] = BROWSERS,
    out: Path = ROOT / "dist",
    rules_dir: Path = RULES_DIR,
    extension_dir: Path = EXTENSION,
) -> list[Path]:
    """Build the given browsers into out; returns the packages written. Everything is read
    and checked before anything is written, so a failed build leaves out as it was."""
    ruleset = load_rules(rules_dir)
    version = read_version()
    check_locales(extension_dir, rule_messages(ruleset.rules))
    check_icon(extension_dir / ICON_SOURCE, max(ICON_SIZES))
    listing.check(ROOT)  # the store listing: every language, within the stores' limits
    rendered = {b: render_files(b, ruleset, version, extension_dir) for b in browsers}
    check_out(out, rendered, version)
    out.mkdir(parents=True, exist_ok=True)
    packages = []
    for browser, files in rendered.items():
        write_tree(out / browser, files)
        package = out / package_name(version, browser)
        write_atomically(package, zip_bytes(files))
        packages.append(package)
    write_record(out, rendered)
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
        return report_error(str(error))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check-rules"]:
        return check_rules_command(argv[1:])
    if argv[:1] == ["release"]:
        import release  # imported here: it imports this module

        return release.main(argv[1:])
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
        return report_error(str(error))
    except OSError as error:  # the disk, not the sources: a full disk, a folder not writable
        return report_error(f"{error.filename}: {error.strerror}")
    return 0


def report_error(message: str) -> int:
    """One line on stderr, and the exit status of a failed build."""
    print(f"build.py: error: {' '.join(message.splitlines())}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
