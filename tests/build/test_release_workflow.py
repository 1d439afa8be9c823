"""The release workflow's store uploads (.github/workflows/release.yml, job `stores`): each runs
only when its secrets are set, says which secret is missing otherwise, and no secret reaches a
command line; the packages are checked (`release --check`) before any upload."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
SECRET = re.compile(r"\$\{\{\s*secrets\.(\w+)\s*\}\}")
STORE_LINE = re.compile(r"^store_secrets (has_\w+) \"([^\"]+)\" ((?:\w+ ?)+)$", re.MULTILINE)
SKIPPED = "upload skipped: secret $name is not set"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(RELEASE.read_text(encoding="utf-8"))


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def secrets_step(workflow: dict) -> dict:
    (step,) = [s for s in steps(workflow, "stores") if s.get("id") == "secrets"]
    return step


def store_secrets(workflow: dict) -> dict[str, list[str]]:
    """has_<store> output -> the secrets the `secrets` step requires for it."""
    lines = STORE_LINE.findall(secrets_step(workflow)["run"])
    return {output: names.split() for output, _, names in lines}


def upload_steps(workflow: dict) -> list[dict]:
    step_id = secrets_step(workflow).get("id")
    return [
        s
        for s in steps(workflow, "stores")
        if s.get("id") != step_id and any(SECRET.search(str(v)) for v in s.get("env", {}).values())
    ]


def test_there_is_one_upload_per_store(workflow: dict) -> None:
    names = [s["name"].split(":")[0] for s in upload_steps(workflow)]
    assert names == ["Chrome Web Store", "addons.mozilla.org", "Microsoft Edge Add-ons"]
    assert set(store_secrets(workflow)) == {"has_cws", "has_amo", "has_edge"}


def test_every_upload_runs_only_when_its_secrets_are_set(workflow: dict) -> None:
    required = store_secrets(workflow)
    for step in upload_steps(workflow):
        match = re.fullmatch(r"steps\.secrets\.outputs\.(has_\w+) == 'true'", step.get("if", ""))
        assert match, f"{step['name']}: no `if:` on its secrets check"
        used = {SECRET.search(str(v))[1] for v in step["env"].values() if SECRET.search(str(v))}
        assert used <= set(required[match[1]]), f"{step['name']}: {used - set(required[match[1]])}"


def test_every_secret_used_is_named_in_the_skip_message(workflow: dict) -> None:
    """Every secret of the file is read by the check step under its own name and checked there,
    and the check step's message names the missing one."""
    text = RELEASE.read_text(encoding="utf-8")
    used = set(SECRET.findall(text))
    step = secrets_step(workflow)
    assert step["env"] == {name: f"${{{{ secrets.{name} }}}}" for name in used}
    checked = {name for names in store_secrets(workflow).values() for name in names}
    assert checked == used
    assert SKIPPED in step["run"]


def test_no_secret_is_written_into_a_command(workflow: dict) -> None:
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "${{ secrets." not in step.get("run", ""), step.get("name")
            assert not SECRET.search(str(step.get("with", {}))), step.get("name")


def test_the_packages_are_checked_before_the_upload(workflow: dict) -> None:
    runs = [s.get("run", "") for s in steps(workflow, "build")]
    order = ["bash .ci/run", "python build.py release --tag", "python build.py release --check"]
    positions = [next(i for i, run in enumerate(runs) if command in run) for command in order]
    assert positions == sorted(positions)
    assert workflow["jobs"]["stores"]["needs"] == "build"


def run_secrets_check(workflow: dict, tmp_path: Path, env: dict[str, str]) -> tuple[str, str]:
    """The check step's script in bash with these secrets set: its output and GITHUB_OUTPUT."""
    outputs = tmp_path / "outputs"
    outputs.touch()
    result = subprocess.run(
        ["bash", "-e", "-c", secrets_step(workflow)["run"]],
        env={"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(outputs), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout, outputs.read_text()


def test_a_missing_secret_is_named_and_only_its_store_is_skipped(
    workflow: dict, tmp_path: Path
) -> None:
    names = {name for names in store_secrets(workflow).values() for name in names}
    given = {name: f"value-of-{name}" for name in names if name != "CWS_REFRESH_TOKEN"}
    output, outputs = run_secrets_check(workflow, tmp_path, given)
    assert outputs.splitlines() == ["has_cws=false", "has_amo=true", "has_edge=true"]
    assert output.splitlines() == [
        "::warning::Chrome Web Store upload skipped: secret CWS_REFRESH_TOKEN is not set",
        "addons.mozilla.org: every secret is set; uploading",
        "Microsoft Edge Add-ons: every secret is set; uploading",
    ]
    assert "value-of-" not in output


def test_with_no_secrets_every_store_says_what_is_missing(workflow: dict, tmp_path: Path) -> None:
    output, outputs = run_secrets_check(workflow, tmp_path, {})
    assert outputs.splitlines() == ["has_cws=false", "has_amo=false", "has_edge=false"]
    assert "::warning::addons.mozilla.org upload skipped: secret AMO_JWT_SECRET is not set" in (
        output.splitlines()
    )
    assert len(output.splitlines()) == len(set(SECRET.findall(RELEASE.read_text())))
