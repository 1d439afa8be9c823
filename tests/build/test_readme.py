"""The README's two commands: CI runs exactly them, and the second one (scripts/test) installs
the test browsers the way a fresh Debian machine needs, as root without sudo or as a user
with sudo, then lints and tests inside the first command's .venv. The machine's own tools
(dpkg-query, apt-get, sudo, id, python) are replaced by recording stand-ins on PATH, so the
script runs for real without installing anything."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROWSER_PACKAGES = "chromium chromium-headless-shell firefox-esr firefox-esr-l10n-de openssl"
# Real tools the script needs besides the stand-ins; nothing else is on its PATH (so no sudo
# unless a test puts one there).
REAL_TOOLS = ("bash", "env", "find", "dirname", "apt-config")


def readme_commands() -> list[str]:
    """The first two ```sh blocks of the README: the install command and the test command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", readme, re.DOTALL)[:2]]


def ci_commands() -> list[str]:
    """What .ci/run runs, without the lines that only set the shell up."""
    setup = {"set -euo pipefail", 'cd "$(dirname "$0")/.."'}
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return [
        line.strip()
        for line in lines
        if line.strip() and not line.lstrip().startswith("#") and line.strip() not in setup
    ]


def test_ci_runs_exactly_the_readme_commands() -> None:
    commands = readme_commands()
    assert commands == ["bash scripts/setup", "bash scripts/test"]
    assert ci_commands() == commands


def test_readme_commands_name_scripts_that_exist_and_stop_at_the_first_error() -> None:
    for command in readme_commands():
        script = ROOT / command.split()[-1]
        assert script.is_file(), command
        assert "set -euo pipefail" in script.read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------- scripts/test, for real

STAND_INS = {
    # Prints the package's state as dpkg-query does: "installed" only when the test says so.
    "dpkg-query": 'echo "dpkg-query $*" >> "$CALLS"; printf %s "${PACKAGE_STATUS:-not-installed}"',
    "apt-get": 'echo "apt-get $* DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-}" >> "$CALLS"',
    "id": 'if [ "$1" = -u ]; then echo "$FAKE_UID"; else exit 1; fi',
    "python": 'echo "python $*" >> "$CALLS"; [ "$*" != "-m pytest" ] || exit "${PYTEST_EXIT:-0}"',
    "ruff": 'echo "ruff $*" >> "$CALLS"',
    "npm": 'echo "npm $*" >> "$CALLS"',
}
SUDO = 'echo "sudo $*" >> "$CALLS"; exec "$@"'


@dataclass
class Run:
    returncode: int
    stderr: str
    calls: list[str]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A folder with scripts/test, a .venv whose activate puts the stand-ins first on PATH,
    an apt configuration whose package lists live in the folder, and empty package lists."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "test", repo / "scripts" / "test")
    stand_ins = tmp_path / "stand-ins"
    stand_ins.mkdir()
    for name, body in STAND_INS.items():
        write_script(stand_ins / name, body)
    real = tmp_path / "real"
    real.mkdir()
    for tool in REAL_TOOLS:
        (real / tool).symlink_to(shutil.which(tool))
    (repo / ".venv" / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin" / "activate").write_text(f'PATH="{stand_ins}:$PATH"\n')
    (tmp_path / "lists").mkdir()
    (tmp_path / "apt.conf").write_text(f'Dir::State::lists "{tmp_path / "lists"}/";\n')
    return repo


def write_script(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def run_test_command(
    repo: Path,
    *,
    uid: int = 0,
    with_sudo: bool = False,
    installed: bool = False,
    pytest_exit: int = 0,
) -> Run:
    """Runs `bash scripts/test` in a new shell whose PATH has only the stand-ins and the tools
    it needs (plus a recording sudo when asked for)."""
    base = repo.parent
    calls = base / "calls.log"
    calls.write_text("")
    path = [str(base / "stand-ins"), str(base / "real")]
    if with_sudo:
        sudo_dir = base / "sudo"
        sudo_dir.mkdir(exist_ok=True)
        write_script(sudo_dir / "sudo", SUDO)
        path.insert(0, str(sudo_dir))
    env = {
        "PATH": os.pathsep.join(path),
        "HOME": str(base),
        "CALLS": str(calls),
        "FAKE_UID": str(uid),
        "PYTEST_EXIT": str(pytest_exit),
        "APT_CONFIG": str(base / "apt.conf"),
    }
    if installed:
        env["PACKAGE_STATUS"] = "installed"
    result = subprocess.run(
        [shutil.which("bash"), "scripts/test"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = [line for line in calls.read_text().splitlines() if not line.startswith("dpkg-query")]
    return Run(result.returncode, result.stderr, lines)


LINT_AND_TEST = [
    "python build.py --lint",
    "ruff check .",
    "npm run --silent lint:js",
    "python -m pytest",
]
INSTALL = f"apt-get install -y {BROWSER_PACKAGES} DEBIAN_FRONTEND=noninteractive"


def fresh_package_list(repo: Path, age_seconds: float = 0) -> None:
    listing = repo.parent / "lists" / "deb.debian.org_debian_dists_bookworm_main_amd64_Packages"
    listing.write_text("")
    stamp = time.time() - age_seconds
    os.utime(listing, (stamp, stamp))


def test_as_root_without_sudo_on_a_fresh_machine_fetches_lists_then_installs(
    checkout: Path,
) -> None:
    run = run_test_command(checkout, uid=0)
    assert run.returncode == 0, run.stderr
    assert run.calls == ["apt-get update DEBIAN_FRONTEND=", INSTALL, *LINT_AND_TEST]


def test_as_a_user_with_sudo_installs_through_sudo(checkout: Path) -> None:
    fresh_package_list(checkout)
    run = run_test_command(checkout, uid=1000, with_sudo=True)
    assert run.returncode == 0, run.stderr
    assert run.calls == [
        f"sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y {BROWSER_PACKAGES}",
        INSTALL,
        *LINT_AND_TEST,
    ]


def test_package_lists_older_than_a_day_are_fetched_again(checkout: Path) -> None:
    fresh_package_list(checkout, age_seconds=2 * 24 * 3600)
    run = run_test_command(checkout, uid=0)
    assert run.returncode == 0, run.stderr
    assert run.calls[:2] == ["apt-get update DEBIAN_FRONTEND=", INSTALL]


def test_as_a_user_without_sudo_says_what_is_needed_and_installs_nothing(checkout: Path) -> None:
    run = run_test_command(checkout, uid=1000)
    assert run.returncode == 1
    assert "needs root: run this as root, or install sudo" in run.stderr
    assert run.calls == []


def test_with_the_browsers_installed_it_only_lints_and_tests(checkout: Path) -> None:
    run = run_test_command(checkout, uid=1000, installed=True)
    assert run.returncode == 0, run.stderr
    assert run.calls == LINT_AND_TEST


def test_a_run_where_pytest_ran_no_test_fails(checkout: Path) -> None:
    run = run_test_command(checkout, installed=True, pytest_exit=5)
    assert run.returncode == 5
    assert run.calls == LINT_AND_TEST


def test_without_the_first_command_it_says_to_run_it(checkout: Path) -> None:
    shutil.rmtree(checkout / ".venv")
    run = run_test_command(checkout, installed=True)
    assert run.returncode == 1
    assert "run the first command (bash scripts/setup) first" in run.stderr
    assert run.calls == []
