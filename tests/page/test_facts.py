"""The facts the content script (extension/engine/main.js) sends with a result the member may
send diagnostics for, read in a plain Chromium page, and what the background makes of them
(tests/unit/write-report.js runs the background's check of the result and the popup's report).
The page's own text travels only in that one message to the extension's background, cut to
size, and comes out nowhere."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from playwright.sync_api import Page

from harness.session import strings_in
from tests.page.test_member_first import VISIT_ANSWER, open_page
from tools.text import text_shape

ROOT = Path(__file__).resolve().parents[2]
NAME = "Jolanta Kowalska-Wiśniewska"
LONG = f"{NAME} " * 400  # 11,200 characters
# A settings app with more headings and switches than the facts carry, texts far longer than
# any the rule data has, and the member's name outside it too; two switches answer the
# rule's key, so the visit ends at once as "ambiguous", a result sent with facts.
HEADINGS = "".join(f"<h2>{NAME} {index}</h2>" for index in range(45))
SWITCH = f'<input type="checkbox" role="switch" aria-label="{LONG}" title="{NAME}">'
SWITCHES = SWITCH * 50
PAGE = f"""
<!doctype html><html lang="pl-{"-Jolanta" * 200}"><body>
<nav><a href="/in/jolanta">{NAME}</a><input type="checkbox" role="switch" aria-label="{NAME}"></nav>
<main>
  <h1>{LONG}</h1>
  {HEADINGS}
  <span id="allowDataForGenerativeAI">{LONG}</span>
  <input type="checkbox" role="switch" aria-labelledby="allowDataForGenerativeAI" checked>
  <input type="checkbox" role="switch" aria-labelledby="allowDataForGenerativeAI" checked>
  {SWITCHES}
</main></body></html>
"""
RESULT_SENT = "() => sent.find((message) => message.type === 'result')?.result ?? null"


def background_report(result: dict) -> str:
    """The report the popup copies once the background has checked and stored this result (as
    sent from the rule's page: this page is served at another path)."""
    latest = {key: value for key, value in result.items() if key not in ("facts", "path")}
    written = subprocess.run(
        ["node", str(ROOT / "tests" / "unit" / "write-report.js")],
        input=json.dumps({"facts": result["facts"], "latest": latest}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert written.returncode == 0, written.stderr
    return written.stdout


def test_facts_are_read_in_the_app_cut_to_size_and_leave_nothing_of_the_page(page: Page) -> None:
    open_page(page, PAGE)
    page.evaluate("(reply) => releaseVisit(reply)", VISIT_ANSWER)
    page.wait_for_function(RESULT_SENT, timeout=5_000)
    result = page.evaluate(RESULT_SENT)

    assert (result["outcome"], result["reason"]) == ("ambiguous", "several-switches")
    facts = result["facts"]
    assert (facts["appFound"], facts["headingCount"], facts["switchCount"]) == (True, 46, 52)
    assert (len(facts["headings"]), len(facts["switches"])) == (40, 40)
    assert facts["switchLikeOutside"] == 1
    assert facts["strategies"] == [{"strategy": "aria-labelledby", "matches": 2}]
    assert [item["candidate"] for item in facts["switches"][:3]] == [True, True, True]
    assert max(len(text) for text in strings_in(facts)) == 1000
    assert len(result["lang"]) == 1000
    assert len(json.dumps(result)) < 150_000, "the page's size does not make the message's"
    assert "/in/jolanta" not in json.dumps(result), "nothing outside the settings app is read"

    report = background_report(result)
    assert "Result: ambiguous" in report
    shape = text_shape(LONG[:1000])
    assert f'"{shape}"' in report, "a long text is shaped as far as it was read"
    for piece in ("Jolanta", "Kowalska", "Wiśniewska", "jolanta"):
        assert piece not in report, f"{piece!r} came out in the report"
