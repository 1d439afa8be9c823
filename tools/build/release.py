"""`python build.py release`: what a maintainer uploads for one version, in dist/release/:

    linkedin-ai-optout-<version>-chrome.zip    to the Chrome Web Store
    linkedin-ai-optout-<version>-firefox.zip   to addons.mozilla.org
    linkedin-ai-optout-<version>-source.zip    to addons.mozilla.org, as the source code: every
                                               tracked file the build reads, and BUILDING.md
    SHA256SUMS                                 of the three, for `sha256sum --check`

The store packages are the ones `python build.py` makes. The same sources give byte-identical
files: entries sorted, timestamps fixed (output.zip_bytes).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from tools.build import storecheck
from tools.build.output import PACKAGE, write_tree, zip_bytes
from tools.build.sources import ROOT, BuildError, read_version, shown

SOURCE_README = "BUILDING.md"
# Tracked folders the build does not read: the tests and their tools, the benchmark, the field
# check, CI, and the README's pictures.
NOT_BUILD_INPUT = ("tests/", "harness/", "bench/", "fieldcheck/", "docs/", ".github/", ".ci/")
CHECKSUMS = "SHA256SUMS"
# What a release writes: the release folder is replaced whole, so it may hold nothing else.
RELEASE_FILE = re.compile(rf"{re.escape(PACKAGE)}-[^/]+-(chrome|firefox|source)\.zip|{CHECKSUMS}")


def git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        message = "git is not installed: the source package lists what git tracks"
        raise BuildError(message) from None
    if result.returncode != 0:
        raise BuildError(f"{root}: git {args[0]} failed: {result.stderr.strip()}")
    return result.stdout


def source_files(root: Path) -> dict[str, bytes]:
    """The tracked files the build reads, as they are in the working tree."""
    names = [name for name in git(root, "ls-files", "-z").split("\0") if name]
    return {
        name: (root / name).read_bytes()
        for name in sorted(names)
        if not name.startswith(NOT_BUILD_INPUT) and (root / name).is_file()
    }


def readme_first_command(root: Path) -> str:
    """The README's first command: the one that installs and builds."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.DOTALL)
    if not blocks:
        raise BuildError("README.md: no ```sh block with the install command")
    return blocks[0].strip()


def changelog_has(root: Path, version: str) -> None:
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    if not re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M):
        raise BuildError(
            f"CHANGELOG.md: no section for {version} (a line '## [{version}] - YYYY-MM-DD')"
        )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def building_readme(version: str, command: str, packages: dict[str, bytes]) -> bytes:
    sums = "\n".join(f"    {sha256(data)}  dist/{name}" for name, data in sorted(packages.items()))
    return f"""# Building linkedin-ai-optout {version} from this source package

This folder holds every file the build reads: the files tracked in git, without the tests,
the benchmark, CI and the README's pictures. `build.py` generates the extension's scripts from
`extension/`: Jinja2 templates filled with the rule data in `extension/rules/`, with the
comment lines dropped. Nothing is minified or obfuscated.

Needs: Debian 12 (another Linux should do) with Python 3.11 or newer (with venv), Node.js 20
with npm, and access to PyPI and the npm registry.

In this folder, run the README's first command:

    {command}

It makes a virtual environment in `.venv` with the Python packages of `pyproject.toml`,
installs the Node packages pinned in `package-lock.json` (`npm ci`), and runs
`python build.py`, which writes:

- `dist/linkedin-ai-optout-{version}-firefox.zip`: the package uploaded to addons.mozilla.org;
- `dist/linkedin-ai-optout-{version}-chrome.zip`: the package uploaded to the Chrome Web Store;
- `dist/firefox/` and `dist/chrome/`: the same files, unpacked.

They are byte-identical to the uploaded packages: `sha256sum dist/*.zip` prints

{sums}

## The Firefox package alone (addons.mozilla.org's reviewers)

    npm ci
    npm run build-for-amo

`npm ci` installs the Node packages pinned in `package-lock.json` (esbuild, which bundles the
scripts). `npm run build-for-amo` (`scripts/build-for-amo`) makes `.venv` with the Python
packages of `pyproject.toml` when there is none, builds the Firefox package alone into
`dist/amo/` and prints its path: `dist/amo/linkedin-ai-optout-{version}-firefox.zip`, with the
SHA-256 of the firefox line above.
""".encode()


