"""The record as a file, in Chromium and Firefox: "Save record" on the options page downloads
the record as JSON and as text, "Restore record" reads the JSON back into an empty record
(the popup then shows the same lines), a damaged file is refused with nothing changed, and
the popup's "Save as file…" opens that section."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from harness.fake_linkedin import SETTING_URL, FakeLinkedIn
from harness.session import (
    CLEAR_STORAGE,
    Session,
    Tab,
    describe,
    storage,
    text,
    wait_for_history,
    wait_for_text,
)
from tools.build import make

RECORD_ITEMS = "() => [...document.querySelectorAll('#record-list li')].map((li) => li.textContent)"
HEADER = (
    "Record of LinkedIn's “Data for Generative AI Improvement” setting, "
    "kept by LinkedIn AI Opt-Out in this browser"
)
COVERS = (
    "When this setting is off, LinkedIn will not use your data to train its content-creating "
    "AI models. Data already used, and LinkedIn's other AI uses, need an objection through "
    "LinkedIn's form."
)
STATUS = "#record-file-status"


def make_record(browser: Session) -> list[dict]:
    """Three visits of the setting's page: switched off, then off twice (one folded line)."""
    tab = browser.open(SETTING_URL)
    wait_for_history(browser, 1)
    tab.reload()
    wait_for_history(browser, 2)
    tab.reload()
    history = wait_for_history(browser, 3)
    assert [(line["outcome"], line.get("count")) for line in history] == [
        ("turned-off", None),
        ("already-off", 2),
    ]
    return history


def popup_lines(browser: Session) -> list[str]:
    popup = browser.open_popup()
    popup.wait_until("() => document.querySelector('#record-list li') !== null", timeout=10)
    return popup.evaluate(RECORD_ITEMS)


def open_record_section(browser: Session) -> Tab:
    options = browser.open_extension_page("options/options.html?save")
    assert options.wait_until("() => document.querySelector('#save-record').textContent !== ''")
    return options


def assert_accessible(tab: Tab) -> None:
    violations = tab.axe_violations()
    assert violations == [], describe(violations)


def test_saved_record_restores_the_same_lines_and_a_damaged_file_changes_nothing(
    browser: Session, linkedin: FakeLinkedIn, tmp_path: Path
) -> None:
    history = make_record(browser)
    lines = popup_lines(browser)
    assert len(lines) == 2

    options = open_record_section(browser)
    assert options.evaluate("() => document.activeElement.id") == "save-record"
    saved = options.downloads(lambda: options.click("#save-record"), 2, tmp_path / "saved")
    json_file, text_file = saved
    record = json.loads(json_file.read_text(encoding="utf-8"))
    day = datetime.fromisoformat(record["savedAt"].replace("Z", "+00:00")).astimezone().date()
    name = f"linkedin-ai-optout-record-{day.isoformat()}"
    assert [path.name for path in saved] == [f"{name}.json", f"{name}.txt"]
    assert record["format"] == "linkedin-ai-optout-record"
    assert record["formatVersion"] == 1
    assert record["extensionVersion"] == make.read_version()
    assert record["history"] == history
    assert text_file.read_text(encoding="utf-8") == "\n".join([HEADER, COVERS, *lines]) + "\n"
    wait_for_text(options, STATUS, f"Saved as {name}.json and {name}.txt.")
    assert_accessible(options)

    browser.extension(CLEAR_STORAGE)  # as in a new browser profile
    assert storage(browser).get("history") in (None, [])
    options.choose_file("#restore-file", json_file)
    wait_for_text(
        options,
        STATUS,
        f"Restored from “{json_file.name}”: 2 entries added, 0 already in the record.",
    )
    # Each line restored as it was saved, marked as from the file (when it was saved).
    marked = [{**line, "restored": record["savedAt"]} for line in history]
    assert storage(browser)["history"] == marked
    restored_lines = popup_lines(browser)
    assert [line.split(" (from a saved file, ")[0] for line in restored_lines] == lines
    assert all(line.endswith(")") and " (from a saved file, " in line for line in restored_lines)
    assert_accessible(options)

    damaged = tmp_path / "damaged-record.json"
    forged = {**record, "history": [*history, {**history[0], "outcome": "switched-on"}]}
    damaged.write_text(json.dumps(forged), encoding="utf-8")
    options.choose_file("#restore-file", damaged)
    wait_for_text(
        options,
        STATUS,
        "“damaged-record.json” was not restored: entry 3 is damaged (field “outcome”). "
        "Nothing was changed.",
    )
    not_json = tmp_path / "notes.json"
    not_json.write_text("my notes, not a record", encoding="utf-8")
    options.choose_file("#restore-file", not_json)
    wait_for_text(
        options,
        STATUS,
        "“notes.json” was not restored: it is not a JSON file. Nothing was changed.",
    )
    # Each line restored as it was saved, marked as from the file (when it was saved).
    marked = [{**line, "restored": record["savedAt"]} for line in history]
    assert storage(browser)["history"] == marked
    restored_lines = popup_lines(browser)
    assert [line.split(" (from a saved file, ")[0] for line in restored_lines] == lines
    assert all(line.endswith(")") and " (from a saved file, " in line for line in restored_lines)
    assert_accessible(options)


def test_restore_button_asks_for_a_file(browser: Session) -> None:
    options = open_record_section(browser)
    label = options.evaluate(
        "() => document.querySelector('#restore-record').getAttribute('aria-label')"
    )
    assert label == "Restore the opt-out record from a saved JSON file"
    # The member's file dialog itself is the browser's: the click on the input is what opens it.
    options.evaluate(
        "() => document.querySelector('#restore-file').addEventListener('click', (event) => {"
        " event.preventDefault(); document.body.dataset.asked = 'yes'; }, { once: true })"
    )
    options.click("#restore-record")
    assert options.wait_until("() => document.body.dataset.asked === 'yes'")


def test_popup_save_as_file_opens_the_options_section(browser: Session) -> None:
    popup = browser.open_popup()
    assert popup.wait_until("() => document.querySelector('#save-record-file').textContent")
    assert text(popup, "#save-record-file") == "Save as file…"
    assert_accessible(popup)
    options = browser.expect_new_tab(lambda: popup.click("#save-record-file"))
    assert options.wait_until("() => document.activeElement?.id === 'save-record'")
    assert options.url.endswith("/options/options.html?save")
