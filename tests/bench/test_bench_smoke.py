"""A short run of the benchmark (`python -m bench --quick`), so that it cannot rot. Its figures
are not pass/fail: this checks that it runs in Chromium with the extension and the polling
reference, and "Opt out now" in Firefox too, and reports every section with numbers that make
sense, never timing targets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUICK_RUNS = 3
SECTIONS = (
    "runs",
    "machine",
    "sizes",
    "build_seconds",
    "time_to_off",
    "late_switch",
    "elsewhere",
    "busy_page",
    "opt_out_now",
    "targets",
)
TARGET_KEYS = {
    "content-script-bytes",
    "package-bytes",
    "observer-overhead-per-1000",
    "build-seconds",
    "not-injected-elsewhere",
    "opt-out-now-one:p95",
    "opt-out-now-one-firefox:p95",
    "opt-out-now-one-firefox:ratio",
    "opt-out-now-not-kept:p95",
    "opt-out-now-not-kept-firefox:p95",
    "opt-out-now-sweep:p95-per-setting",
}
# Who takes part in each "Opt out now" section: the extension (Chromium), the polling
# reference, the extension in Firefox; and what the popup ends on.
OPT_OUT_CONTENDERS = {
    "one": ("extension", "reference", "firefox"),
    "not_kept": ("extension", "firefox"),
    "sweep": ("extension", "reference"),
}
POPUP_ENDS_ON = {"kept": "off", "not-kept": "failed"}
OUTCOMES = {"kept": {"turned-off", "already-off"}, "not-kept": {"failed"}}


@pytest.fixture(scope="session")
def bench(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The JSON of one quick run (one per xdist worker that runs these tests: they come first
    in the collection, so the worker given the first half runs them all); fails (never
    skips) when the run fails, Chromium missing too."""
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    command = [sys.executable, "-m", "bench", "--quick", "--json", str(out)]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=420, check=False
    )
    assert result.returncode == 0, f"{' '.join(command[1:])} failed:\n{result.stderr[-4000:]}"
    assert "| Measure |" in result.stdout and "Targets:" in result.stdout
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_section_is_reported(bench: dict) -> None:
    assert set(SECTIONS) <= bench.keys()
    assert bench["runs"] == QUICK_RUNS
    assert bench["machine"]["cores"] >= 1
    assert "Chromium" in bench["machine"]["chromium"]
    assert bench["machine"]["firefox"].startswith("Firefox ")


def test_time_to_off_is_measured_for_both_contenders(bench: dict) -> None:
    assert {"switch-at-load", "switch-2s-late"} <= bench["time_to_off"].keys()
    for fixture in bench["time_to_off"].values():
        for name in ("extension", "reference"):
            contender = fixture[name]
            assert contender["runs"] == QUICK_RUNS
            assert contender["failures"] == 0, (name, contender)
            appear = contender["appear_to_save_sent_ms"]
            from_start = contender["navigation_to_save_sent_ms"]
            assert appear["n"] == QUICK_RUNS
            assert 0 <= appear["min"] <= appear["median"] <= appear["p95"] <= appear["max"]
            assert from_start["median"] >= appear["median"]
            assert from_start["min"] >= min(fixture["render_delay_ms"])
        assert fixture["median_ratio"]["ratio"] > 0


def test_a_switch_8_s_late_is_still_switched_off_by_the_extension_only(bench: dict) -> None:
    late = bench["late_switch"]
    assert late["render_delay_ms"] == 8000
    extension, reference = late["extension"], late["reference"]
    assert extension["runs"] >= 1 and reference["runs"] == extension["runs"]
    assert extension["switch_appeared"] == reference["switch_appeared"] == extension["runs"]
    assert extension["succeeded"] == extension["runs"]
    assert reference["succeeded"] == 0 and reference["gave_up"] == reference["runs"]


def test_busy_page_costs_are_counted(bench: dict) -> None:
    busy = bench["busy_page"]
    assert busy["mutations"] == 10_000
    assert busy["observer_calls"]["median"] >= 1
    # The engine watches text only inside labels and looks at a busy page once per interval,
    # so it receives records for some of the changes, never more than there were.
    assert 1 <= busy["observer_records"]["median"] <= busy["mutations"]
    assert busy["observer_callback_ms"]["median"] >= 0
    assert busy["timer_calls"]["median"] >= 1, "a busy page is looked at again from a timer"
    assert busy["timer_callback_ms"]["median"] >= 0
    for name in ("none", "extension"):
        assert busy["page_bursts_ms"][name]["median"] > 0
        assert busy["page_script_duration_ms"][name]["median"] > 0
    assert busy["overhead_per_1000_mutations_ms"] == pytest.approx(busy["overhead_ms"] / 10, 0.01)
    paired = busy["paired_overhead_ms"]
    assert paired["n"] == QUICK_RUNS, "one overhead per pair of page loads"
    assert paired["min"] <= paired["q1"] <= paired["median"] <= paired["q3"] <= paired["max"]
    assert busy["overhead_ms"] == pytest.approx(paired["median"], abs=0.001)


def test_opt_out_now_is_timed_to_the_popups_outcome(bench: dict) -> None:
    opt_out = bench["opt_out_now"]
    assert opt_out.keys() == OPT_OUT_CONTENDERS.keys()
    assert opt_out["one"]["settings"] == opt_out["not_kept"]["settings"] == ["ai-training"]
    assert opt_out["sweep"]["settings"][:2] == ["ai-training", "research"]
    assert opt_out["not_kept"]["ends"] == "not-kept"
    for run, data in opt_out.items():
        count = len(data["settings"])
        names = OPT_OUT_CONTENDERS[run]
        assert set(names) <= data.keys()
        for name in names:
            contender = data[name]
            assert contender["runs"] >= 1 and contender["failures"] == 0, (run, name, contender)
            total, per_setting = contender["total_ms"], contender["per_setting_ms"]
            assert total["n"] == contender["runs"]
            assert per_setting["median"] == pytest.approx(total["median"] / count, abs=0.01)
        for name in (name for name in names if name != "reference"):
            extension = data[name]
            # The run's end is read when the popup shows it: the status card says how it ended.
            shown = {card["state"] for card in extension["popup_showed"]}
            assert shown == {POPUP_ENDS_ON[data["ends"]]}, (run, name, shown)
            assert all(card["title"] for card in extension["popup_showed"])
            for outcomes in extension["outcomes"]:
                assert set(outcomes) == set(data["settings"])
                assert set(outcomes.values()) <= OUTCOMES[data["ends"]], (run, name, outcomes)


def test_content_script_is_not_injected_outside_settings(bench: dict) -> None:
    elsewhere = bench["elsewhere"]
    assert set(elsewhere["injected"]) == {"/feed/", "/in/x/", "/messaging/"}
    assert not any(elsewhere["injected"].values())
    assert elsewhere["control_injected"], "the check must see the script where it does run"


def test_sizes_and_build_time(bench: dict) -> None:
    for browser in ("chrome", "firefox"):
        sizes = bench["sizes"][browser]
        assert all(size > 0 for size in sizes.values()), sizes
    assert bench["build_seconds"]["n"] == QUICK_RUNS
    assert bench["build_seconds"]["median"] > 0


def test_every_target_has_a_verdict(bench: dict) -> None:
    targets = {target["key"]: target for target in bench["targets"]}
    assert targets.keys() >= TARGET_KEYS
    assert {f"{fixture}:p95" for fixture in bench["time_to_off"]} <= targets.keys()
    assert {target["verdict"] for target in targets.values()} <= {"PASS", "MISS"}
