"""The targets the issue sets, checked against a run, and the table printed for people."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

P95_LIMIT_MS = 50
RATIO_MIN = 10
CONTENT_SCRIPT_MAX_BYTES = 15_000
PACKAGE_MAX_BYTES = 100_000
OVERHEAD_PER_1000_MAX_MS = 1.0
BUILD_MAX_S = 2.0
OPT_OUT_ONE_P95_MAX_MS = 4000
OPT_OUT_SWEEP_PER_SETTING_MAX_MS = 3000
# Firefox against Chromium, one setting, p95 to p95 in the same run.
FIREFOX_RATIO_MAX = 1.5
# LinkedIn did not keep the save: the popup says so within this (p95), in either browser.
NOT_KEPT_P95_MAX_MS = 8000


@dataclass
class Target:
    key: str
    target: str
    value: float | None
    passed: bool

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "MISS"


def _at_most(value: float | None, limit: float) -> bool:
    return value is not None and value <= limit


def _at_least(value: float | None, limit: float) -> bool:
    return value is not None and value >= limit


def _below(value: float | None, limit: float) -> bool:
    return value is not None and value < limit


def fixture_targets(fixture: str, data: dict[str, Any]) -> list[Target]:
    extension = data["extension"]
    p95 = extension["appear_to_save_sent_ms"]["p95"]
    ratio = data["median_ratio"]["ratio"]
    all_off = extension["failures"] == 0
    return [
        Target(f"{fixture}:p95", f"p95 ≤ {P95_LIMIT_MS} ms", p95,
               all_off and _at_most(p95, P95_LIMIT_MS)),
        Target(f"{fixture}:ratio", f"≥ {RATIO_MIN}x", ratio, _at_least(ratio, RATIO_MIN)),
    ]  # fmt: skip


def firefox_ratio(opt_out: dict[str, Any]) -> float | None:
    """Firefox's p95 over Chromium's, one setting, in the same run."""
    chromium = opt_out["one"]["extension"]["total_ms"]["p95"]
    firefox = opt_out["one"]["firefox"]["total_ms"]["p95"]
    return None if chromium is None or firefox is None else round(firefox / chromium, 2)


def _p95_below(contender: dict[str, Any], limit_ms: float) -> bool:
    return contender["failures"] == 0 and _below(contender["total_ms"]["p95"], limit_ms)


def opt_out_targets(opt_out: dict[str, Any]) -> list[Target]:
    """One setting: p95 under 4 s in each browser, Firefox's within 1.5x of Chromium's; a save
    not kept reported with p95 under 8 s in each; the sweep: its p95 per setting under 3 s;
    every run ending as its scenario says."""
    one, sweep = opt_out["one"], opt_out["sweep"]["extension"]
    not_kept = opt_out["not_kept"]
    sweep_p95 = sweep["per_setting_ms"]["p95"]
    one_target = f"p95 < {OPT_OUT_ONE_P95_MAX_MS / 1000:g} s"
    not_kept_target = f"p95 < {NOT_KEPT_P95_MAX_MS / 1000:g} s"
    ratio = firefox_ratio(opt_out)
    return [
        Target("opt-out-now-one:p95", one_target, one["extension"]["total_ms"]["p95"],
               _p95_below(one["extension"], OPT_OUT_ONE_P95_MAX_MS)),
        Target("opt-out-now-one-firefox:p95", one_target, one["firefox"]["total_ms"]["p95"],
               _p95_below(one["firefox"], OPT_OUT_ONE_P95_MAX_MS)),
        Target("opt-out-now-one-firefox:ratio", f"≤ {FIREFOX_RATIO_MAX:g}x", ratio,
               _at_most(ratio, FIREFOX_RATIO_MAX)),
        Target("opt-out-now-not-kept:p95", not_kept_target,
               not_kept["extension"]["total_ms"]["p95"],
               _p95_below(not_kept["extension"], NOT_KEPT_P95_MAX_MS)),
        Target("opt-out-now-not-kept-firefox:p95", not_kept_target,
               not_kept["firefox"]["total_ms"]["p95"],
               _p95_below(not_kept["firefox"], NOT_KEPT_P95_MAX_MS)),
        Target("opt-out-now-sweep:p95-per-setting",
               f"p95 < {OPT_OUT_SWEEP_PER_SETTING_MAX_MS / 1000:g} s per setting", sweep_p95,
               sweep["failures"] == 0 and _below(sweep_p95, OPT_OUT_SWEEP_PER_SETTING_MAX_MS)),
    ]  # fmt: skip


def targets(results: dict[str, Any]) -> dict[str, Target]:
    found = [
        target
        for fixture, data in results["time_to_off"].items()
        for target in fixture_targets(fixture, data)
    ]
    sizes = results["sizes"].values()
    content = max(browser["content.js"] for browser in sizes)
    package = max(browser["zip"] for browser in sizes)
    overhead = results["busy_page"]["overhead_per_1000_mutations_ms"]
    build_s = results["build_seconds"]["median"]
    elsewhere = results["elsewhere"]
    clean = not any(elsewhere["injected"].values()) and elsewhere["control_injected"]
    found += [
        Target("content-script-bytes", f"< {CONTENT_SCRIPT_MAX_BYTES:,} B", content,
               _below(content, CONTENT_SCRIPT_MAX_BYTES)),
        Target("package-bytes", f"< {PACKAGE_MAX_BYTES:,} B each", package,
               _below(package, PACKAGE_MAX_BYTES)),
        Target("observer-overhead-per-1000", f"< {OVERHEAD_PER_1000_MAX_MS:g} ms", overhead,
               _below(overhead, OVERHEAD_PER_1000_MAX_MS)),
        Target("build-seconds", f"< {BUILD_MAX_S:g} s", build_s, _below(build_s, BUILD_MAX_S)),
        Target("not-injected-elsewhere", "not injected", None, bool(clean)),
    ]  # fmt: skip
    found += opt_out_targets(results["opt_out_now"])
    return {target.key: target for target in found}


def targets_json(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [asdict(target) | {"verdict": target.verdict} for target in targets(results).values()]


# ---------------------------------------------------------------- formatting


def ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def signed(value: float) -> str:
    """Two decimals with a real minus sign, which reads apart from a range's dash."""
    return f"{value:.2f}".replace("-", "−")


