"""Reading a diagnostics report a member copied from the popup ("Copy diagnostics").

A report is lines for people followed by one JSON document (extension/lib/report.js); only
the document is read, wherever it starts in the pasted text. A paste cut short or edited is
read as far as it goes: every field is checked against what the extension can write (texts
it ships or shapes such as "‹text 52 chars, Latin, 9 words›", tokens, counts), and what could
not be read is said, not guessed."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring
from typing import Any

REPORT_NAME = "linkedin-ai-optout diagnostics"
REPORT_FORMAT = 2
REPORT_START = re.compile(r'\{\s*"report"\s*:\s*"linkedin-ai-optout diagnostics"')
# What a report of the first format (before texts were allow-listed) was marked with.
FIRST_FORMAT_MARK = "--- machine-readable ---"
LINES_TITLE = "LinkedIn AI Opt-Out diagnostics"

OTHER = "‹other›"
TEXT_SHAPE = re.compile(
    r"^‹(?:empty text|text (?P<chars>[1-9]\d{0,4}) chars?, (?P<kinds>[A-Za-z ]+(?:, [A-Za-z ]+)*),"
    r" (?P<words>[1-9]\d{0,4}) words?)›$"
)
ID_SHAPE = re.compile(r"^‹id [1-9]\d{0,4} chars?›$")
STATES = {"on", "off", "mixed", OTHER}
UNREAD = -1  # a heading index that could not be read
TARGETS = {"app", "outside", "missing"}


class Unreadable(Exception):
    """A text that is not a diagnostics report check-rules can read; the message says why."""


# ---------------------------------------------------------------- JSON, as far as it goes


class _Cut(Exception):
    """The document stops being JSON at `position`; `partial` is what was read of the value."""

    def __init__(self, partial: Any, position: int, reason: str) -> None:
        super().__init__(reason)
        self.partial, self.position, self.reason = partial, position, reason


_NOTHING = object()
_SPACE = re.compile(r"\s*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = (("true", True), ("false", False), ("null", None))
# A report nests five levels deep; a document nested far deeper is read only to this depth
# (and Python's own limit is never reached).
_MAX_DEPTH = 32


def _skip(text: str, at: int) -> int:
    return _SPACE.match(text, at).end()


def _string(text: str, at: int) -> tuple[str, int]:
    try:
        return scanstring(text, at + 1)
    except ValueError:
        raise _Cut(_NOTHING, at, "a text that does not end") from None


def _value(text: str, at: int, depth: int = 0) -> tuple[Any, int]:
    at = _skip(text, at)
    if at >= len(text):
        raise _Cut(_NOTHING, at, "the text ends")
    if text[at] in "{[" and depth >= _MAX_DEPTH:
        raise _Cut(_NOTHING, at, f"nested more than {_MAX_DEPTH} levels deep")
    if text[at] == "{":
        return _object(text, at, depth + 1)
    if text[at] == "[":
        return _array(text, at, depth + 1)
    if text[at] == '"':
        return _string(text, at)
    if number := _NUMBER.match(text, at):
        value = json.loads(number.group())
        return value, number.end()
    for word, value in _LITERALS:
        if text.startswith(word, at):
            return value, at + len(word)
    raise _Cut(_NOTHING, at, f"unexpected {text[at]!r}")


def _member(text: str, at: int, container: Any, add, depth: int) -> int:
    """Reads one value into the container; a value cut short is added as far as it was read."""
    try:
        value, at = _value(text, at, depth)
    except _Cut as cut:
        if cut.partial is not _NOTHING:
            add(cut.partial)
        raise _Cut(container, cut.position, cut.reason) from None
    add(value)
    return _skip(text, at)


def _object(text: str, at: int, depth: int) -> tuple[dict, int]:
    result: dict = {}
    at = _skip(text, at + 1)
    if text.startswith("}", at):
        return result, at + 1
    while True:
        if not text.startswith('"', at):
            raise _Cut(result, at, "a field name was expected")
        try:
            key, at = _string(text, at)
        except _Cut as cut:
            raise _Cut(result, cut.position, cut.reason) from None
        at = _skip(text, at)
        if not text.startswith(":", at):
            raise _Cut(result, at, "':' was expected")
        at = _member(
            text, at + 1, result, lambda value, key=key: result.__setitem__(key, value), depth
        )
        if text.startswith("}", at):
            return result, at + 1
        if not text.startswith(",", at):
            raise _Cut(result, at, "',' or '}' was expected")
        at = _skip(text, at + 1)


def _array(text: str, at: int, depth: int) -> tuple[list, int]:
    result: list = []
    at = _skip(text, at + 1)
    if text.startswith("]", at):
        return result, at + 1
    while True:
        at = _member(text, at, result, result.append, depth)
        if text.startswith("]", at):
            return result, at + 1
        if not text.startswith(",", at):
            raise _Cut(result, at, "',' or ']' was expected")
        at += 1


def read_json_prefix(text: str, start: int) -> tuple[Any, str | None]:
    """The JSON value at text[start:] and None; or, where it stops being JSON, what was read of
    it (containers closed there) and where and why it stopped ("line 40, column 7: …")."""
    try:
        value, _ = _value(text, start)
        return value, None
    except _Cut as cut:
        line = text.count("\n", 0, cut.position) + 1
        column = cut.position - (text.rfind("\n", 0, cut.position) + 1) + 1
        partial = None if cut.partial is _NOTHING else cut.partial
        return partial, f"line {line}, column {column}: {cut.reason}"


# ---------------------------------------------------------------- the report, field by field


def is_text(value: Any) -> bool:
    """A text of a report: a shape, or a text the extension ships (any version of it)."""
    if not isinstance(value, str) or value == "" or len(value) > 500:
        return False
    if value.startswith("‹"):
        return bool(TEXT_SHAPE.match(value)) or value == OTHER
    return value.isprintable()


def is_id(value: Any) -> bool:
    return isinstance(value, str) and (
        bool(ID_SHAPE.match(value))
        or value == OTHER
        or bool(re.fullmatch(r"[A-Za-z][\w:-]{0,99}", value))
    )


def is_token(value: Any) -> bool:
    return isinstance(value, str) and (
        value == OTHER
        or bool(re.fullmatch(r"[a-z][a-z0-9-]{0,39}( [a-z][a-z0-9-]{0,39}){0,2}", value))
    )


def is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 99999


def is_language(value: Any) -> bool:
    return value == OTHER or (
        isinstance(value, str) and bool(re.fullmatch(r"[a-z]{2,3}(-[A-Z]{2})?", value))
    )


def is_strategy(value: Any) -> bool:
    return isinstance(value, str) and bool(
        re.fullmatch(r"[a-z-]{1,40}(:[A-Za-z]{2,3}(-[A-Z]{2})?)?", value)
    )


def is_time(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("date"), str)
        and bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value["date"]))
        and is_count(value.get("hour"))
        and value["hour"] <= 23
    )


def nullable(check):
    return lambda value: value is None or check(value)


def one_of(values: set):
    return lambda value: isinstance(value, str) and value in values


@dataclass
class Reading:
    """Fields taken from a document, each checked; `notes` says what could not be read."""

    notes: list[str] = field(default_factory=list)

    def take(self, container: Any, key: str, where: str, check, default: Any = None) -> Any:
        if not isinstance(container, dict) or key not in container:
            self.notes.append(f"{where}{key}: missing")
            return default
        value = container[key]
        if not check(value):
            shown = json.dumps(value, ensure_ascii=False)
            shown = shown if len(shown) <= 60 else f"{shown[:59]}…"
            self.notes.append(f"{where}{key}: {shown} is not what a report holds")
            return default
        return value

    def items(self, container: Any, key: str, where: str) -> list:
        value = self.take(container, key, where, lambda v: isinstance(v, list), [])
        return value


@dataclass
class LabelTarget:
    id: str
    target: str
    text: str | None


@dataclass
class ReportedSwitch:
    """A switch-like element of the settings app as the report describes it."""

    number: int
    tag: str
    element_id: str | None
    role: str | None
    type: str | None
    state: dict[str, str | None]
    disabled: bool
    busy: bool
    candidate: bool
    name: str | None
    title: str | None
    heading: int | None
    labelled_by: list[LabelTarget]
    labelled_by_text: str | None
    aria_label: str | None
    labels: list[str]
    matched_by: list[str]

    @property
    def disagreeing_mirrors(self) -> list[str]:
        read = {name: value for name, value in self.state.items() if value is not None}
        return (
            [f"{name} {value}" for name, value in read.items()]
            if len(set(read.values())) > 1
            else []
        )


@dataclass
class Report:
    fields: dict[str, Any]
    headings: list[dict]
    switches: list[ReportedSwitch]
    notes: list[str]
    # The privacy hub's rows no rule knows: {"text", "path"}, each a shipped text or a shape.
    hub_unknown: list[dict] = field(default_factory=list)


PATH_PART = re.compile(r"[A-Za-z0-9_.-]{1,100}|‹id [1-9]\d{0,4} chars?›")


def is_reported_path(value: Any) -> bool:
    """A path as a report gives it: parts the rule data has, or their shapes."""
    return (
        isinstance(value, str)
        and value.startswith("/")
        and len(value) <= 500
        and all(PATH_PART.fullmatch(part) for part in value[1:].split("/"))
    )


def read_hub(document: Any, reading: Reading) -> list[dict]:
    """The hub's rows no rule knows; a report without them (older) lists none."""
    hub = document.get("hub") if isinstance(document, dict) else None
    if hub is None:
        return []
    rows = []
    for index, raw in enumerate(reading.items(hub, "unknownSettings", "hub.")):
        where = f"hub.unknownSettings[{index}]."
        text = reading.take(raw, "text", where, is_text)
        path = reading.take(raw, "path", where, is_reported_path)
        if text is not None and path is not None:
            rows.append({"text": text, "path": path})
    return rows


