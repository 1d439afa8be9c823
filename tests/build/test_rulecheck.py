"""`build.py check-rules` on the command line: a saved page or a copied diagnostics report in,
the strategies that match it, the verdict and what the report says out; anything else refused
with one line naming the file (exit 2), a missing file named, never a traceback. The reports
are made by the extension's own code (tests/unit/write-report.js), so these tests also check
that check-rules reads what the extension writes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.text import text_shape

ROOT = Path(__file__).resolve().parents[2]
AI_LABEL = "Use my data for training content creation AI models"
REWORDED = "Let us use your data to train generative AI models"


def check_rules(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check-rules", *map(str, arguments)],
        capture_output=True,
        text=True,
        check=False,
    )


def written_report(facts: dict, latest: dict | None = None, hub_rows: list | None = None) -> str:
    """The report the popup copies for these page facts (and the privacy hub's rows no rule
    knows), written by the extension's code."""
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "unit" / "write-report.js")],
        input=json.dumps({"facts": facts, "latest": latest or {}, "hubRows": hub_rows or []}),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def switch(label: str, key: str = "allowDataForGenerativeAI", **changes: object) -> dict:
    """A switch as the content script reads it: an input labelled by the element `key`."""
    facts = {
        "tag": "INPUT",
        "id": "toggle-1",
        "role": "switch",
        "type": "checkbox",
        "ariaChecked": None,
        "ariaPressed": None,
        "checked": True,
        "disabled": False,
        "busy": False,
        "candidate": True,
        "name": label,
        "ariaLabel": None,
        "title": None,
        "labelledBy": [{"id": key, "where": "app", "text": label}],
        "labels": [],
        "mirrors": {},
        "heading": 0,
        "matchedBy": [],
    }
    return {**facts, **changes}


def page(*switches: dict) -> dict:
    return {
        "appFound": True,
        "headings": [
            {"tag": "H1", "ariaLevel": None, "text": "Data for Generative AI Improvement"}
        ],
        "switches": list(switches),
        "switchLikeOutside": 0,
        "strategies": [{"strategy": "aria-labelledby", "matches": len(switches)}],
    }


def saved(tmp_path: Path, text: str, name: str = "diagnostics.txt") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


def verdict(stdout: str, rule_id: str = "ai-training") -> str:
    lines = stdout.splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"rule {rule_id!r}")))
    return next(line for line in lines[start:] if line.startswith("  verdict:"))


def test_check_rules_command_line(tmp_path: Path) -> None:
    page_file = saved(
        tmp_path,
        '<main><h1>Data for Generative AI Improvement</h1><span id="k">Use my data for training'
        ' content creation AI models</span><input type="checkbox" role="switch"'
        ' aria-labelledby="k" checked></main>',
        "saved.html",
    )
    result = check_rules(page_file)
    assert result.returncode == 0, result.stderr
    assert "label-text:en            1 match(es)" in result.stdout
    assert "verdict: label-text:en finds exactly one switch" in result.stdout

    # The key renamed and the label reworded: only the page-level step finds it.
    page_file.write_text(
        '<nav><input type="checkbox" id="nav-toggle"></nav><main><h1>Data for Generative AI'
        ' Improvement</h1><span id="new">Allow use of my data for training AI that generates'
        ' content</span><div role="switch" aria-checked="true" aria-labelledby="new"></div></main>',
        encoding="utf-8",
    )
    reworded = check_rules(page_file)
    assert reworded.returncode == 0, reworded.stderr
    assert "label-text:en            0 match(es)" in reworded.stdout
    assert "verdict: only-switch finds exactly one switch: <div role=switch" in reworded.stdout
    assert "sense: its text reads in the setting's sense: the extension acts on it" in (
        reworded.stdout
    )

    # Reworded to the opposite: the page-level step finds it, and the engine leaves it alone.
    page_file.write_text(
        "<main><h1>Data for Generative AI Improvement</h1><p id=':r0:'>Don't use my data to train"
        " content creation AI models</p><button role='switch' aria-checked='true'"
        " aria-labelledby=':r0:'></button></main>",
        encoding="utf-8",
    )
    inverted = check_rules(page_file)
    assert inverted.returncode == 0, inverted.stderr
    assert "verdict: only-switch finds exactly one switch" in inverted.stdout
    assert "sense: its text reads negated: the extension reports ambiguous (unsure-sense)" in (
        inverted.stdout
    )

    missing = check_rules(tmp_path / "nope.txt")
    assert missing.returncode == 1
    assert "nope.txt: no such file" in missing.stderr


