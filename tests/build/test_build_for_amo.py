"""`npm run build-for-amo`, the script addons.mozilla.org's reviewers run in the unpacked source
package: it rebuilds the Firefox package byte for byte and prints where it is, and BUILDING.md
tells them to run `npm ci` first.

There is no internet here but the package registries, and `npm ci` plus the .venv the script
makes would take a minute: the test links the checkout's node_modules and .venv into the
unpacked folder (the same lock file and pyproject.toml), which is what those two steps give."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import build
from tests.build.helpers import new_shell_environment
from tools.build import make, release

ROOT = Path(__file__).resolve().parents[2]
VERSION = make.read_version()
FIREFOX = f"linkedin-ai-optout-{VERSION}-firefox.zip"
SOURCE = f"linkedin-ai-optout-{VERSION}-source.zip"


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "release"
    release.release(out, build.store_packages)
    return out


def test_package_json_names_the_script() -> None:
    scripts = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["scripts"]
    assert scripts["build-for-amo"] == "bash scripts/build-for-amo"


def test_build_for_amo_rebuilds_the_firefox_package_in_the_unpacked_source(
    released: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "source"
    with zipfile.ZipFile(released / SOURCE) as archive:
        archive.extractall(folder)
    for installed in ("node_modules", ".venv"):
        (folder / installed).symlink_to(ROOT / installed, target_is_directory=True)
    result = subprocess.run(
        [shutil.which("npm"), "run", "--silent", "build-for-amo"],
        cwd=folder,
        env=new_shell_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    built = folder / "dist" / "amo" / FIREFOX
    assert result.stdout == f"The Firefox package for addons.mozilla.org: {built}\n"
    assert built.read_bytes() == (released / FIREFOX).read_bytes()


def test_building_md_tells_reviewers_to_run_npm_ci_first(released: Path) -> None:
    with zipfile.ZipFile(released / SOURCE) as archive:
        building = archive.read("BUILDING.md").decode()
        names = set(archive.namelist())
    assert "\n    npm ci\n    npm run build-for-amo\n" in building
    assert f"`dist/amo/{FIREFOX}`" in building
    assert {"package.json", "package-lock.json", "scripts/build-for-amo"} <= names
