"""Build the linkedin-ai-optout extension for Chrome and Firefox: the command line. The build
itself is the package tools/ (tools/build/make.py; docs/architecture.md lists its modules).

    python build.py                      # both browsers: dist/chrome, dist/firefox and their zips
    python build.py --browser firefox    # one browser
    python build.py --lint               # also lint the Firefox build with web-ext
    python build.py check-rules FILE…    # which rule strategies match saved diagnostics/HTML
    python build.py release              # store packages, AMO source package, SHA256SUMS
    python build.py release --check      # those packages against each store's rules

Needs `npm ci` first: esbuild (from package-lock.json) bundles the scripts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.build import release
from tools.build.make import BROWSERS, build, lint_firefox, report_lint
from tools.build.rules import RULES_DIR, load_rules
from tools.build.sources import ROOT, BuildError
from tools.checkrules.check import check_files
from tools.checkrules.report import Unreadable


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
        app_ready = ruleset.site["appReady"]
        negations = ruleset.site.get("negations", {})
        print("\n".join(check_files(args.files, ruleset.rules, app_ready, negations)))
    except BuildError as error:
        return report_error(str(error))
    except Unreadable as error:
        report_error(str(error))
        return 2
    return 0


def store_packages(folder: Path) -> list[Path]:
    """Both browsers built into folder from the sources as they are: what a release packs."""
    return build(out=folder)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check-rules"]:
        return check_rules_command(argv[1:])
    if argv[:1] == ["release"]:
        return release.main(argv[1:], build_packages=store_packages)
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
