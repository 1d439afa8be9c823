"""When the setting cannot be found or confirmed: diagnostics a member can send without
sending personal data, and `build.py check-rules`, which reads them (or a saved page) and
tells which rule strategies match."""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path

import pytest

from harness.chromium import ChromiumSession
from harness.e2e_rules import SHORT_LIMIT_MS
from harness.fake_linkedin import SETTING_URL, FakeLinkedIn
from harness.session import Session, Tab, strings_in, text, wait_for_history, wait_for_text
from tools.build import make
from tools.checkrules import check
from tools.checkrules.report import REPORT_START
from tools.text import normalize_text, text_shape

ROOT = Path(__file__).resolve().parents[2]

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
SWITCH_ARIA_LABEL = "For jane.example@example.com, AQEDATEmK3sBx9QwAAABkZ8a1c8"
ADD_PERSONAL_DATA_TO_THE_APP = """
(ariaLabel) => {
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
    input.setAttribute("aria-label", ariaLabel);
  }
}
"""


WAIT_FOR_FOLDED_REPEAT = """
(api, { count, timeoutMs }) => new Promise((resolve) => {
  const folded = (history) => (history?.[0]?.count ?? (history?.length ? 1 : 0)) === count;
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
    tab.evaluate(ADD_PERSONAL_DATA_TO_THE_APP, SWITCH_ARIA_LABEL)
    tab_id = browser.extension(
        "async (api, url) => (await api.tabs.query({ url: url + '*' }))[0].id", SETTING_URL
    )
    browser.send_message({"type": "opt-out-now", "tabId": tab_id})  # look again, now
    # The second look repeats the first: the record folds it into the same line (count 2),
    # and the latest result carries the outline of the page as it is now.
    folded = browser.extension(WAIT_FOR_FOLDED_REPEAT, {"count": 2, "timeoutMs": 30_000})
    assert (folded["outcome"], folded.get("count")) == ("ambiguous", 2)


def show_diagnostics(browser: Session) -> Tab:
    """The popup with the report shown, as the first click on Copy diagnostics shows it."""
    popup = browser.open_popup()
    wait_for_text(popup, "#status-title", "Could not find the setting")
    assert popup.evaluate("() => document.getElementById('diagnostics').hidden") is False
    popup.click("#copy-diagnostics")
    assert popup.wait_until("() => !document.getElementById('diagnostics-preview').hidden")
    return popup


def copy_diagnostics(browser: Session) -> str:
    """The report as Copy puts it on the clipboard: shown first, then copied (it is the text
    shown, tests/e2e/test_promises.py)."""
    popup = show_diagnostics(browser)
    popup.click("#diagnostics-confirm")
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
    version = make.read_version()
    for needed in [
        f"Extension: {version}",
        "Browser: Chrome" if browser.name == "chromium" else "Browser: Firefox",
        "Page: /mypreferences/d/settings/data-for-ai-improvement, language en",
        "Result: ambiguous (several-switches), ",
        "Rule: ai-training, found by: aria-labelledby",
        "In short: two switches, two of them labelled by a known text",
        "  aria-labelledby: 2 matches",
        "  label-text:en: 2 matches",
        "Settings app: found; 1 heading, 2 switch-like elements",
        '  1. h1 "Data for Generative AI Improvement"',
        'aria-labelledby "allowDataForGenerativeAI" → "Use my data for training content creation'
        ' AI models"',
        f"aria-label → {text_shape(SWITCH_ARIA_LABEL)}",
    ]:
        assert needed in report, f"{needed!r} missing from:\n{report}"

    # The maintainers' side: check-rules reads the copied diagnostics.
    saved = tmp_path / "diagnostics.txt"
    saved.write_text(report, encoding="utf-8")
    lines = check.check_files([saved], make.load_rules().rules)
    assert "  aria-labelledby          2 match(es)" in lines
    assert (
        verdict_of(lines, "ai-training") == "  verdict: aria-labelledby finds 2 switches: ambiguous"
    )


def test_no_diagnostics_when_the_opt_out_worked(browser: Session, linkedin: FakeLinkedIn) -> None:
    browser.open(SETTING_URL)
    assert wait_for_history(browser, 1)[0]["outcome"] == "turned-off"
    assert "diagnostics" not in json.dumps(browser.extension("(api) => api.storage.local.get()"))
    popup = browser.open_popup()
    off = "Off as shown on the page (not yet confirmed)"  # the member's own tab: no fresh load
    wait_for_text(popup, "#status-title", off)
    assert popup.evaluate("() => document.getElementById('diagnostics').hidden") is True
    assert text(popup, "#copy-diagnostics") == "Copy diagnostics…"


# ---------------------------------------------------------------- pages full of personal data

PAGES_PER_BROWSER = 5
TEXTS_PER_PAGE = 30
PIECE = 6
VISIT_TIMEOUT = SHORT_LIMIT_MS / 1000 + 15  # a not-found result arrives only after the limit
DUMP_STORAGE = (
    "async (api) => ({ local: await api.storage.local.get(null),"
    " session: await api.storage.session.get(null) })"
)
# A character of each kind a text shape names (each script, digits, symbols, another script).
KIND_SAMPLES = "aαжաאبकকதกა한あア中ሀ1!ᚠ"


def personal_data(seed: int) -> dict[str, list[str]]:
    """Texts for a page and the personal data in them, from the generator of the JavaScript
    property test (tests/unit/personal-data.js)."""
    script = ROOT / "tests" / "unit" / "print-personal-data.js"
    result = subprocess.run(
        ["node", str(script), str(seed), str(TEXTS_PER_PAGE)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(result.stdout)


def letters_and_digits(text: str) -> str:
    normalized = normalize_text(text)
    return "".join(c for c in normalized if unicodedata.category(c)[0] in "LN")


def folds(text: str, output: bool) -> list[str]:
    """A text as the engine reads it (normalizing joins its lines), and its letters and digits
    alone: an output's line by line, so that no piece is made of the end of one line and the
    start of the next."""
    letters = [letters_and_digits(line) for line in text.split("\n")] if output else []
    return [normalize_text(text), *(letters or [letters_and_digits(text)])]


def pieces(texts: list[str], output: bool = True) -> set[str]:
    """Every 6-character piece of every text, under both folds."""
    found = set()
    for item in set(texts):
        for fold in folds(item, output):
            found |= {fold[at : at + PIECE] for at in range(len(fold) - PIECE + 1)}
    return found


def shipped_pieces(environment: list[str]) -> set[str]:
    """What the extension ships, and so may put in a report whatever the page: its rule data,
    its messages, the code that writes reports, the environment (version, browser, time) and
    the kinds of character text shapes name. A piece of personal data that is also one of these
    proves nothing either way: it is not looked for."""
    extension = ROOT / "extension"
    files = [
        extension / "rules" / "linkedin.json",
        *sorted((extension / "_locales").glob("*/messages.json")),
        *(extension / "lib" / name for name in ("allowlist.js", "outline.js", "report.js")),
    ]
    shapes = [text_shape(one + other) for one in KIND_SAMPLES for other in KIND_SAMPLES]
    return pieces([f.read_text(encoding="utf-8") for f in files] + shapes + environment)


def leaks(needles: list[str], outputs: list[str], shipped: set[str]) -> list[tuple[str, str]]:
    """The pieces of personal data that are in the outputs; every needle must have a piece to
    look for."""
    found = pieces(outputs)
    leaked = []
    for needle in needles:
        looked_for = pieces([needle], output=False) - shipped
        assert looked_for, f"{needle!r} is made only of pieces the extension ships"
        leaked += [(needle, piece) for piece in sorted(looked_for & found)]
    return leaked


def test_pages_full_of_personal_data_leave_none_in_the_report_or_storage(
    short_limit_browser: Session, linkedin: FakeLinkedIn
) -> None:
    """Five generated pages per browser, each showing a member's data in the navigation bar,
    headings, the switch's label and key, ids, role, type, aria-checked, lang and data
    attributes, where no rule step finds the switch: not one piece of it is in the report
    copied from the popup, nor anywhere in the extension's storage (local and session). (Each
    visit waits the limit out: a build with a short one, SHORT_LIMIT_MS.)"""
    browser = short_limit_browser
    needles: list[str] = []
    for page in range(PAGES_PER_BROWSER):
        data = personal_data(seed=1000 + page)
        needles += data["needles"]
        linkedin.reset(personal_data=tuple(data["texts"]))
        tab = browser.open(SETTING_URL)
        # Each visit repeats the last one's outcome: the record folds them into one line.
        arg = {"count": page + 1, "timeoutMs": VISIT_TIMEOUT * 1000}
        entry = browser.extension(WAIT_FOR_FOLDED_REPEAT, arg)
        assert (entry.get("outcome"), entry.get("count", 1)) == ("not-found", page + 1)
        assert tab.evaluate("() => document.documentElement.lang") == data["texts"][0]
        report = copy_diagnostics(browser)
        stored = browser.extension(DUMP_STORAGE)

        start = REPORT_START.search(report).start()
        lines, document = report[:start], json.loads(report[start:])
        environment = [document["browser"], document["extension"], json.dumps(document["at"])]
        environment += [entry["at"], entry.get("last", "")]
        outputs = [report, *strings_in(document), *strings_in(stored)]
        leaked = leaks(needles, outputs, shipped_pieces(environment))
        assert leaked == [], f"page {page}: personal data came out: {leaked[:5]}\n{report}"
        assert "In short: no switch in the settings app (and 2 other switch-like elements)" in lines


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

    lines = check.check_files([saved], make.load_rules().rules)
    assert verdict_of(lines, "ai-training").startswith(f"  verdict: {verdict}")
    assert verdict.startswith(result["strategy"])