def pair_ms(summary: dict[str, Any]) -> str:
    return f"{ms(summary['median'])} / {ms(summary['p95'])} ms"


def nbytes(*values: int) -> str:
    return " / ".join(f"{value:,}" for value in values) + " B"


def ratio_text(ratio: dict[str, Any]) -> str:
    if ratio["ratio"] is None:
        return "–"
    return f"{'≥ ' if ratio['lower_bound'] else ''}{ratio['ratio']:,.0f}x"


Row = tuple[str, str, str, str, str]


def fixture_rows(fixture: str, data: dict[str, Any], checks: dict[str, Target]) -> list[Row]:
    title = data["title"]
    ours, theirs = data["extension"], data["reference"]
    went_off = [f"{c['runs'] - c['failures']}/{c['runs']}" for c in (ours, theirs)]
    p95, ratio = checks[f"{fixture}:p95"], checks[f"{fixture}:ratio"]
    return [
        (f"{title}: appearance → \"off\" save sent, median / p95",
         pair_ms(ours["appear_to_save_sent_ms"]), pair_ms(theirs["appear_to_save_sent_ms"]),
         p95.target, p95.verdict),
        (f"{title}: navigation start → save sent, median / p95",
         pair_ms(ours["navigation_to_save_sent_ms"]),
         pair_ms(theirs["navigation_to_save_sent_ms"]), "", ""),
        (f"{title}: runs that went off", *went_off, "", ""),
        (f"{title}: reference median / extension median", ratio_text(data["median_ratio"]),
         "", ratio.target, ratio.verdict),
    ]  # fmt: skip


def late_rows(late: dict[str, Any]) -> list[Row]:
    def cell(name: str) -> str:
        data = late[name]
        text = f"{data['succeeded']}/{data['runs']}"
        return f"{text} (gave up)" if data["gave_up"] else text

    seconds = late["render_delay_ms"] / 1000
    return [(f"Switch {seconds:g} s late: runs that went off", cell("extension"),
             cell("reference"), "", "")]  # fmt: skip


