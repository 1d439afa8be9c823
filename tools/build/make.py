"""The extension's build: rule data compiled in, modules bundled with esbuild, the manifest
rendered per browser from its Jinja2 template, icons, static files and store zips, written
only when everything checked. `build.py` at the repository root is its command line.

Needs `npm ci` first: esbuild (from package-lock.json) bundles the scripts. Rule files under
extension/rules/ are validated against extension/rules/schema.json before anything is
written; a bad rule fails the build with the file, rule and field, and so does a JavaScript
module with an import cycle, an unknown import or an unused export.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import jinja2
from PIL import Image

from tools.build import listing
from tools.build.locales import check_locales, rule_messages
from tools.build.output import PACKAGE, package_name, write_atomically, write_tree, zip_bytes
from tools.build.rules import RULE_FORMAT_VERSION, RULES_DIR, RuleSet, load_rules
from tools.build.sources import ROOT, BuildError, check_icon, read_version, shown

EXTENSION = ROOT / "extension"
BROWSERS = ("chrome", "firefox")

# Entry module under extension/ -> the script the browser runs, in the build. esbuild follows
# each entry's imports and writes it with them as one classic script (see bundle_scripts).
BUNDLES = {
    "engine/main.js": "content.js",
    "background/main.js": "background.js",
    "popup/popup.js": "popup/popup.js",
    "options/options.js": "options/options.js",
    "welcome/welcome.js": "welcome/welcome.js",
}
# Entries written minified (esbuild's --minify: whitespace, syntax and local names). Only the
# content script, which every settings page loads and parses before the switch can be found:
# the benchmark's target for it is under 15,000 bytes, and as esbuild prints it, it is about
# 20,600 (about 16,300 with whitespace and syntax minified but its names kept). Its modules
# are read in extension/ and in the AMO source package; the other bundles stay as printed.
MINIFIED = ("engine/main.js",)
# Template under extension/templates/ -> file in the build.
TEMPLATES = {"manifest.json.j2": "manifest.json"}
# Copied as they are (folders are copied whole).
STATIC = (
    "_locales",
    "popup/popup.html",
    "popup/popup.css",
    "options/options.html",
    "options/options.css",
    "welcome/welcome.html",
    "welcome/welcome.css",
)
# One source image; the build scales it to every size the browsers ask for.
ICON_SOURCE = "icons/icon.png"
ICON_SIZES = (16, 32, 48, 128)

# In the output folder: the files each browser folder got from the last build. A build
# replaces a browser folder whole, so it does that only when the folder holds nothing else
# (a folder without a record may hold only files this build writes).
BUILD_RECORD = ".build-record.json"


# ---------------------------------------------------------------- scripts

ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
# The oldest browsers the manifest accepts: esbuild refuses syntax they would not run.
ESBUILD_TARGET = "chrome120,firefox140"
# Each bundle is a classic script: its modules' code inside one strict function of its own, so
# that nothing leaks into the global scope of the page (or the worker) it runs in. The modules
# are bundled as ES modules with their imports resolved; an entry exports nothing
# (check_modules), so no import or export is left.
BUNDLE_BANNER = "// {package} {version}: built by build.py (esbuild) from extension/; edit those.\n"
BUNDLE_START = '(() => {\n"use strict";'
BUNDLE_END = "})();"
# The one name the build defines: the rule data, in background/ruleset.js.
RULE_DATA_NAME = "COMPILED_RULES"

BACKGROUND_RULE_FIELDS = (
    "id",
    "pages",
    "slugs",
    "chosenByDefault",
    "switch",
    "headings",
    "saveError",
)
ENGINE_STEP_FIELDS = ("by", "id", "lang", "text")


def background_rule(rule: dict) -> dict:
    """A rule as the background keeps it: its pages, its default, and what the content
    script is sent to find on them; nothing else (notes stay in the source)."""
    kept = {key: rule[key] for key in BACKGROUND_RULE_FIELDS}
    for optional in ("objectionForm", "wrongSlugs"):
        if optional in rule:
            kept[optional] = rule[optional]
    kept["switch"] = [
        {key: step[key] for key in ENGINE_STEP_FIELDS if key in step} for step in rule["switch"]
    ]
    return kept


def compiled_rules(ruleset: RuleSet) -> str:
    """The site and the rules as the background bundle gets them: one JSON text."""
    data = {
        "formatVersion": RULE_FORMAT_VERSION,
        "site": ruleset.site,
        "rules": [background_rule(rule) for rule in ruleset.rules],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def run_esbuild(extension_dir: Path, arguments: list[str], stdin: str | None = None) -> str:
    """esbuild run in extension_dir (so its messages and the bundles' comments name files from
    there); its output, or BuildError with its first complaint."""
    if not ESBUILD.exists():
        raise BuildError("esbuild is not installed: run `npm ci` (needs Node.js 20) to build")
    result = subprocess.run(
        [str(ESBUILD), *arguments, f"--target={ESBUILD_TARGET}", "--log-level=warning"],
        input=stdin,
        cwd=extension_dir,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    if result.returncode != 0 or result.stderr.strip():
        raise BuildError(esbuild_problem(extension_dir, result.stderr))
    return result.stdout


def bundle_scripts(
    ruleset: RuleSet, version: str, extension_dir: Path = EXTENSION
) -> dict[str, bytes]:
    """Every entry of BUNDLES as the script the browser runs (the same in every browser)."""
    banner = BUNDLE_BANNER.format(package=PACKAGE, version=version) + BUNDLE_START
    rule_data = json.dumps(compiled_rules(ruleset), ensure_ascii=False)
    with tempfile.TemporaryDirectory(prefix="esbuild-") as work:
        out = Path(work)
        # Every entry as printed (esbuild's checks of imports hold only there: minifying drops an
        # unused import before it is resolved), then the MINIFIED ones again, minified.
        minified = out / "minified"
        passes = ((list(BUNDLES), [], out), (MINIFIED, ["--minify"], minified))
        for entries, options, folder in passes:
            run_esbuild(
                extension_dir,
                [
                    *entries,
                    *options,
                    "--bundle",
                    "--format=esm",
                    "--charset=utf8",
                    "--legal-comments=none",
                    f"--define:{RULE_DATA_NAME}={rule_data}",
                    f"--banner:js={banner}",
                    f"--footer:js={BUNDLE_END}",
                    f"--outdir={folder}",
                    "--outbase=.",
                    f"--metafile={folder / 'meta.json'}",
                ],
            )
        meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
        check_modules(extension_dir, import_graph(meta))
        built = {entry: out / entry for entry in BUNDLES}
        built |= {entry: minified / entry for entry in MINIFIED}
        return {name: built[entry].read_bytes() for entry, name in BUNDLES.items()}


def script_exposing(exports: dict[str, list[str]], extension_dir: Path = EXTENSION) -> str:
    """A classic script that puts these exports of the extension's modules (module path under
    extension/ -> names) on globalThis: for trying modules in a plain page."""
    imports = "".join(
        f'import {{ {", ".join(names)} }} from "./{module}";\n' for module, names in exports.items()
    )
    every = ", ".join(name for names in exports.values() for name in names)
    entry = f"{imports}Object.assign(globalThis, {{ {every} }});\n"
    return run_esbuild(extension_dir, ["--bundle", "--format=iife"], stdin=entry)


# "✘ [ERROR] message", a blank line, then "    file.js:line:column:".
ESBUILD_MESSAGE = re.compile(
    r"\[(?:ERROR|WARNING)\] (?P<message>.+?)\n\n\s+"
    r"(?P<where>[^\s:]+):(?P<line>\d+):(?P<column>\d+):"
)


def esbuild_problem(extension_dir: Path, stderr: str) -> str:
    """esbuild's first complaint, as `extension/file.js:line:column: message`."""
    match = ESBUILD_MESSAGE.search(stderr)
    if not match:
        return f"esbuild: {stderr.strip()}"
    where = shown(extension_dir / match["where"])
    return f"{where}:{match['line']}:{match['column']}: {match['message']}"


