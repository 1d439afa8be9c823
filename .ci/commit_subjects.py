"""Checks the subjects of the commits a pull request adds: "Area: what changed", at most 72
characters, then a blank line before any body (CONTRIBUTING.md, "Commits").

    python .ci/commit_subjects.py BASE HEAD   ->  one line per commit that breaks it; exit 1
"""

from __future__ import annotations

import re
import subprocess
import sys

SUBJECT_MAX = 72
# "Area: what changed": an area of one or more words, a colon, a space, then the change.
SUBJECT = re.compile(r"^[A-Za-z0-9][\w./ -]*: \S")


def commits(base: str, head: str) -> list[tuple[str, str]]:
    """(short hash, whole message) of each commit in base..head, oldest first."""
    listed = subprocess.run(
        ["git", "log", "--reverse", "--format=%h%x00%B%x01", f"{base}..{head}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode != 0:
        raise SystemExit(f"commit_subjects: git log {base}..{head}: {listed.stderr.strip()}")
    records = [record.strip("\n") for record in listed.stdout.split("\x01") if record.strip()]
    return [tuple(record.split("\x00", 1)) for record in records]  # type: ignore[misc]


def problems(message: str) -> list[str]:
    """What is wrong with one commit message, in words; empty when nothing is."""
    lines = message.split("\n")
    subject = lines[0]
    found = []
    if len(subject) > SUBJECT_MAX:
        found.append(f"subject is {len(subject)} characters (at most {SUBJECT_MAX})")
    if not SUBJECT.match(subject):
        found.append('subject is not "Area: what changed"')
    if len(lines) > 1 and lines[1].strip():
        found.append("no blank line between the subject and the body")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python .ci/commit_subjects.py BASE HEAD", file=sys.stderr)
        return 2
    failed = 0
    for short, message in commits(*argv):
        for problem in problems(message):
            print(f"{short} {message.splitlines()[0][:60]!r}: {problem}")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
