"""One benchmark run, section by section; returns everything as one JSON-ready dict."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Playwright, sync_playwright

from bench import ROOT
from bench.browser import BenchError, Session, find_chromium
from bench.busy import busy_trial, instrumented_copy
from bench.machine import LoadSampler, machine
from bench.opt_out_now import (
    SINGLE_RULE,
    Setting,
    extension_trial,
    firefox_trial,
    reference_trial,
    settings,
)
from bench.sizes import build_times, sizes
from bench.stats import median, spread, summary
from bench.timing import Trial, late_switch, time_to_off
from harness import BrowserNotFound
from harness.fake_linkedin import HOST, HUB_PATH, FakeLinkedIn, Scenario
from harness.firefox import FirefoxSession, find_firefox
from tools.build import make

REFERENCE = ROOT / "bench" / "reference"


@dataclass(frozen=True)
class Fixture:
    """The setting page with its switch rendered `delay_ms` after the app starts its route;
    with `spread_ms`, run i of n adds (i + 0.5) / n of it, so the moments the switch appears
    fall evenly over one polling period instead of in step with it."""

    title: str
    delay_ms: int
    spread_ms: int = 0

    def scenario(self, run: int, runs: int) -> Scenario:
        return Scenario(render_delay_ms=self.delay_ms + round((run + 0.5) * self.spread_ms / runs))


FIXTURES = {
    "switch-at-load": Fixture("Switch at load", 0),
    "switch-2s-late": Fixture("Switch 2 s late", 2000),
    "switch-0-1s-late": Fixture("Switch 0–1 s late, spread over the runs", 0, spread_ms=1000),
}
LATE_FIXTURE = Scenario(render_delay_ms=8000)
LATE_RUNS_PER_30 = 3
ELSEWHERE_PATHS = ("/feed/", "/in/x/", "/messaging/")
MUTATIONS = 10_000
# "Opt out now": a sweep of every rule takes the extension about 2 s per setting, so it runs
# once per SWEEP_EVERY runs; a quick run sweeps QUICK_SWEEP_RULES settings once.
SWEEP_EVERY = 3
QUICK_SWEEP_RULES = 2
BUILD_RUNS = 5
# performance.now() is coarsened to 0.1 ms in pages that are not cross-origin isolated.
TIMER_RESOLUTION_MS = 0.1


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


@contextmanager
def open_session(
    playwright: Playwright,
    executable: str,
    server: FakeLinkedIn,
    profile: Path,
    extension: Path | None,
) -> Iterator[Session]:
    session = Session(playwright, executable, profile, server.chromium_args, extension)
    try:
        yield session
    finally:
        session.close()


# ---------------------------------------------------------------- time to off


def contender_summary(trials: list[Trial | None]) -> dict[str, Any]:
    done = [trial for trial in trials if trial is not None]
    to_done = [trial.appear_to_done for trial in done if trial.appear_to_done is not None]
    return {
        "runs": len(trials),
        "failures": len(trials) - len(done),
        "appear_to_save_sent_ms": summary([trial.appear_to_sent for trial in done]),
        "navigation_to_save_sent_ms": summary([trial.save_sent for trial in done]),
        "appear_to_save_done_ms": summary(to_done),
    }


def median_ratio(extension: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    """Reference median / extension median; a bound when the extension is under the timer."""
    ours = extension["appear_to_save_sent_ms"]["median"]
    theirs = reference["appear_to_save_sent_ms"]["median"]
    if ours is None or theirs is None:
        return {"ratio": None, "lower_bound": False}
    floored = max(ours, TIMER_RESOLUTION_MS)
    return {"ratio": round(theirs / floored, 1), "lower_bound": floored != ours}


def time_to_off_section(sessions: dict[str, Session], server: FakeLinkedIn, runs: int) -> dict:
    trials: dict[tuple[str, str], list[Trial | None]] = {
        (fixture, name): [] for fixture in FIXTURES for name in sessions
    }
    for run in range(runs):
        log(f"time to off: run {run + 1}/{runs}")
        for fixture, setup in FIXTURES.items():
            scenario = setup.scenario(run, runs)
            for name, session in sessions.items():  # interleaved: load drifts hit both alike
                trials[fixture, name].append(time_to_off(session, server, scenario))
    section = {}
    for fixture, setup in FIXTURES.items():
        extension = contender_summary(trials[fixture, "extension"])
        reference = contender_summary(trials[fixture, "reference"])
        section[fixture] = {
            "title": setup.title,
            "render_delay_ms": [setup.scenario(run, runs).render_delay_ms for run in range(runs)],
            "extension": extension,
            "reference": reference,
            "median_ratio": median_ratio(extension, reference),
        }
    return section


def late_section(sessions: dict[str, Session], server: FakeLinkedIn, runs: int) -> dict:
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in sessions}
    for run in range(runs):
        log(f"switch 8 s late: run {run + 1}/{runs}")
        for name, outcome in late_switch(sessions, server, LATE_FIXTURE).items():
            results[name].append(outcome)
    section: dict[str, Any] = {"render_delay_ms": LATE_FIXTURE.render_delay_ms}
    for name, trials in results.items():
        section[name] = {
            "runs": len(trials),
            "succeeded": sum(trial["succeeded"] for trial in trials),
            "switch_appeared": sum(trial["switch_appeared"] for trial in trials),
            "gave_up": sum(trial["gave_up"] for trial in trials),
            "trials": trials,
        }
    return section


# ---------------------------------------------------------------- elsewhere


def elsewhere_section(session: Session, server: FakeLinkedIn) -> dict:
    """Whether the content script is injected; the privacy hub is the control (it must be)."""
    server.reset()
    injected = {}
    for path in (*ELSEWHERE_PATHS, HUB_PATH):
        page = session.new_page()
        try:
            page.goto(f"https://{HOST}{path}")
            injected[path] = session.content_script_ran(page)
        finally:
            page.close()
    control = injected.pop(HUB_PATH)
    return {"injected": injected, "control_path": HUB_PATH, "control_injected": control}


# ---------------------------------------------------------------- busy page


def busy_pair(sessions: dict[str, Session], server: FakeLinkedIn, run: int) -> dict:
    """The busy page without and with the extension, one right after the other; who goes
    first alternates from pair to pair, so that neither always meets the warmer machine."""
    order = list(sessions) if run % 2 == 0 else list(reversed(sessions))
    return {name: busy_trial(sessions[name], server, MUTATIONS) for name in order}


def pair_overhead(pair: dict[str, dict[str, Any]]) -> dict[str, float]:
    """What the extension cost the page in one pair: its callbacks and timers, plus how much
    longer the page's own bursts took with it than without it (queueing its records)."""
    observer = pair["extension"]["observer"]
    queueing = pair["extension"]["burst_ms"] - pair["none"]["burst_ms"]
    return {"queueing_ms": queueing, "ms": observer["ms"] + observer["timerMs"] + queueing}


