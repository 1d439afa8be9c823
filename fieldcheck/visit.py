"""One visit of one page, and what it found: the outcome the extension stored for it (read
from its storage, waited for on storage.onChanged with one time limit per page), the step
that found the switch, each state mirror the diagnostics outline read, the front end the page
looks like, and on a hub page the rows no rule knows."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldcheck.plan import Visit, is_signed_out, reported_address
from harness.session import Session, Tab

# Outcomes that say the rule found its switch (or LinkedIn does not offer the setting here).
FOUND = ("turned-off", "already-off", "on", "not-offered")
# The field check's own words for a visit with no stored outcome.
SIGNED_OUT = "signed-out"
NO_ANSWER = "no-answer"
LOAD_FAILED = "load-failed"
# A hub page whose section the extension read.
HUB_READ = "read"

# The rule's latest stored result once it is not `before` (another visit, or a later time).
WAIT_FOR_VISIT = """
(api, { rule, before, timeoutMs }) => new Promise((resolve) => {
  const fresh = (entry) =>
    entry && (entry.visit !== before?.visit || entry.at !== before?.at) ? entry : null;
  let timer;
  const finish = (entry) => {
    clearTimeout(timer);
    api.storage.onChanged.removeListener(onChanged);
    resolve(entry ?? null);
  };
  const onChanged = (changes, area) => {
    const entry = area === "local" ? fresh(changes.latest?.newValue?.[rule]) : null;
    if (entry) finish(entry);
  };
  timer = setTimeout(() => finish(null), timeoutMs);
  api.storage.onChanged.addListener(onChanged);
  api.storage.local.get("latest").then(({ latest }) => {
    const entry = fresh(latest?.[rule]);
    if (entry) finish(entry);
  });
})
"""
# The hub's kept rows once the extension has replaced the placeholder row (it replaces every
# row of a hub when its content script reads the hub's section); null at the time limit.
WAIT_FOR_HUB = """
(api, { placeholder, timeoutMs }) => new Promise((resolve) => {
  const read = (rows) => (rows && !rows.some((row) => row.path === placeholder) ? rows : null);
  let timer;
  const finish = (rows) => {
    clearTimeout(timer);
    api.storage.onChanged.removeListener(onChanged);
    resolve(rows);
  };
  const onChanged = (changes, area) => {
    const rows = area === "local" ? read(changes.hubUnknown?.newValue) : null;
    if (rows) finish(rows);
  };
  timer = setTimeout(() => finish(null), timeoutMs);
  api.storage.onChanged.addListener(onChanged);
  api.storage.local.get("hubUnknown").then(({ hubUnknown }) => {
    const rows = read(hubUnknown);
    if (rows) finish(rows);
  });
})
"""
READ_KEYS = "(api, keys) => api.storage.local.get(keys)"
# Sets some keys and removes others: {set: {...}, remove: [...]}.
RESTORE_KEYS = """
async (api, { set, remove }) => {
  if (Object.keys(set).length > 0) await api.storage.local.set(set);
  if (remove.length > 0) await api.storage.local.remove(remove);
}
"""
# The first of the site's front ends (rule data: site.frontEnds) whose marks the page shows.
FRONT_END = """
(frontEnds) => frontEnds.find(({ marks }) => document.querySelector(marks) !== null)?.name ?? null
"""
# A hub row no page can have: the placeholder the hub's reading replaces.
PLACEHOLDER_PATH = "/mypreferences/d/field-check-placeholder"


@dataclass
class Row:
    """What one visit found (the table's row, the JSON's entry)."""

    rule: str
    asked: str
    ended_on: str = ""
    signed_in: bool | None = None  # None: the page did not load
    outcome: str = NO_ANSWER
    reason: str | None = None
    strategy: str | None = None
    mirrors: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    front_end: str | None = None
    hub_unknown: list[dict[str, str]] | None = None
    diagnostics: dict[str, Any] | None = None

    @property
    def passed(self) -> bool:
        return self.signed_in is True and self.outcome in (HUB_READ if self.is_hub else FOUND)

    @property
    def is_hub(self) -> bool:
        return self.hub_unknown is not None or self.rule == "hub"

    def as_json(self) -> dict[str, Any]:
        entry = {
            "rule": self.rule,
            "asked": self.asked,
            "endedOn": self.ended_on,
            "signedIn": self.signed_in,
            "outcome": self.outcome,
            "reason": self.reason,
            "strategy": self.strategy,
            "mirrors": self.mirrors,
            "seconds": self.seconds,
            "frontEnd": self.front_end,
            "passed": self.passed,
        }
        if self.hub_unknown is not None:
            entry["hubUnknown"] = self.hub_unknown
        if not self.passed and self.diagnostics is not None:
            entry["diagnostics"] = self.diagnostics  # as the extension stored it
        return entry


@dataclass
class Context:
    """What every visit needs: the browser, its tab, the rule data and the limits."""

    session: Session
    site: dict
    known: set[str]
    page_limit: float
    screenshots: Path | None
    tab: Tab | None = None


def mirrors_of(outline: dict | None) -> list[dict[str, str]]:
    """The state each mirror read, per switch the rule's steps looked at (every switch-like
    element when they looked at none), as the outline has it: mirrors that read nothing left out."""
    if not outline:
        return []
    switches = outline.get("app", {}).get("switches", [])
    looked_at = [item for item in switches if item.get("candidate")] or switches
    return [
        {name: value for name, value in item.get("state", {}).items() if value is not None}
        for item in looked_at
    ]


def open_page(context: Context, url: str) -> None:
    """The page loaded in the check's one tab (opened blank by the first visit, so that a load
    that fails leaves no tab behind)."""
    if context.tab is None or context.tab.is_closed():
        context.tab = context.session.open("about:blank")
    context.tab.goto(url)


def front_end(context: Context) -> str | None:
    try:
        return context.tab.evaluate(FRONT_END, context.site.get("frontEnds", []))
    except Exception:  # the page went away or refuses scripts: no stack to tell
        return None


def screenshot(context: Context, index: int, row: Row) -> None:
    if context.screenshots is None or context.tab is None:
        return
    slug = row.asked.rstrip("/").rsplit("/", 1)[-1]
    path = context.screenshots / f"{index:02d}-{row.rule}-{slug}.png"
    try:
        context.tab.screenshot_viewport(path)
    except Exception as error:  # a page that went away: the check goes on without its picture
        print(f"  no screenshot of {row.asked}: {type(error).__name__}", file=sys.stderr)


def load(context: Context, visit: Visit, row: Row) -> bool:
    """Loads the page; False (the row says so) when the browser could not."""
    try:
        open_page(context, context.site["origin"] + visit.path)
    except Exception as error:  # a network error page, a timeout: the visit's outcome
        row.outcome, row.reason = LOAD_FAILED, type(error).__name__
        return False
    url = context.tab.url
    row.ended_on = reported_address(url, context.site, context.known)
    row.signed_in = not is_signed_out(url, context.site)
    if not row.signed_in:
        row.outcome = SIGNED_OUT
    return row.signed_in


def remaining(started: float, limit: float) -> float:
    return max(0.0, started + limit - time.monotonic())


def check_rule_page(context: Context, visit: Visit) -> Row:
    row = Row(visit.rule, visit.path)
    session = context.session
    before = session.extension(READ_KEYS, ["latest"]).get("latest", {}).get(visit.rule)
    started = time.monotonic()
    if load(context, visit, row):
        wait = {"rule": visit.rule, "before": before}
        wait["timeoutMs"] = int(remaining(started, context.page_limit) * 1000)
        stored = session.extension(WAIT_FOR_VISIT, wait)
        if stored is not None:
            row.outcome, row.reason = stored["outcome"], stored.get("reason")
            row.strategy = stored.get("strategy")
            row.diagnostics = stored.get("diagnostics")
            row.mirrors = mirrors_of(row.diagnostics)
    row.seconds = round(time.monotonic() - started, 2)
    outline_front_end = (row.diagnostics or {}).get("frontEnd")
    row.front_end = outline_front_end or (front_end(context) if row.ended_on else None)
    return row


def check_hub_page(context: Context, visit: Visit) -> Row:
    """A hub page: its section's rows that no rule knows, as the extension keeps them."""
    row = Row("hub", visit.path)
    session = context.session
    kept = session.extension(READ_KEYS, ["hubUnknown"]).get("hubUnknown")
    others = [entry for entry in kept or [] if entry.get("hub") != visit.path]
    placeholder = {"hub": visit.path, "path": PLACEHOLDER_PATH, "text": "field check"}
    session.extension(RESTORE_KEYS, restoring({"hubUnknown": [placeholder, *others]}))
    started = time.monotonic()
    rows = None
    try:
        if load(context, visit, row):
            wait = {"placeholder": PLACEHOLDER_PATH}
            wait["timeoutMs"] = int(remaining(started, context.page_limit) * 1000)
            rows = session.extension(WAIT_FOR_HUB, wait)
    finally:
        if rows is None:  # never read: what was kept before comes back
            session.extension(RESTORE_KEYS, restoring({"hubUnknown": kept}))
    row.seconds = round(time.monotonic() - started, 2)
    if rows is not None:
        row.outcome = HUB_READ
        row.hub_unknown = [
            {"path": entry["path"], "text": entry["text"]}
            for entry in rows
            if entry.get("hub") == visit.path
        ]
    row.front_end = front_end(context) if row.ended_on else None
    return row


def restoring(values: dict[str, Any]) -> dict[str, Any]:
    """RESTORE_KEYS's argument that stores `values` as they were read: a key that was not
    stored (None) is removed."""
    return {
        "set": {key: value for key, value in values.items() if value is not None},
        "remove": [key for key, value in values.items() if value is None],
    }


def check_page(context: Context, index: int, visit: Visit) -> Row:
    row = check_rule_page(context, visit) if visit.rule else check_hub_page(context, visit)
    screenshot(context, index, row)
    return row