def test_a_report_with_the_known_key_and_label_gets_the_engines_verdict(tmp_path: Path) -> None:
    report = written_report(
        page(switch(AI_LABEL), switch(AI_LABEL, id="toggle-2")),
        {"outcome": "ambiguous", "reason": "several-switches", "strategy": "aria-labelledby"},
    )
    result = check_rules(saved(tmp_path, report))
    assert result.returncode == 0, result.stderr
    assert "  aria-labelledby          2 match(es)" in result.stdout
    assert "  label-text:en            2 match(es)" in result.stdout
    assert verdict(result.stdout) == "  verdict: aria-labelledby finds 2 switches: ambiguous"
    assert '  heading 1: h1 "Data for Generative AI Improvement" (known text)' in result.stdout
    assert (
        f'aria-labelledby "allowDataForGenerativeAI" -> "{AI_LABEL}" (known text)' in result.stdout
    )
    assert "result: ambiguous (several-switches) for rule ai-training" in result.stdout
    assert "front end (site.frontEnds): not told apart" in result.stdout
    assert "2026-11-29 between 14:00 and 14:59 UTC" in result.stdout


def test_the_hub_rows_no_rule_knows_are_counted_by_their_shapes(tmp_path: Path) -> None:
    rows = [
        {"path": "/mypreferences/d/settings/data-for-ai-personalization", "text": "Data for AI"},
        {"path": "/mypreferences/d/jan-kowalski", "text": "Jan Kowalski"},
    ]
    report = written_report(page(switch(AI_LABEL)), hub_rows=rows)
    assert "Jan" not in report and "Kowalski" not in report and "personalization" not in report
    assert "The privacy hub lists 2 settings no rule knows:" in report
    result = check_rules(saved(tmp_path, report))
    assert result.returncode == 0, result.stderr
    assert "  the hub lists 2 settings no rule knows (nothing was clicked there):" in result.stdout
    assert (
        "    ‹text 11 chars, Latin, 3 words› (unknown text)"
        " at /mypreferences/d/settings/‹id 27 chars›" in result.stdout
    )
    assert "could not read" not in result.stdout
    older = written_report(page(switch(AI_LABEL)))
    assert "the hub lists" not in check_rules(saved(tmp_path, older)).stdout


def test_one_switch_labelled_by_an_unknown_text_says_what_to_do(tmp_path: Path) -> None:
    # LinkedIn reworded the label and renamed the key: only the page-level step found the
    # switch, and the click did not hold.
    reworded = switch(REWORDED, key="allowGenAiTrainingV2", matchedBy=["only-switch"])
    report = written_report(
        page(reworded), {"outcome": "failed", "reason": "reverted", "strategy": "only-switch"}
    )
    shape = text_shape(REWORDED)
    assert shape == "‹text 50 chars, Latin, 10 words›"
    assert REWORDED not in report and "allowGenAiTrainingV2" not in report
    result = check_rules(saved(tmp_path, report))
    assert result.returncode == 0, result.stderr
    assert verdict(result.stdout) == (
        "  verdict: only-switch finds exactly one switch: switch 1 (input, role=switch,"
        " type=checkbox, id ‹id 8 chars›)"
    )
    assert "Only the page-level step (only-switch) finds it: the precise steps need a fix." in (
        result.stdout
    )
    assert f"    aria-labelledby ‹id 20 chars› -> {shape} (unknown text)" in result.stdout
    assert f"  in short: one switch, labelled by an unknown text {shape}." in result.stdout
    assert "Ask the member for the wording they see next to the switch" in result.stdout

    # The maintainer adds the wording the member gave as a label-text step: check-rules names
    # the unknown label of the same shape (the report never held the text itself).
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "extension" / "rules", rules)
    data = json.loads((rules / "linkedin.json").read_text(encoding="utf-8"))
    data["rules"][0]["switch"].insert(1, {"by": "label-text", "lang": "en", "text": REWORDED})
    data["rules"][0]["switch"] = [
        s
        for s in data["rules"][0]["switch"]
        if not (s.get("lang") == "en" and s.get("text") == AI_LABEL)
    ]
    (rules / "linkedin.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    again = check_rules(saved(tmp_path, report), "--rules", rules)
    assert again.returncode == 0, again.stderr
    assert (
        f"  label-text:en: switch 1 (input, role=switch, type=checkbox, id ‹id 8 chars›) has an"
        f" unknown label of this step's shape {shape}: likely this text" in again.stdout
    )


def test_disagreeing_state_mirrors_are_explained(tmp_path: Path) -> None:
    item = switch(AI_LABEL, ariaChecked="false", mirrors={"artdeco-toggle--toggled": "on"})
    report = written_report(page(item), {"outcome": "ambiguous", "reason": "unreadable-state"})
    result = check_rules(saved(tmp_path, report))
    assert result.returncode == 0, result.stderr
    assert (
        "    its state mirrors disagree (checked on, aria-checked off, artdeco-toggle--toggled on):"
        " the extension cannot read it (unreadable-state)" in result.stdout
    )


def test_a_report_cut_short_is_read_as_far_as_it_goes(tmp_path: Path) -> None:
    report = written_report(page(switch(AI_LABEL), switch(REWORDED, key="other", id="toggle-2")))
    second = report.index('"tag": "input"', report.index('"tag": "input"') + 1)
    inside_its_labels = report.index('"labelledBy"', second) + 20
    for cut in (second + 5, inside_its_labels, len(report) - 40):
        result = check_rules(saved(tmp_path, report[:cut]))
        assert result.returncode == 0, result.stderr
        assert "  could not read: the document stops being JSON at line " in result.stdout
        assert "Traceback" not in result.stderr
        assert "switch 1 (input, role=switch, type=checkbox" in result.stdout
        assert verdict(result.stdout).startswith("  verdict: aria-labelledby finds")


def test_an_edited_report_says_what_it_could_not_read(tmp_path: Path) -> None:
    report = written_report(page(switch(AI_LABEL)))
    edited = report.replace('"role": "switch"', '"role": "Jane Doe\\n  2. input"', 1)
    edited = edited.replace('"headingCount": 1', '"headingCount": "one"')
    result = check_rules(saved(tmp_path, edited))
    assert result.returncode == 0, result.stderr
    assert (
        '  could not read: app.switches[0].role: "Jane Doe\\n  2. input" is not what a report holds'
        in result.stdout
    )
    assert '  could not read: app.headingCount: "one" is not what a report holds' in result.stdout
    assert "Jane Doe\n" not in result.stdout


def test_the_report_is_found_inside_a_pasted_text(tmp_path: Path) -> None:
    report = written_report(page(switch(AI_LABEL)))
    crlf = report.replace("\n", "\r\n")  # as a mail program may send it
    pasted = f"Hi, here is what the extension said:\r\n\r\n{crlf}\r\nThanks!"
    result = check_rules(saved(tmp_path, pasted))
    assert result.returncode == 0, result.stderr
    assert verdict(result.stdout).startswith("  verdict: aria-labelledby finds exactly one switch")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("hello, the switch is gone", "neither a diagnostics report"),
        ("", "neither a diagnostics report"),
        (
            "LinkedIn AI Opt-Out diagnostics\nExtension: 0.1.0\n--- machine-readable ---\n"
            '{"version": "0.1.0", "path": "/mypreferences/d/settings/data-for-ai-improvement"}\n',
            "diagnostics of the first format",
        ),
        ("LinkedIn AI Opt-Out diagnostics\nExtension: 0.1.0\n", "only the lines for people"),
        ('{"report": "linkedin-ai-optout diagnostics", "format": 3}', "of format 3"),
        ('{"report": "linkedin-ai-optout diagnostics", "form', "cut short at line 1, column"),
    ],
)
def test_anything_but_a_report_or_a_page_is_refused(text: str, says: str, tmp_path: Path) -> None:
    file = saved(tmp_path, text)
    result = check_rules(file)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"build.py: error: {file}: ")
    assert says in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "report.png"
    file.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    result = check_rules(file)
    assert result.returncode == 2
    assert f"{file}: not a text file (UTF-8)" in result.stderr
    assert "Traceback" not in result.stderr