def checksums(files: dict[str, bytes]) -> bytes:
    return "".join(f"{sha256(files[name])}  {name}\n" for name in sorted(files)).encode()


def release(
    out: Path, build_packages: Callable[[Path], list[Path]], root: Path = ROOT
) -> list[Path]:
    """Writes the release files into out (replacing what was there); returns their paths.
    build_packages(folder) is the build (build.py's): it writes the store packages into
    folder and returns their paths."""
    check_release_folder(out)
    version = read_version(root / "pyproject.toml")
    changelog_has(root, version)
    with tempfile.TemporaryDirectory() as staging:
        built = build_packages(Path(staging))
        packages = {package.name: package.read_bytes() for package in built}
    source = source_files(root)
    source[SOURCE_README] = building_readme(version, readme_first_command(root), packages)
    files = {**packages, f"{PACKAGE}-{version}-source.zip": zip_bytes(source)}
    files[CHECKSUMS] = checksums(files)
    write_tree(out, files)
    return [out / name for name in sorted(files)]


def check_release_folder(out: Path) -> None:
    """out is replaced whole: refuse when it holds anything a release did not write."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BuildError(f"{shown(out)}: not a folder a release wrote; move it away")
    for folder in out.parents:
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                raise BuildError(f"{shown(out)}: {shown(folder)} is a file, not a folder")
            break
    if not out.is_dir():
        return
    for entry in sorted(out.iterdir()):
        if entry.is_symlink() or not entry.is_file() or not RELEASE_FILE.fullmatch(entry.name):
            raise BuildError(
                f"{shown(entry)}: not written by a release, and the release replaces "
                f"{shown(out)} whole; move it away"
            )


def uncommitted(root: Path) -> list[str]:
    return git(root, "status", "--porcelain", "--untracked-files=no").splitlines()


def main(argv: list[str], build_packages: Callable[[Path], list[Path]]) -> int:
    parser = argparse.ArgumentParser(
        prog="build.py release",
        description="Store packages, the AMO source package and SHA256SUMS in one folder.",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "release", help="output folder")
    parser.add_argument("--tag", help="the tag being released: must be v<version>")
    parser.add_argument(
        "--check",
        action="store_true",
        help="check the packages in --out against each store's rules instead of building",
    )
    args = parser.parse_args(argv)
    if args.check:
        return check_command(args.out)
    try:
        version = read_version()
        if args.tag is not None and args.tag != f"v{version}":
            raise BuildError(
                f"pyproject.toml: project.version: {version}, but the tag is {args.tag} "
                f"(expected v{version})"
            )
        changed = uncommitted(ROOT)
        if changed:
            print(
                f"build.py release: warning: {len(changed)} tracked file(s) differ from the "
                "last commit; the packages hold them as they are now",
                file=sys.stderr,
            )
        for path in release(args.out, build_packages):
            print(f"wrote {path}")
    except BuildError as error:
        print(f"build.py release: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # the disk, not the sources: a full disk, a folder not writable
        print(f"build.py release: error: {error.filename}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


def check_command(out: Path) -> int:
    """`release --check`: one line per check, or one line naming the package and the rule."""
    try:
        storecheck.check_release(out, ROOT)
    except BuildError as error:
        print(f"build.py release --check: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        problem = f"{error.filename}: {error.strerror}"
        print(f"build.py release --check: error: {problem}", file=sys.stderr)
        return 1
    print(f"build.py release --check: {shown(out)}: every check passed")
    return 0