def import_graph(meta: dict) -> dict[str, list[str]]:
    """Module -> the modules it imports, from esbuild's metafile (paths under extension/)."""
    return {path: [i["path"] for i in info["imports"]] for path, info in meta["inputs"].items()}


# The module syntax check_modules reads: named imports from a relative file, and exports
# declared where they are defined. Anything else is refused, so that nothing escapes it.
IMPORT_STATEMENT = re.compile(r'import \{(?P<names>[^}]*)\} from "(?P<source>\.\.?/[^"]+)";')
EXPORT_STATEMENT = re.compile(r"export (?:async )?(?:function\*?|const|let|class) (?P<name>[\w$]+)")
MODULE_STATEMENT = re.compile(r"^(?:import|export)\b", re.MULTILINE)
ModuleName = tuple[str, str]  # (module path under extension/, exported name)


def imported_names(
    statement: re.Match[str], importer: Path, extension_dir: Path
) -> set[ModuleName]:
    """What one import statement in the file `importer` takes from modules under extension_dir."""
    source = Path(os.path.normpath(importer.parent / statement["source"]))
    if not source.is_relative_to(extension_dir):
        return set()
    module = source.relative_to(extension_dir).as_posix()
    names = (name.split(" as ")[0].strip() for name in statement["names"].split(","))
    return {(module, name) for name in names if name}


