"""GitHub issues from a field check's JSON (the scheduled workflow, .github/workflows/
fieldcheck.yml): one open issue per failing rule, commented on when it is open already, and one
when the profile is signed out. `python -m fieldcheck.issues FILE --link URL...` runs the gh CLI
(GH_TOKEN from the workflow's GITHUB_TOKEN)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

SIGNED_OUT_TITLE = "Field check: the runner's profile is signed out of LinkedIn"
# An issue's body may hold 65,536 characters: the rows beyond this are in the linked JSON.
BODY_JSON_MAX = 60_000

Gh = Callable[..., str]


def rule_title(rule: str) -> str:
    return f"Field check: rule {rule} no longer finds its switch"


def rows_table(rows: list[dict]) -> str:
    lines = [
        "| address asked | ended on | outcome | found by | stack | s |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        outcome = row["outcome"] + (f" ({row['reason']})" if row.get("reason") else "")
        cells = [row["asked"], row["endedOn"], outcome, row.get("strategy") or "-",
                 row.get("frontEnd") or "-", str(row["seconds"])]  # fmt: skip
        lines.append("| " + " | ".join(f"`{cell}`" for cell in cells) + " |")
    return "\n".join(lines)


def json_block(rows: list[dict]) -> str:
    text = json.dumps(rows, indent=2, ensure_ascii=False)
    if len(text) > BODY_JSON_MAX:
        return "The rows with their outlines are too long for an issue: see the JSON linked above."
    intro = (
        "The rows, with the diagnostics outline of each failing page as the extension stored it:"
    )
    return f"{intro}\n\n```json\n{text}\n```"


def rule_body(document: dict, rule: str, links: list[str]) -> str:
    rows = [row for row in document["visits"] if row["rule"] == rule]
    head = (
        f"The field check of {document['started']} ({document['browser']}, extension "
        f"{document['extension']}, {document['mode']}) found that rule `{rule}` no longer "
        "finds its switch on LinkedIn. `python build.py check-rules` and CONTRIBUTING.md say "
        "how an outline becomes a fixed rule."
    )
    linked = "\n".join(f"- {link}" for link in links)
    return (
        f"{head}\n\n{rows_table(rows)}\n\nThe field check's JSON:\n{linked}\n\n{json_block(rows)}\n"
    )


def signed_out_body(document: dict, links: list[str]) -> str:
    linked = "\n".join(f"- {link}" for link in links)
    return (
        f"The field check of {document['started']} ({document['browser']}) ended on LinkedIn's "
        "sign-in page: sign in once by hand on the runner's profile (docs/fieldcheck.md). "
        f"No rule was judged on the pages that were signed out.\n\n{linked}\n"
    )


def issues_to_file(document: dict, links: list[str]) -> list[tuple[str, str]]:
    """(title, body) of each issue the check calls for."""
    issues = [
        (rule_title(rule), rule_body(document, rule, links)) for rule in document["failingRules"]
    ]
    if document.get("signedOut"):
        issues.append((SIGNED_OUT_TITLE, signed_out_body(document, links)))
    return issues


def open_issue_number(title: str, gh: Gh) -> int | None:
    """The open issue with exactly this title, if any."""
    found = gh("issue", "list", "--state", "open", "--search", f'"{title}" in:title',
               "--json", "number,title", "--limit", "100")  # fmt: skip
    same = [issue["number"] for issue in json.loads(found or "[]") if issue["title"] == title]
    return min(same) if same else None


def file_issue(title: str, body: str, gh: Gh) -> str:
    """Comments on the open issue of this title, or opens one; says which it did."""
    number = open_issue_number(title, gh)
    if number is None:
        gh("issue", "create", "--title", title, "--body", body)
        return f"opened: {title}"
    gh("issue", "comment", str(number), "--body", body)
    return f"commented on #{number}: {title}"


def run_gh(*args: str) -> str:
    return subprocess.run(["gh", *args], check=True, capture_output=True, text=True).stdout


def main(argv: list[str] | None = None, gh: Gh = run_gh) -> int:
    parser = argparse.ArgumentParser(prog="python -m fieldcheck.issues", description=__doc__)
    parser.add_argument("json", type=Path, help="the field check's --json file")
    parser.add_argument("--link", action="append", default=[], help="where the JSON is kept")
    args = parser.parse_args(argv)
    document = json.loads(args.json.read_text(encoding="utf-8"))
    for title, body in issues_to_file(document, args.link):
        print(file_issue(title, body, gh))
    return 0


if __name__ == "__main__":
    sys.exit(main())