def busy_rows(busy: dict[str, Any], check: Target) -> list[Row]:
    title = f"Busy page, {busy['mutations']:,} mutations in bursts"
    bursts, script = busy["page_bursts_ms"], busy["page_script_duration_ms"]
    paired = busy["paired_overhead_per_1000_mutations_ms"]
    return [
        (f"{title}: observer callback runs (median)",
         f"{busy['observer_calls']['median']:,.0f}", "", "", ""),
        (f"{title}: time in the observer callback (median)",
         f"{ms(busy['observer_callback_ms']['median'])} ms", "", "", ""),
        (f"{title}: timer callbacks (later looks), runs / time (median)",
         f"{busy['timer_calls']['median']:,.0f} / {ms(busy['timer_callback_ms']['median'])} ms",
         "", "", ""),
        (f"{title}: the page's own mutation tasks, without / with the extension (median)",
         f"{ms(bursts['none']['median'])} / {ms(bursts['extension']['median'])} ms", "", "", ""),
        (f"{title}: whole-page script time (CDP ScriptDuration), without / with (median)",
         f"{ms(script['none']['median'])} / {ms(script['extension']['median'])} ms", "", "", ""),
        (f"Observer overhead per 1,000 mutations (callbacks + timers + record queueing), median "
         f"of {paired['n']} interleaved pairs (IQR; lowest to highest pair)",
         f"{signed(busy['overhead_per_1000_mutations_ms'])} ms (IQR {signed(paired['q1'])} to "
         f"{signed(paired['q3'])}; {signed(paired['min'])} to {signed(paired['max'])})", "",
         check.target, check.verdict),
    ]  # fmt: skip


def seconds(summary: dict[str, Any]) -> str:
    if summary["median"] is None:
        return "–"
    return f"{summary['median'] / 1000:.2f} / {summary['p95'] / 1000:.2f} s"


def went_off(contender: dict[str, Any]) -> str:
    return f"{contender['runs'] - contender['failures']}/{contender['runs']}"


def opt_out_rows(opt_out: dict[str, Any], checks: dict[str, Target]) -> list[Row]:
    one, sweep, not_kept = opt_out["one"], opt_out["sweep"], opt_out["not_kept"]
    one_check, ff_check = checks["opt-out-now-one:p95"], checks["opt-out-now-one-firefox:p95"]
    ratio_check = checks["opt-out-now-one-firefox:ratio"]
    kept_check = checks["opt-out-now-not-kept:p95"]
    ff_kept_check = checks["opt-out-now-not-kept-firefox:p95"]
    sweep_check = checks["opt-out-now-sweep:p95-per-setting"]
    title = f"Opt out now, sweep of {len(sweep['settings'])} settings"
    ratio = "–" if ratio_check.value is None else f"{ratio_check.value:.2f}x"
    lost = "Opt out now, the AI setting alone, a save LinkedIn does not keep"
    return [
        ("Opt out now, the AI setting alone: click → final outcome in the popup (reference: "
         "last save answered), median / p95", seconds(one["extension"]["total_ms"]),
         seconds(one["reference"]["total_ms"]), one_check.target, one_check.verdict),
        ("Opt out now, the AI setting alone, in Firefox ESR: click → final outcome in the "
         "popup, median / p95", seconds(one["firefox"]["total_ms"]), "", ff_check.target,
         ff_check.verdict),
        ("Opt out now, the AI setting alone: Firefox p95 / Chromium p95, same run", ratio, "",
         ratio_check.target, ratio_check.verdict),
        ("Opt out now, the AI setting alone: runs that ended off (Chromium; Firefox)",
         f"{went_off(one['extension'])}; {went_off(one['firefox'])}",
         went_off(one["reference"]), "", ""),
        (f"{lost}: click → \"could not switch it off\" in the popup, median / p95",
         seconds(not_kept["extension"]["total_ms"]), "", kept_check.target, kept_check.verdict),
        (f"{lost}, in Firefox ESR: click → \"could not switch it off\" in the popup, "
         "median / p95", seconds(not_kept["firefox"]["total_ms"]), "", ff_kept_check.target,
         ff_kept_check.verdict),
        (f"{lost}: runs that ended reported (Chromium; Firefox)",
         f"{went_off(not_kept['extension'])}; {went_off(not_kept['firefox'])}", "", "", ""),
        (f"{title}: click → final outcome in the popup, median / p95",
         seconds(sweep["extension"]["total_ms"]), seconds(sweep["reference"]["total_ms"]), "", ""),
        (f"{title}: per setting, median / p95", seconds(sweep["extension"]["per_setting_ms"]),
         seconds(sweep["reference"]["per_setting_ms"]), sweep_check.target, sweep_check.verdict),
        (f"{title}: runs that ended with every setting off",
         went_off(sweep["extension"]), went_off(sweep["reference"]), "", ""),
    ]  # fmt: skip


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def elsewhere_rows(elsewhere: dict[str, Any], check: Target) -> list[Row]:
    paths = ", ".join(f"{path} {yes_no(ran)}" for path, ran in elsewhere["injected"].items())
    control = f"control {elsewhere['control_path']}: {yes_no(elsewhere['control_injected'])}"
    return [("Feed, profile, messaging: content script injected", f"{paths} ({control})", "",
             check.target, check.verdict)]  # fmt: skip


