"""`python build.py release`: the store packages as `python build.py` makes them, the source
package addons.mozilla.org asks for, and SHA256SUMS, reproducible byte for byte; the source
package builds the same store packages with nothing but the README's first command."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import build
from tests.build.helpers import new_shell_environment
from tools.build import make, release

ROOT = Path(__file__).resolve().parents[2]
VERSION = make.read_version()
CHROME = f"linkedin-ai-optout-{VERSION}-chrome.zip"
FIREFOX = f"linkedin-ai-optout-{VERSION}-firefox.zip"
SOURCE = f"linkedin-ai-optout-{VERSION}-source.zip"
STORE_PACKAGES = (CHROME, FIREFOX)


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "release"
    release.release(out, build.store_packages)
    return out


def read_zip(path: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(path)


def test_release_holds_two_store_packages_the_source_package_and_checksums(
    released: Path,
) -> None:
    assert sorted(p.name for p in released.iterdir()) == sorted(
        [CHROME, FIREFOX, SOURCE, "SHA256SUMS"]
    )


def test_store_packages_are_the_ones_build_makes(released: Path, tmp_path: Path) -> None:
    make.build(out=tmp_path)
    for name in STORE_PACKAGES:
        assert (released / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_a_second_release_is_byte_identical(released: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    release.release(again, build.store_packages)
    for path in released.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_zip_entries_are_sorted_with_a_fixed_time(released: Path) -> None:
    for name in [*STORE_PACKAGES, SOURCE]:
        with read_zip(released / name) as archive:
            entries = archive.infolist()
        assert [e.filename for e in entries] == sorted(e.filename for e in entries), name
        assert {e.date_time for e in entries} == {(1980, 1, 1, 0, 0, 0)}, name


def test_sha256sums_checks_with_sha256sum(released: Path) -> None:
    lines = (released / "SHA256SUMS").read_text().splitlines()
    expected = [
        f"{hashlib.sha256((released / n).read_bytes()).hexdigest()}  {n}"
        for n in sorted([CHROME, FIREFOX, SOURCE])
    ]
    assert lines == expected
    check = subprocess.run(
        ["sha256sum", "--check", "SHA256SUMS"], cwd=released, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_source_package_has_what_the_build_reads_and_no_tests(released: Path) -> None:
    with read_zip(released / SOURCE) as archive:
        names = set(archive.namelist())
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    build_inputs = {n for n in tracked if n.startswith(("extension/", "store/"))}
    assert build_inputs <= names
    assert {
        "BUILDING.md",
        "README.md",
        "LICENSE",
        "pyproject.toml",
        "package.json",
        "package-lock.json",
        "build.py",
        "tools/build/make.py",
        "tools/build/listing.py",
        "tools/checkrules/check.py",
        "tools/text.py",
        "scripts/setup",
    } <= names
    assert not {n for n in names if n.startswith(("tests/", "bench/", ".ci/", ".github/"))}


def test_building_md_gives_the_readme_command_and_the_packages_checksums(released: Path) -> None:
    with read_zip(released / SOURCE) as archive:
        building = archive.read("BUILDING.md").decode()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_command = re.findall(r"```sh\n(.*?)```", readme, re.DOTALL)[0].strip()
    assert f"\n    {first_command}\n" in building
    for name in STORE_PACKAGES:
        digest = hashlib.sha256((released / name).read_bytes()).hexdigest()
        assert f"{digest}  dist/{name}" in building


def release_command(*arguments: str) -> subprocess.CompletedProcess[str]:
    """`python build.py release` with these arguments, run in the checkout."""
    return subprocess.run(
        [sys.executable, "build.py", "release", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_tag_other_than_the_version_is_refused(tmp_path: Path) -> None:
    result = release_command("--tag", "v99.0.0", "--out", str(tmp_path / "r"))
    assert result.returncode == 1
    assert result.stderr == (
        f"build.py release: error: pyproject.toml: project.version: {VERSION}, but the tag is "
        f"v99.0.0 (expected v{VERSION})\n"
    )
    assert not (tmp_path / "r").exists()


def shown_from_root(path: Path) -> str:
    """A path as build.py, run in the checkout, names it: relative when it is inside."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def test_a_release_folder_holding_other_files_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "release"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = release_command("--out", str(out))
    assert result.returncode == 1
    assert result.stderr.endswith(
        f"build.py release: error: {shown_from_root(out / 'notes.txt')}: not written by a "
        f"release, and the release replaces {shown_from_root(out)} whole; move it away\n"
    )
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_a_release_folder_under_a_file_is_one_line(tmp_path: Path) -> None:
    """--out inside a file: one line naming both, no traceback, the file left as it was."""
    (tmp_path / "notes.txt").write_text("mine")
    out = tmp_path / "notes.txt" / "release"
    result = release_command("--out", str(out))
    assert result.returncode == 1
    assert result.stderr.endswith(
        f"build.py release: error: {shown_from_root(out)}: "
        f"{shown_from_root(tmp_path / 'notes.txt')} is a file, not a folder\n"
    )
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_the_released_version_has_a_changelog_section() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(VERSION)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)
    assert "## [Unreleased]" in changelog


def test_the_source_package_builds_the_same_store_packages_with_the_readme_command(
    released: Path, tmp_path: Path
) -> None:
    """Unpacks the source package into an empty folder and runs the README's first command
    there, as a reviewer would (it installs its own .venv and node_modules: a minute or two)."""
    folder = tmp_path / "source"
    folder.mkdir()
    with read_zip(released / SOURCE) as archive:
        archive.extractall(folder)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    first_command = re.findall(r"```sh\n(.*?)```", readme, re.DOTALL)[0].strip()
    result = subprocess.run(
        [shutil.which("bash"), "-c", first_command],
        cwd=folder,
        env=new_shell_environment(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for name in STORE_PACKAGES:
        assert (folder / "dist" / name).read_bytes() == (released / name).read_bytes(), name


def test_the_license_is_an_spdx_expression_that_builds_without_warnings(tmp_path: Path) -> None:
    """pip builds the project's metadata with today's setuptools: no deprecation warning (the
    old `license = { text = ... }` table prints one that becomes an error in 2027)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "tools", project / "tools", ignore=shutil.ignore_patterns("*.pyc"))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(tmp_path), "."],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Warning" not in output and "deprecated" not in output
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"linkedin_ai_optout-{VERSION}.dist-info/METADATA").decode()
        names = archive.namelist()
    assert "License-Expression: MIT" in metadata.splitlines()
    assert f"linkedin_ai_optout-{VERSION}.dist-info/licenses/LICENSE" in names
    # The build's package is declared: its modules are in the wheel.
    assert {"tools/build/make.py", "tools/checkrules/check.py", "tools/text.py"} <= set(names)