def module_interface(extension_dir: Path, relative: str) -> tuple[set[str], set[ModuleName]]:
    """What a module exports, and what it imports."""
    file = extension_dir / relative
    text = file.read_text(encoding="utf-8")
    exports: set[str] = set()
    imports: set[ModuleName] = set()
    for statement in MODULE_STATEMENT.finditer(text):
        if found := EXPORT_STATEMENT.match(text, statement.start()):
            exports.add(found["name"])
        elif found := IMPORT_STATEMENT.match(text, statement.start()):
            imports |= imported_names(found, file, extension_dir)
        else:
            line = text.count("\n", 0, statement.start()) + 1
            raise BuildError(
                f"{shown(extension_dir / relative)}:{line}: write imports as "
                f'`import {{ name }} from "./file.js";` and exports as `export function|const name`'
            )
    return exports, imports


def check_modules(extension_dir: Path, graph: dict[str, list[str]]) -> None:
    """Every module of the extension is in a bundle, no import cycle, no unused export."""
    for path in graph:
        if not (extension_dir / path).resolve().is_relative_to(extension_dir.resolve()):
            raise BuildError(f"{shown(extension_dir / path)}: imported from outside extension/")
    modules = sorted(p.relative_to(extension_dir).as_posix() for p in extension_dir.rglob("*.js"))
    for module in modules:
        if module not in graph:
            raise BuildError(
                f"{shown(extension_dir / module)}: not imported by any entry of BUNDLES in build.py"
            )
    cycle = import_cycle(graph)
    if cycle:
        raise BuildError(f"{shown(extension_dir / cycle[0])}: import cycle: {' -> '.join(cycle)}")
    interfaces = {module: module_interface(extension_dir, module) for module in modules}
    used = set().union(*(imports for _, imports in interfaces.values()))
    for module, (exports, _) in interfaces.items():
        for name in sorted(exports):
            if (module, name) not in used:
                raise BuildError(
                    f"{shown(extension_dir / module)}: unused export {name!r} (nothing imports it)"
                )


def import_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle of imports, as the modules along it (the first again at the end), or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        path.append(module)
        for imported in graph.get(module, []):
            if imported in path:
                return [*path[path.index(imported) :], imported]
            if imported not in done and (cycle := visit(imported)):
                return cycle
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        if module not in done and (cycle := visit(module)):
            return cycle
    return None


# ---------------------------------------------------------------- rendering


def template_environment(extension_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(extension_dir / "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return env


def rendered_template(
    env: jinja2.Environment, template: str, context: dict, extension_dir: Path
) -> str:
    """A template filled in; a mistake in it is one line naming the file and its line."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as error:
        where = f"{shown(extension_dir / 'templates' / template)}:{error.lineno}"
        raise BuildError(f"{where}: {error.message}") from None
    except jinja2.TemplateError as error:
        raise BuildError(f"{shown(extension_dir / 'templates' / template)}: {error}") from None


def render_files(
    browser: str,
    ruleset: RuleSet,
    version: str,
    scripts: dict[str, bytes],
    extension_dir: Path = EXTENSION,
) -> dict[str, bytes]:
    env = template_environment(extension_dir)
    context = {
        "browser": browser,
        "version": version,
        "site": ruleset.site,
        "content_matches": [ruleset.site["origin"] + p for p in ruleset.site["settingsPaths"]],
    }
    files: dict[str, bytes] = dict(scripts)
    for template, name in TEMPLATES.items():
        text = rendered_template(env, template, context, extension_dir)
        if name.endswith(".json"):
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
        files[name] = text.encode("utf-8")
    for name in STATIC:
        files.update(static_files(extension_dir, name))
    files.update(shipped_messages(files))
    files.update(icon_files(extension_dir / ICON_SOURCE))
    return files


def shipped_messages(files: dict[str, bytes]) -> dict[str, bytes]:
    """Each language's messages as the browsers read them: the translators' descriptions stay
    in extension/_locales (and the source package), a fifth of the store packages' size."""
    shipped = {}
    for name, content in files.items():
        if name.startswith("_locales/") and name.endswith("/messages.json"):
            messages = json.loads(content)
            for message in messages.values():
                message.pop("description", None)
            shipped[name] = (json.dumps(messages, ensure_ascii=False, indent=1) + "\n").encode()
    return shipped


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
    scripts = bundle_scripts(ruleset, version, extension_dir)
    rendered = {b: render_files(b, ruleset, version, scripts, extension_dir) for b in browsers}
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