def test_text_shapes_in_python_are_the_extensions(tmp_path: Path) -> None:
    """check-rules computes the shape of a step's text as the extension shapes page texts."""
    rules = json.loads((ROOT / "extension" / "rules" / "linkedin.json").read_text(encoding="utf-8"))
    texts = [s["text"] for r in rules["rules"] for s in r["switch"] if "text" in s]
    texts += ["Jane Doe", "+49 30 1234 5678", "राम १२३", "山田 太郎ー", "Жанна д'Арк", "ᚠ x 😀"]
    facts = page(*(switch(text, key=f"k{index}") for index, text in enumerate(texts)))
    report = written_report(facts)
    document = json.loads(report[report.index('{\n "report"') :])
    written = [item["labelledBy"][0]["text"] for item in document["app"]["switches"]]
    known = {s for s in texts if s in written}
    assert [text_shape(t) for t in texts if t not in known] == [
        shape for shape in written if shape.startswith("‹")
    ]


def test_a_report_says_which_front_end_served_the_page(tmp_path: Path) -> None:
    """The content script tells LinkedIn's two front ends apart by the rule data's marks
    (site.frontEnds); the report carries the name, check-rules prints it."""
    facts = {**page(switch(AI_LABEL)), "frontEnd": "new"}
    report = written_report(facts, {"outcome": "failed", "reason": "save-error"})
    result = check_rules(saved(tmp_path, report))
    assert result.returncode == 0, result.stderr
    assert "front end (site.frontEnds): new" in result.stdout
    assert "front end new" in report, "the lines for people say it too"


def test_a_report_nested_deeper_than_any_report_is_one_line(tmp_path: Path) -> None:
    """A document nested thousands of levels deep is read to a depth no report exceeds: what
    could not be read is said, never a traceback."""
    deep = "[" * 5000 + "]" * 5000
    text = '{"report": "linkedin-ai-optout diagnostics", "format": 2, "app": ' + deep + "}"
    result = check_rules(saved(tmp_path, text))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "nested more than 32 levels deep" in result.stdout