def busy_section(sessions: dict[str, Session], server: FakeLinkedIn, runs: int) -> dict:
    pairs = []
    for run in range(runs):
        log(f"busy page: pair {run + 1}/{runs}")
        pairs.append(busy_pair(sessions, server, run))
    trials = {name: [pair[name] for pair in pairs] for name in sessions}
    observers = [trial["observer"] for trial in trials["extension"]]
    if any(observer is None for observer in observers):
        raise BenchError("could not read the observer counters from the content script")
    overheads = [pair_overhead(pair) for pair in pairs]
    per_pair = [overhead["ms"] for overhead in overheads]
    overhead_ms = median(per_pair) or 0.0
    bursts = {name: [trial["burst_ms"] for trial in trials[name]] for name in trials}
    per_1000 = MUTATIONS / 1000
    return {
        "mutations": MUTATIONS,
        "runs": runs,
        "observer_calls": summary([observer["calls"] for observer in observers]),
        "observer_records": summary([observer["records"] for observer in observers]),
        "observer_callback_ms": summary([observer["ms"] for observer in observers]),
        "timer_calls": summary([observer["timerCalls"] for observer in observers]),
        "timer_callback_ms": summary([observer["timerMs"] for observer in observers]),
        "page_bursts_ms": {name: summary(values) for name, values in bursts.items()},
        "record_queueing_ms": median([overhead["queueing_ms"] for overhead in overheads]),
        "paired_overhead_ms": spread(per_pair),
        "paired_overhead_per_1000_mutations_ms": spread([ms / per_1000 for ms in per_pair]),
        "overhead_ms": round(overhead_ms, 3),
        "overhead_per_1000_mutations_ms": round(overhead_ms / per_1000, 3),
        "page_script_duration_ms": {
            name: summary([trial["script_ms"] for trial in trials[name]]) for name in trials
        },
        "page_task_duration_ms": {
            name: summary([trial["task_ms"] for trial in trials[name]]) for name in trials
        },
    }


# ---------------------------------------------------------------- opt out now


def opt_out_summary(trials: list[dict[str, Any] | None], count: int) -> dict[str, Any]:
    done = [trial for trial in trials if trial is not None and trial["all_off"]]
    return {
        "runs": len(trials),
        "failures": len(trials) - len(done),
        "total_ms": summary([trial["ms"] for trial in done]),
        "per_setting_ms": summary([trial["ms"] / count for trial in done]),
        "popup_showed": [trial["card"] for trial in done if "card" in trial],
        "outcomes": [trial["outcomes"] for trial in done if "outcomes" in trial],
        "proofs": [trial["proofs"] for trial in done if "proofs" in trial],
    }


# Who takes part in "Opt out now": the extension in Chromium, the polling reference (Chromium,
# no popup, nothing to report when a save is not kept) and the extension in Firefox.
CONTENDERS = {
    "extension": lambda sessions, server, chosen, ends: extension_trial(
        sessions["extension"], server, chosen, ends
    ),
    "reference": lambda sessions, server, chosen, ends: reference_trial(
        sessions["reference"], server, chosen
    ),
    "firefox": lambda sessions, server, chosen, ends: firefox_trial(
        sessions["firefox"], server, chosen, ends
    ),
}


