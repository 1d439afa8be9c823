"""Rule data for the end-to-end tests' builds: the shipped rules with other timings.

- A shorter overall time limit per visit, so that a visit that must wait the limit out (the
  setting not offered, the switch never rendered, a not-found variation) does not take the
  shipped 20 s.
- A shorter settle (how long a switch must read the same before the extension acts on it or
  calls it verified): the fake LinkedIn answers a save from this machine, in milliseconds,
  where the real one answers over the internet. Tests whose pages are timed against the
  shipped settle (the fuzzed pages, which replace their switch up to 1.5 s after render; the
  member acting during the settle) run a build that keeps it: SHIPPED_SETTLE.

Everything else is the shipped data; the benchmark builds the shipped rules as they are."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tools.build import make, rules

# Above the longest visit a test expects to end well (a switch rendered 3 s late, a save
# answered after 3 s, each then held for the settle) with room for a loaded machine.
E2E_LIMIT_MS = 10_000
# For tests whose every visit must wait the limit out (pages where no rule finds the switch,
# rendered at load): the same outcome and the same facts, sooner.
SHORT_LIMIT_MS = 3_000
# Well above the fake LinkedIn's answer to a failed save on a loaded machine (the flip back
# must come within the settle for the retry to happen, as it does over the internet within
# the shipped 1.5 s).
E2E_SETTLE_MS = 600
# The settle the rule files ship with (rules_with_timing leaves it as it is).
SHIPPED_SETTLE = None


def rules_with_timing(
    target: Path, limit_ms: int, settle_ms: int | None, source: Path = make.RULES_DIR
) -> Path:
    """A copy of the rule files in `source` with site.timing.limitMs set to `limit_ms` and,
    unless it is SHIPPED_SETTLE, site.timing.settleMs to `settle_ms`."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    for file in sorted(target.glob("*.json")):
        if file.name == rules.SCHEMA.name:
            continue
        document = json.loads(file.read_text(encoding="utf-8"))
        timing = document["site"]["timing"]
        timing["limitMs"] = limit_ms
        if settle_ms is not SHIPPED_SETTLE:
            timing["settleMs"] = settle_ms
        file.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target