def read_switch(raw: Any, number: int, reading: Reading) -> ReportedSwitch:
    where = f"app.switches[{number - 1}]."
    state_raw = reading.take(raw, "state", where, lambda v: isinstance(v, dict), {})
    state = {}
    for name, value in state_raw.items():
        if (
            isinstance(name, str)
            and re.fullmatch(r"[a-z][a-z0-9-]{0,39}", name)
            and (value is None or value in STATES)
        ):
            state[name] = value
        else:
            reading.notes.append(f"{where}state: {name!r} is not what a report holds")
    targets = []
    for index, target in enumerate(reading.items(raw, "labelledBy", where)):
        at = f"{where}labelledBy[{index}]."
        targets.append(
            LabelTarget(
                reading.take(target, "id", at, is_id, OTHER),
                reading.take(target, "target", at, one_of(TARGETS), "missing"),
                reading.take(target, "text", at, nullable(is_text)),
            )
        )
    labels = [label for label in reading.items(raw, "labels", where) if is_text(label)]
    return ReportedSwitch(
        number=number,
        tag=reading.take(raw, "tag", where, is_token, OTHER),
        element_id=reading.take(raw, "id", where, nullable(is_id)),
        role=reading.take(raw, "role", where, nullable(is_token)),
        type=reading.take(raw, "type", where, nullable(is_token)),
        state=state,
        disabled=reading.take(raw, "disabled", where, lambda v: isinstance(v, bool), False),
        busy=reading.take(raw, "busy", where, lambda v: isinstance(v, bool), False),
        candidate=reading.take(raw, "candidate", where, lambda v: isinstance(v, bool), False),
        name=reading.take(raw, "name", where, nullable(is_text)),
        title=reading.take(raw, "title", where, nullable(is_text)),
        heading=reading.take(raw, "heading", where, nullable(is_count), UNREAD),
        labelled_by=targets,
        labelled_by_text=reading.take(raw, "labelledByText", where, nullable(is_text)),
        aria_label=reading.take(raw, "ariaLabel", where, nullable(is_text)),
        labels=labels,
        matched_by=[name for name in reading.items(raw, "matchedBy", where) if is_strategy(name)],
    )


