"""When the setting cannot be found or confirmed: diagnostics a member can send without
sending personal data, and `build.py check-rules`, which reads them (or a saved page) and
tells which rule strategies match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import build
import rulecheck
from harness.chromium import ChromiumSession
from harness.fake_linkedin import SETTING_URL, FakeLinkedIn
from harness.session import Session, text, wait_for_history, wait_for_text

# Personal data on the page (server-rendered member data in the fixture's shell, plus what
# the test adds inside the settings app): none of it may appear in the diagnostics.
PERSONAL = [
    "Jane",
    "jane.example@example.com",
    "jane-example-4b2a9c",
    "5550173948261730462",
    "AQEDATEmK3sBx9QwAAABkZ8a1c8",
    "918273645",
    "/in/",
    "trk=",
    "utm_source",
]
ADD_PERSONAL_DATA_TO_THE_APP = """
() => {
  const main = document.querySelector("main");
  const note = document.createElement("p");
  note.textContent = "Signed in as Jane Example, jane.example@example.com";
  const link = document.createElement("a");
  link.href = "https://www.linkedin.com/in/jane-example-4b2a9c/?trk=settings&utm_source=x";
  link.textContent = "View profile of Jane Example";
  main.append(note, link);
  for (const input of document.querySelectorAll('[role="switch"]')) {
    input.setAttribute("data-csrf", "ajax:5550173948261730462");
    input.setAttribute("title", "Jane Example");
    input.setAttribute("aria-label", "For jane.example@example.com, AQEDATEmK3sBx9QwAAABkZ8a1c8");
  }
}
"""


WAIT_FOR_FOLDED_REPEAT = """
(api, { timeoutMs }) => new Promise((resolve) => {
  const folded = (history) => history?.[0]?.count === 2;
  const finish = (history) => {
    clearTimeout(timer);
    api.storage.onChanged.removeListener(onChanged);
    resolve(history?.[0] ?? {});
  };
  const onChanged = (changes, area) => {
    if (area === "local" && folded(changes.history?.newValue)) finish(changes.history.newValue);
  };
  const timer = setTimeout(
    async () => finish((await api.storage.local.get("history")).history), timeoutMs);
  api.storage.onChanged.addListener(onChanged);
  api.storage.local.get("history").then(({ history }) => folded(history) && finish(history));
})
"""


def verdict_of(lines: list[str], rule_id: str) -> str:
    """The verdict line of one rule in a check-rules report."""
    start = next(i for i, line in enumerate(lines) if line.startswith(f"rule {rule_id!r}"))
    return next(line for line in lines[start:] if line.startswith("  verdict:"))


def ambiguous_visit_with_personal_data(browser: Session, linkedin: FakeLinkedIn) -> None:
    """A page the extension cannot act on (the switch twice), full of personal data."""
    linkedin.reset(duplicate=True)
    tab = browser.open(f"{SETTING_URL}?trk=settings&utm_source=jane")
    assert wait_for_history(browser, 1)[0]["outcome"] == "ambiguous"
    tab.evaluate(ADD_PERSONAL_DATA_TO_THE_APP)
    tab_id = browser.extension(
        "async (api, url) => (await api.tabs.query({ url: url + '*' }))[0].id", SETTING_URL
    )
    browser.send_message({"type": "opt-out-now", "tabId": tab_id})  # look again, now
    # The second look repeats the first: the record folds it into the same line (count 2),
    # and the latest result carries the outline of the page as it is now.
    folded = browser.extension(WAIT_FOR_FOLDED_REPEAT, {"timeoutMs": 30_000})
    assert (folded["outcome"], folded.get("count")) == ("ambiguous", 2)


def copy_diagnostics(browser: Session) -> str:
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", "Could not find the setting")
    assert popup.evaluate("() => document.getElementById('diagnostics').hidden") is False
    popup.click("#copy-diagnostics")
    wait_for_text(popup, "#diagnostics-copied", "Copied")
    return browser.read_clipboard()


def test_diagnostics_hold_no_personal_data_and_what_maintainers_need(
    browser: Session, linkedin: FakeLinkedIn, tmp_path: Path
) -> None:
    ambiguous_visit_with_personal_data(browser, linkedin)
    report = copy_diagnostics(browser)

    leaked = [item for item in PERSONAL if item.lower() in report.lower()]
    assert leaked == [], f"personal data in the diagnostics: {leaked}\n{report}"
    assert "?" not in report.split("Page: ", 1)[1].split("\n", 1)[0], "the path has no query"
    version = build.read_version()
    for needed in [
        f"Extension: {version}",
        "Browser: Chrome" if browser.name == "chromium" else "Browser: Firefox",
        "Page: /mypreferences/d/settings/data-for-ai-improvement",
        "Languages: page en, browser en",
        "Result: ambiguous (several-switches)",
        "Rule: ai-training, found by: aria-labelledby",
        "aria-labelledby: 2 match(es)",
        "label-text:en: 2 match(es)",
        "Settings app rendered: yes",
        '"Data for Generative AI Improvement"',
        'allowDataForGenerativeAI → "Use my data for training content creation AI models"',
    ]:
        assert needed in report, f"{needed!r} missing from:\n{report}"

    # The maintainers' side: check-rules reads the copied diagnostics.
    saved = tmp_path / "diagnostics.txt"
    saved.write_text(report, encoding="utf-8")
    lines = rulecheck.check_files([saved], build.load_rules().rules)
    assert "  aria-labelledby          2 match(es)" in lines
    assert (
        verdict_of(lines, "ai-training") == "  verdict: aria-labelledby finds 2 switches: ambiguous"
    )


def test_no_diagnostics_when_the_opt_out_worked(browser: Session, linkedin: FakeLinkedIn) -> None:
    browser.open(SETTING_URL)
    assert wait_for_history(browser, 1)[0]["outcome"] == "turned-off"
    assert "diagnostics" not in json.dumps(browser.extension("(api) => api.storage.local.get()"))
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", "Off: LinkedIn may not train AI on your data")
    assert popup.evaluate("() => document.getElementById('diagnostics').hidden") is True
    assert text(popup, "#copy-diagnostics") == "Copy diagnostics"


# ---------------------------------------------------------------- check-rules on saved pages


@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ({}, "aria-labelledby finds exactly one switch"),
        ({"markup": "artdeco"}, "label-text:en finds exactly one switch"),
        ({"markup": "hashed"}, "aria-labelledby finds exactly one switch"),
        ({"markup": "button", "decoy": True}, "aria-labelledby finds exactly one switch"),
        ({"lang": "de", "aria_key": "renamedKey"}, "label-text:de finds exactly one switch"),
        ({"lang": "nl", "aria_key": "renamedKey"}, "label-text:nl finds exactly one switch"),
        ({"duplicate": True}, "aria-labelledby finds 2 switches: ambiguous"),
        ({"reworded": True, "layout_2026": True}, "only-switch finds exactly one switch"),
        ({"reworded": True, "lang": "ja", "markup": "div"}, "only-switch finds exactly one switch"),
        (
            {"reworded": True, "markup": "div", "duplicate": True},
            "only-switch finds 2 switches: ambiguous",
        ),
    ],
)
def test_check_rules_agrees_with_the_engine_on_saved_pages(
    changes: dict,
    verdict: str,
    chromium_browser: ChromiumSession,
    fake_linkedin: FakeLinkedIn,
    tmp_path: Path,
) -> None:
    """A saved copy of the page, checked in Python, gives the strategy the engine used."""
    chromium_browser.reset()
    fake_linkedin.reset(value=False, **changes)  # off: nothing changes while we save it
    tab = chromium_browser.open(SETTING_URL)
    [result] = wait_for_history(chromium_browser, 1)
    saved = tmp_path / "page.html"
    saved.write_text(tab.page.content(), encoding="utf-8")

    lines = rulecheck.check_files([saved], build.load_rules().rules)
    assert verdict_of(lines, "ai-training").startswith(f"  verdict: {verdict}")
    assert verdict.startswith(result["strategy"])
