"""Cost on a busy settings page: the fixture makes N DOM mutations in bursts while the switch
is absent; the page is measured with no extension and with a bench-only copy of the build
whose content script counts and times its observer and timer callbacks."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bench.browser import BenchError, Session, read_metrics, watch_metrics
from bench.timing import wait_for_mark
from harness.fake_linkedin import SETTING_URL, FakeLinkedIn, Scenario

BUSY_DONE = "fixture:busy-done"
READ_BUSY_DONE = f"() => performance.getEntriesByName({BUSY_DONE!r})[0].detail"
READ_OBSERVER = "globalThis.benchObserverStats ?? null"
TIMEOUT_S = 60

STRICT = '"use strict";\n'
# Shadows MutationObserver and setTimeout inside the content script's closure only: the page
# and the release build are untouched. Timer callbacks count because the engine's later looks
# at a busy page (and its deadline and settle checks) run from timers, not from the observer.
# Read back through the DevTools protocol.
OBSERVER_COUNTER = """"use strict";
const benchObserverStats = (globalThis.benchObserverStats = {
  calls: 0, records: 0, ms: 0, timerCalls: 0, timerMs: 0,
});
const MutationObserver = class extends globalThis.MutationObserver {
  constructor(callback) {
    super((records, observer) => {
      const started = performance.now();
      try {
        return callback(records, observer);
      } finally {
        benchObserverStats.ms += performance.now() - started;
        benchObserverStats.calls += 1;
        benchObserverStats.records += records.length;
      }
    });
  }
};
const setTimeout = (callback, delay) => globalThis.setTimeout(() => {
  const started = performance.now();
  try {
    callback();
  } finally {
    benchObserverStats.timerMs += performance.now() - started;
    benchObserverStats.timerCalls += 1;
  }
}, delay);
"""


def instrumented_copy(chrome_build: Path, target: Path) -> Path:
    """A copy of the Chrome build whose observer callbacks are counted and timed."""
    shutil.copytree(chrome_build, target)
    content = target / "content.js"
    text = content.read_text(encoding="utf-8")
    if text.count(STRICT) != 1:
        raise BenchError(f"{content}: expected one {STRICT.strip()!r} to hook the observer after")
    content.write_text(text.replace(STRICT, OBSERVER_COUNTER, 1), encoding="utf-8")
    return target


def busy_scenario(mutations: int) -> Scenario:
    """The setting page whose switch never renders (spinner), with a busy region."""
    return Scenario(render_delay_ms=None, busy_mutations=mutations)


def busy_trial(session: Session, server: FakeLinkedIn, mutations: int) -> dict[str, Any]:
    """One load of the busy page, read once its bursts are done."""
    server.reset(busy_scenario(mutations))
    page = session.new_page()
    try:
        cdp = watch_metrics(session, page)
        page.goto(SETTING_URL)
        if not wait_for_mark(page, [BUSY_DONE], TIMEOUT_S):
            raise BenchError(f"the busy page did not finish its {mutations} mutations")
        metrics = read_metrics(cdp)
        detail = page.evaluate(READ_BUSY_DONE)
        observer = None
        if session.extension_id is not None:
            observer = session.evaluate_in_content_script(page, READ_OBSERVER)
    finally:
        page.close()
    return {
        "burst_ms": detail["burstMs"],
        "script_ms": metrics["ScriptDuration"] * 1000,
        "task_ms": metrics["TaskDuration"] * 1000,
        "observer": observer,
    }
