"""The scheduled field check (.github/workflows/fieldcheck.yml) and the issues it files
(fieldcheck/issues.py): skipped with a message where no runner with the signed-in profile is
registered; on that runner, the check, its JSON kept, and one issue per failing rule, commented
on rather than opened twice. gh is replaced by a fake that keeps the issues."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fieldcheck.issues import SIGNED_OUT_TITLE, main, rule_title

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = (ROOT / ".github" / "workflows" / "fieldcheck.yml").read_text(encoding="utf-8")
SKIPPED = (
    "Field check skipped: no self-hosted runner with the signed-in profile is registered"
    " (set FIELDCHECK_RUNNER)"
)


def test_it_runs_daily_and_by_hand_and_skips_without_the_runner() -> None:
    assert re.search(
        r'^on:\n  schedule:\n    - cron: "[^"]+"\n  workflow_dispatch:\n', WORKFLOW, re.M
    )
    assert SKIPPED in WORKFLOW and 'if [ "$FIELDCHECK_RUNNER" = "registered" ]' in WORKFLOW
    assert "if: needs.runner.outputs.registered == 'true'" in WORKFLOW
    assert """runs-on: ${{ fromJSON('["self-hosted", "linkedin-profile"]') }}""" in WORKFLOW
    assert "issues: write" in WORKFLOW and "GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}" in WORKFLOW


def test_it_checks_read_only_on_the_profile_keeps_the_json_and_files_issues() -> None:
    run = 'python -m fieldcheck --browser "$BROWSER" --profile "$PROFILE" --json fieldcheck.json'
    assert run in WORKFLOW and "--act" not in WORKFLOW
    assert "PROFILE: ${{ vars.FIELDCHECK_PROFILE }}" in WORKFLOW
    assert "uses: actions/upload-artifact@v4" in WORKFLOW and "path: fieldcheck.json" in WORKFLOW
    files = 'python -m fieldcheck.issues fieldcheck.json --link "$ARTIFACT_URL" --link "$RUN_URL"'
    assert files in WORKFLOW


class FakeGh:
    """gh's issue commands on a list of issues."""

    def __init__(self, issues: list[dict]) -> None:
        self.issues = issues
        self.calls: list[tuple[str, ...]] = []

    def __call__(self, *args: str) -> str:
        self.calls.append(args)
        if args[:2] == ("issue", "list"):
            search = args[args.index("--search") + 1]
            wanted = search.removesuffix(" in:title").strip('"')
            found = [i for i in self.issues if i["state"] == "open" and wanted in i["title"]]
            return json.dumps([{"number": i["number"], "title": i["title"]} for i in found])
        if args[:2] == ("issue", "create"):
            title, body = args[args.index("--title") + 1], args[args.index("--body") + 1]
            self.issues.append({"number": len(self.issues) + 1, "title": title, "state": "open",
                                "body": body, "comments": []})  # fmt: skip
        if args[:2] == ("issue", "comment"):
            issue = next(i for i in self.issues if i["number"] == int(args[2]))
            issue["comments"].append(args[args.index("--body") + 1])
        return ""


def document(failing: list[str], signed_out: bool = False) -> dict:
    row = {"rule": "research", "asked": "/mypreferences/d/settings/policy-and-academic-research",
           "endedOn": "https://www.linkedin.com/mypreferences/d/settings/policy-and-academic-research",
           "outcome": "not-found", "reason": None, "strategy": None, "frontEnd": "new",
           "seconds": 20.4, "diagnostics": {"frontEnd": "new", "app": {"found": True}}}  # fmt: skip
    return {"started": "2026-12-07T05:23:00+00:00", "browser": "Chrome 156.0", "mode": "read-only",
            "extension": "0.1.0", "failingRules": failing, "signedOut": signed_out,
            "visits": [row]}  # fmt: skip


def test_one_issue_per_failing_rule_then_comments(tmp_path: Path) -> None:
    file = tmp_path / "fieldcheck.json"
    file.write_text(json.dumps(document(["research"])), encoding="utf-8")
    closed = {"number": 1, "title": rule_title("research"), "state": "closed", "comments": []}
    gh = FakeGh([closed])
    link = "https://github.com/o/r/actions/runs/1/artifacts/2"

    assert main([str(file), "--link", link], gh=gh) == 0
    assert main([str(file), "--link", link], gh=gh) == 0

    opened = [i for i in gh.issues if i["state"] == "open"]
    assert [i["title"] for i in opened] == ["Field check: rule research no longer finds its switch"]
    assert len(opened[0]["comments"]) == 1, "the second run comments on the open issue"
    body = opened[0]["body"]
    assert link in body and '"diagnostics"' in body and "`not-found`" in body


def test_a_signed_out_profile_is_one_issue_of_its_own(tmp_path: Path) -> None:
    file = tmp_path / "fieldcheck.json"
    file.write_text(json.dumps(document([], signed_out=True)), encoding="utf-8")
    gh = FakeGh([])
    assert main([str(file)], gh=gh) == 0
    assert [i["title"] for i in gh.issues] == [SIGNED_OUT_TITLE]