def size_rows(sizes: dict[str, dict[str, int]], checks: dict[str, Target]) -> list[Row]:
    chrome, firefox = sizes["chrome"], sizes["firefox"]
    content, package = checks["content-script-bytes"], checks["package-bytes"]
    return [
        ("Size: content.js (chrome / firefox)", nbytes(chrome["content.js"], firefox["content.js"]),
         "", content.target, content.verdict),
        ("Size: background.js (chrome / firefox)",
         nbytes(chrome["background.js"], firefox["background.js"]), "", "", ""),
        ("Size: popup, html + css + js", nbytes(chrome["popup"]), "", "", ""),
        ("Size: package, chrome.zip / firefox.zip", nbytes(chrome["zip"], firefox["zip"]), "",
         package.target, package.verdict),
    ]  # fmt: skip


def table(results: dict[str, Any]) -> str:
    checks = targets(results)
    rows: list[Row] = []
    for fixture, data in results["time_to_off"].items():
        rows += fixture_rows(fixture, data, checks)
    rows += late_rows(results["late_switch"])
    rows += opt_out_rows(results["opt_out_now"], checks)
    rows += busy_rows(results["busy_page"], checks["observer-overhead-per-1000"])
    rows += elsewhere_rows(results["elsewhere"], checks["not-injected-elsewhere"])
    rows += size_rows(results["sizes"], checks)
    build_s, build = results["build_seconds"], checks["build-seconds"]
    rows.append((f"Build time, python build.py, median of {build_s['n']}",
                 f"{build_s['median']:.2f} s", "", build.target, build.verdict))  # fmt: skip
    lines = ["| Measure | Extension | Polling reference | Target | Result |"]
    lines.append("|---|---|---|---|---|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine_line(results: dict[str, Any]) -> str:
    machine = results["machine"]
    load = machine["load_average_1min"]
    return (
        f"Machine: {machine['cpu']}, {machine['cores']} cores; {machine['chromium']}; "
        f"{machine.get('firefox', 'Firefox not run')}; "
        f"Python {machine['python']}; {machine['system']}. Load average (1 min) during the "
        f"run: min {load['min']:g}, median {load['median']:g}, max {load['max']:g}. "
        f"Runs: {results['runs']} per fixture."
    )


def render(results: dict[str, Any]) -> str:
    checks = targets(results).values()
    passed = sum(target.passed for target in checks)
    summary_line = f"Targets: {passed} of {len(checks)} PASS"
    missed = [target.key for target in checks if not target.passed]
    if missed:
        summary_line += f"; MISS: {', '.join(missed)}"
    return "\n\n".join([machine_line(results), table(results), summary_line])
