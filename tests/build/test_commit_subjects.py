"""The pull request check of commit subjects (.ci/commit_subjects.py, run by ci.yml) on commits
made in a repository of the test's own: the ones CONTRIBUTING.md's "Commits" asks for pass, and
each way of breaking it is named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "commit_subjects.py"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def repo_with(tmp_path: Path, messages: list[str]) -> tuple[Path, str, str]:
    """A repository with a first commit, then one commit per message: (repo, base, head)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "user.name", "Test")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Start: an empty repository")
    base = git(repo, "rev-parse", "HEAD")
    for message in messages:
        git(repo, "commit", "-q", "--allow-empty", "--cleanup=verbatim", "-m", message)
    return repo, base, git(repo, "rev-parse", "HEAD")


def check(repo: Path, base: str, head: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), base, head], cwd=repo, capture_output=True, text=True
    )


def test_subjects_as_contributing_asks_pass(tmp_path: Path) -> None:
    repo, base, head = repo_with(
        tmp_path,
        ["Runs: a declared state machine\n\nThe detail and the figures.", "README: one line"],
    )
    done = check(repo, base, head)
    assert (done.returncode, done.stdout) == (0, "")


def test_each_broken_subject_is_named_and_fails(tmp_path: Path) -> None:
    too_long = "Runs: " + "x" * 67  # 73 characters
    repo, base, head = repo_with(
        tmp_path,
        [too_long, "fixed the popup", "Popup: Cancel\nno blank line before this body"],
    )
    done = check(repo, base, head)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 3, lines
    assert lines[0].endswith("subject is 73 characters (at most 72)")
    assert lines[1].endswith('subject is not "Area: what changed"')
    assert lines[2].endswith("no blank line between the subject and the body")
