"""The field check's output: a table for the terminal (one row per visit) and the JSON document
(`--json FILE`) with the same figures and, for each page that failed, the diagnostics outline
as the extension stored it (allow-listed: nothing personal)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldcheck.visit import Row

JSON_FORMAT = 1
COLUMNS = (
    "rule",
    "address asked",
    "ended on",
    "signed in",
    "outcome",
    "found by",
    "s",
    "stack",
    "mirrors",
)


@dataclass
class Run:
    """One field check: how it ran and its rows."""

    browser: str
    extension: str
    mode: str  # "read-only" or "act"
    profile: str  # "persistent" or "temporary"
    started: str
    page_limit: float
    rows: list[Row]

    @property
    def failing_rules(self) -> list[str]:
        """Rules with a page, reached signed in, where the rule did not find its switch."""
        failed = [row.rule for row in self.rows if row.signed_in is True and not row.passed]
        return list(dict.fromkeys(rule for rule in failed if rule != "hub"))

    @property
    def signed_out(self) -> bool:
        """Whether any page ended on a sign-in page (the profile is not signed in)."""
        return any(row.signed_in is False for row in self.rows)

    @property
    def not_loaded(self) -> list[str]:
        """Pages the browser could not load (no network, LinkedIn down): no rule is judged."""
        return [row.asked for row in self.rows if row.signed_in is None]

    @property
    def hubs_not_read(self) -> list[str]:
        hubs = [row for row in self.rows if row.rule == "hub" and row.signed_in is True]
        return [row.asked for row in hubs if not row.passed]

    @property
    def exit_status(self) -> int:
        return 0 if all(row.passed for row in self.rows) else 1


def path_of(address: str, origin: str) -> str:
    return address.removeprefix(origin) or "/"


def mirrors_text(row: Row) -> str:
    readings = [" ".join(f"{name}={value}" for name, value in item.items()) for item in row.mirrors]
    return " | ".join(reading or "-" for reading in readings) or "-"


def outcome_text(row: Row) -> str:
    if row.hub_unknown is not None:
        return f"{row.outcome}, {len(row.hub_unknown)} unknown"
    return f"{row.outcome} ({row.reason})" if row.reason else row.outcome


def cells(row: Row, origin: str) -> list[str]:
    ended = path_of(row.ended_on, origin) if row.ended_on else "-"
    return [
        row.rule,
        row.asked,
        ended,
        {True: "yes", False: "NO", None: "?"}[row.signed_in],
        outcome_text(row) + ("" if row.passed else "  FAIL"),
        row.strategy or "-",
        f"{row.seconds:.1f}",
        row.front_end or "-",
        mirrors_text(row),
    ]


def table(run: Run, origin: str) -> str:
    """The rows under a header, columns padded, then the hub's unknown rows and a summary."""
    lines = [list(COLUMNS), *(cells(row, origin) for row in run.rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    text = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    ]
    for row in run.rows:
        for unknown in row.hub_unknown or []:
            text.append(
                f"hub {row.asked} lists a page no rule knows: {unknown['path']} ({unknown['text']})"
            )
    passed = sum(row.passed for row in run.rows)
    summary = [f"{passed} of {len(run.rows)} pages passed ({run.browser}, {run.mode})"]
    if run.failing_rules:
        summary.append(f"failing: {', '.join(run.failing_rules)}")
    if run.hubs_not_read:
        summary.append(f"hub not read: {', '.join(run.hubs_not_read)}")
    if run.not_loaded:
        summary.append(f"{len(run.not_loaded)} pages did not load")
    if run.signed_out:
        summary.append("signed out of LinkedIn: sign in once on the profile (docs/fieldcheck.md)")
    text.append("; ".join(summary))
    return "\n".join(text)


def document(run: Run) -> dict[str, Any]:
    return {
        "fieldCheck": JSON_FORMAT,
        "browser": run.browser,
        "extension": run.extension,
        "mode": run.mode,
        "profile": run.profile,
        "started": run.started,
        "pageLimitSeconds": run.page_limit,
        "exitStatus": run.exit_status,
        "failingRules": run.failing_rules,
        "signedOut": run.signed_out,
        "hubsNotRead": run.hubs_not_read,
        "notLoaded": run.not_loaded,
        "visits": [row.as_json() for row in run.rows],
    }


def write_json(run: Run, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(document(run), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