TOP_FIELDS = {
    "extension": lambda v: isinstance(v, str) and bool(re.fullmatch(r"\d+(\.\d+){0,3}", v)),
    "browser": lambda v: (
        isinstance(v, str)
        and bool(re.fullmatch(r"(Firefox|Chrome) [\d.]{1,20}|unknown browser", v))
    ),
    "browserLanguage": is_language,
    "page": lambda v: isinstance(v, str) and bool(re.fullmatch(r"/[A-Za-z0-9/_.-]{0,200}", v)),
    "pageLanguage": nullable(is_language),
    "rule": lambda v: isinstance(v, str) and bool(re.fullmatch(r"[a-z][a-z0-9-]{0,60}", v)),
    "outcome": lambda v: isinstance(v, str) and bool(re.fullmatch(r"[a-z-]{1,40}", v)),
    "reason": nullable(lambda v: isinstance(v, str) and bool(re.fullmatch(r"[a-z-]{1,40}", v))),
    "foundBy": nullable(is_strategy),
    "at": nullable(is_time),
}


def read_document(document: Any, cut: str | None) -> Report:
    reading = Reading()
    if cut:
        reading.notes.append(f"the document stops being JSON at {cut}; read up to there")
    fields = {key: reading.take(document, key, "", check) for key, check in TOP_FIELDS.items()}
    # Reports from before the front ends were told apart have no frontEnd: not a damage.
    has_front_end = isinstance(document, dict) and "frontEnd" in document
    fields["frontEnd"] = (
        reading.take(document, "frontEnd", "", nullable(is_token)) if has_front_end else None
    )
    app = reading.take(document, "app", "", lambda v: isinstance(v, dict), {})
    fields["appFound"] = reading.take(app, "found", "app.", lambda v: isinstance(v, bool))
    for key in ("headingCount", "switchCount", "switchLikeOutside"):
        fields[key] = reading.take(app, key, "app.", is_count)
    headings = []
    for index, raw in enumerate(reading.items(app, "headings", "app.")):
        where = f"app.headings[{index}]."
        headings.append(
            {
                "level": reading.take(raw, "level", where, nullable(is_count)),
                "text": reading.take(raw, "text", where, is_text, OTHER),
            }
        )
    switches = [
        read_switch(raw, index + 1, reading)
        for index, raw in enumerate(reading.items(app, "switches", "app."))
    ]
    strategies = []
    for index, raw in enumerate(reading.items(document, "strategies", "")):
        where = f"strategies[{index}]."
        name = reading.take(raw, "strategy", where, is_strategy)
        matches = reading.take(raw, "matches", where, is_count)
        if name is not None and matches is not None:
            strategies.append((name, matches))
    fields["strategies"] = strategies
    for key, listed in (("headingCount", headings), ("switchCount", switches)):
        if fields[key] is not None and len(listed) < min(fields[key], 40):
            reading.notes.append(f"app.{key} says {fields[key]}, the report lists {len(listed)}")
    hub_unknown = read_hub(document, reading)
    return Report(fields, headings, switches, reading.notes, hub_unknown)


def read_report(text: str) -> Report | None:
    """The report in a pasted text, or None when the text holds no report (nor its lines)."""
    start = REPORT_START.search(text)
    if start is None:
        if FIRST_FORMAT_MARK in text:
            raise Unreadable(
                "diagnostics of the first format (with '--- machine-readable ---'): check-rules"
                f" reads only the JSON document of format {REPORT_FORMAT}; ask the member to update"
                " the extension and copy the diagnostics again"
            )
        if LINES_TITLE in text:
            raise Unreadable(
                "only the lines for people of a diagnostics report: check-rules reads the JSON"
                " document that follows them; ask the member for the whole copy"
            )
        return None
    document, cut = read_json_prefix(text, start.start())
    format_seen = document.get("format") if isinstance(document, dict) else None
    if format_seen is None and cut:
        raise Unreadable(f"the report's document is cut short at {cut}, before its first fields")
    if format_seen != REPORT_FORMAT:
        raise Unreadable(
            f"a diagnostics report of format {json.dumps(format_seen)}: this check-rules reads"
            f" format {REPORT_FORMAT}"
        )
    return read_document(document, cut)