def opt_out_section(
    sessions: dict[str, Any],
    server: FakeLinkedIn,
    runs: int,
    chosen: list[Setting],
    names: tuple[str, ...],
    ends: str = "kept",
) -> dict:
    """`runs` runs of each contender in `names`, interleaved: load that comes and goes meets
    every browser alike, so their figures compare within the run."""
    trials: dict[str, list[dict[str, Any] | None]] = {name: [] for name in names}
    for run in range(runs):
        log(f"opt out now, {len(chosen)} setting(s), save {ends}: run {run + 1}/{runs}")
        for name in names:
            trials[name].append(CONTENDERS[name](sessions, server, chosen, ends))
    section: dict[str, Any] = {"settings": [setting.rule for setting in chosen], "ends": ends}
    for name, found in trials.items():
        section[name] = opt_out_summary(found, len(chosen))
    return section


def opt_out_sections(sessions: dict[str, Any], server: FakeLinkedIn, runs: int, quick: bool):
    """One setting (the AI setting chosen alone) in Chromium, the reference and Firefox; the
    same when LinkedIn does not keep the save (the extension in both browsers: the time to
    report it); the sweep of every rule in Chromium and the reference."""
    every = settings()
    sweep = every[:QUICK_SWEEP_RULES] if quick else every
    sweeps = 1 if quick else max(1, runs // SWEEP_EVERY)
    one = settings([SINGLE_RULE])
    return {
        "one": opt_out_section(
            sessions, server, 1 if quick else runs, one, ("extension", "reference", "firefox")
        ),
        "not_kept": opt_out_section(
            sessions, server, sweeps, one, ("extension", "firefox"), ends="not-kept"
        ),
        "sweep": opt_out_section(sessions, server, sweeps, sweep, ("extension", "reference")),
    }


@contextmanager
def open_firefox(server: FakeLinkedIn, profile: Path, package: Path) -> Iterator[FirefoxSession]:
    """Firefox ESR as the tests start it, with the packed build as a temporary add-on."""
    try:
        executable = find_firefox()
    except BrowserNotFound as error:
        raise BenchError(str(error)) from None
    session = FirefoxSession(executable, package, profile, server.firefox_prefs)
    try:
        yield session
    finally:
        session.close()


# ---------------------------------------------------------------- the whole run


def firefox_version(session: FirefoxSession) -> str:
    capabilities = session.client.session_capabilities
    return f"Firefox {capabilities.get('browserVersion', 'unknown')}"


def browser_sections(
    playwright: Playwright,
    server: FakeLinkedIn,
    work: Path,
    dist: Path,
    runs: int,
    quick: bool,
) -> dict:
    executable = find_chromium(playwright)
    results: dict[str, Any] = {"machine": machine(executable)}
    launch = {"playwright": playwright, "executable": executable, "server": server}
    chrome = dist / "chrome"
    with (
        open_session(**launch, profile=work / "p-extension", extension=chrome) as extension,
        open_session(**launch, profile=work / "p-reference", extension=REFERENCE) as reference,
    ):
        contenders = {"extension": extension, "reference": reference}
        results["time_to_off"] = time_to_off_section(contenders, server, runs)
        late_runs = max(1, runs * LATE_RUNS_PER_30 // 30)
        results["late_switch"] = late_section(contenders, server, late_runs)
        results["elsewhere"] = elsewhere_section(extension, server)
        package = dist / make.package_name(make.read_version(), "firefox")
        with open_firefox(server, work / "p-firefox", package) as firefox:
            results["machine"]["firefox"] = firefox_version(firefox)
            runners = {**contenders, "firefox": firefox}
            results["opt_out_now"] = opt_out_sections(runners, server, runs, quick)
    counting = instrumented_copy(chrome, work / "chrome-counting")
    with (
        open_session(**launch, profile=work / "p-none", extension=None) as none,
        open_session(**launch, profile=work / "p-counting", extension=counting) as instrumented,
    ):
        results["busy_page"] = busy_section({"none": none, "extension": instrumented}, server, runs)
    return results


def run(runs: int, quick: bool = False) -> dict:
    """Every section of the benchmark with `runs` repetitions each (quick: "Opt out now" once,
    and its sweep over QUICK_SWEEP_RULES settings: a smoke run)."""
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch, LoadSampler() as load:
        work = Path(scratch)
        log("building")
        make.build(out=work / "dist")
        results: dict[str, Any] = {"runs": runs}
        results["sizes"] = sizes(work / "dist")
        results["build_seconds"] = build_times(min(runs, BUILD_RUNS))
        with FakeLinkedIn(work / "server") as server, sync_playwright() as playwright:
            results |= browser_sections(playwright, server, work, work / "dist", runs, quick)
    results["machine"]["load_average_1min"] = load.summary()
    return results
