"""Rule data for the end-to-end tests' build: the shipped rules with a shorter overall time
limit per visit, so that a visit that must wait the limit out (the setting not offered, the
switch never rendered, a not-found variation) does not take the shipped 20 s. Everything else
is the shipped data; the benchmark builds the shipped rules as they are."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import build
import rules

# Above the longest visit a test expects to end well (a switch rendered 3 s late, a save
# answered after 3 s, each then held for settleMs) with room for a loaded machine.
E2E_LIMIT_MS = 10_000
# For tests whose every visit must wait the limit out (pages where no rule finds the switch,
# rendered at load): the same outcome and the same facts, sooner.
SHORT_LIMIT_MS = 3_000


def rules_with_limit(target: Path, limit_ms: int, source: Path = build.RULES_DIR) -> Path:
    """A copy of the rule files in `source` with site.timing.limitMs set to `limit_ms`."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    for file in sorted(target.glob("*.json")):
        if file.name == rules.SCHEMA.name:
            continue
        document = json.loads(file.read_text(encoding="utf-8"))
        document["site"]["timing"]["limitMs"] = limit_ms
        file.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target
