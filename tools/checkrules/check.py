"""Which rule strategies would match a page: `python build.py check-rules FILE…`.

FILE is either the diagnostics a member copied from the popup ("Copy diagnostics": only its
JSON document is read, see report.py) or a saved copy of a settings page (HTML). For every
rule whose page it is, each `switch` step is tried the way the content script tries it
(extension/engine/switches.js), so a maintainer can fix a rule and confirm it before building.
A report shows the page's own texts only by their shape: check-rules says which labels are
texts the extension knows, which are not and of what shape, and what to do about it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from tools.build.rules import PAGE_LEVEL_STEPS
from tools.build.sources import ROOT
from tools.checkrules.report import UNREAD, Report, ReportedSwitch, Unreadable, read_report
from tools.text import normalize_text, text_shape

# The settings' English names live with every other text the extension shows.
ENGLISH_MESSAGES = ROOT / "extension/_locales/en/messages.json"
LOOKS_LIKE_HTML = re.compile(
    r"<(?:!doctype|html|body|main|div|input|button|span|label)\b", re.IGNORECASE
)


@dataclass
class Switch:
    """A switch-like element as the engine sees it: its label ids and its label texts (known
    texts normalized; a report's unknown texts only as their shapes)."""

    labelled_by: list[str]
    labels: list[str]
    description: str
    element_id: str | None = None
    unknown_labels: list[str] = field(default_factory=list)
    in_app: bool = True  # inside the site's app region (site.appReady)


@dataclass
class Page:
    path: str | None
    switches: list[Switch] = field(default_factory=list)
    # Normalized headings inside the app region, for the page-level step (only-switch).
    app_headings: set[str] = field(default_factory=set)
    report: Report | None = None


# ---------------------------------------------------------------- saved HTML


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.nodes: list[Node] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        self.nodes.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        for node in [self.current, *self.current.ancestors()]:
            if node.tag == tag:
                self.current = node.parent or self.root
                return

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def is_switch_like(node: Node) -> bool:
    """The engine's switch-like elements (SWITCH_SELECTOR in extension/engine/switches.js)."""
    attrs = node.attrs
    return (
        attrs.get("role") in ("switch", "checkbox")
        or (node.tag == "input" and attrs.get("type") == "checkbox")
        or (node.tag == "button" and ("aria-checked" in attrs or "aria-pressed" in attrs))
    )


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def matches_simple_selector(node: Node, selector: str) -> bool:
    """A tag name or #id, the forms an app region's selector takes (site.appReady)."""
    if selector.startswith("#"):
        return node.attrs.get("id") == selector[1:]
    return node.tag == selector.lower()


def page_in_html(html: str, app_ready: str) -> Page:
    builder = TreeBuilder()
    builder.feed(html)
    app = next((n for n in builder.nodes if matches_simple_selector(n, app_ready)), None)
    switches = switches_in_html(builder)
    for switch, node in switches:
        switch.in_app = app is not None and app in node.ancestors()
    headings = [n for n in builder.nodes if n.tag in HEADINGS or n.attrs.get("role") == "heading"]
    app_headings = {normalize_text(h.text()) for h in headings if app in h.ancestors()}
    return Page(None, [switch for switch, _ in switches], app_headings if app else set())


def switches_in_html(builder: TreeBuilder) -> list[tuple[Switch, Node]]:
    by_id = {n.attrs["id"]: n for n in builder.nodes if "id" in n.attrs}
    labels_for: dict[str, list[Node]] = {}
    for node in builder.nodes:
        if node.tag == "label" and node.attrs.get("for"):
            labels_for.setdefault(node.attrs["for"], []).append(node)
    found = []
    for node in filter(is_switch_like, builder.nodes):
        ids = node.attrs.get("aria-labelledby", "").split()
        labels = []
        if ids:
            labels.append(" ".join(by_id[i].text() if i in by_id else "" for i in ids))
        if node.attrs.get("aria-label"):
            labels.append(node.attrs["aria-label"])
        labels += [label.text() for label in labels_for.get(node.attrs.get("id", ""), [])]
        labels += [a.text() for a in node.ancestors() if a.tag == "label"][:1]
        description = f"<{node.tag} role={node.attrs.get('role')} aria-labelledby={ids}>"
        normalized = [t for t in map(normalize_text, labels) if t]
        found.append((Switch(ids, normalized, description, node.attrs.get("id")), node))
    return found


# ---------------------------------------------------------------- diagnostics


def describe_switch(item: ReportedSwitch) -> str:
    parts = [item.tag]
    parts += [
        f"{name}={value}" for name, value in (("role", item.role), ("type", item.type)) if value
    ]
    if item.element_id:
        parts.append(f"id {shown(item.element_id)}")
    return f"switch {item.number} ({', '.join(parts)})"


def switch_from_report(item: ReportedSwitch) -> Switch:
    """A switch the rule's steps look at, as the report tells it: its text (what label-text
    steps compare) known, or only its shape."""
    name = item.name
    known = [normalize_text(name)] if name and not name.startswith("‹") else []
    unknown = [name] if name and name.startswith("‹") else []
    ids = [target.id for target in item.labelled_by]
    return Switch(ids, known, describe_switch(item), item.element_id, unknown)


def shown(text: str) -> str:
    """A text of a report as check-rules prints it: shapes as they are, known texts quoted."""
    return text if text.startswith("‹") else json.dumps(text, ensure_ascii=False)


def read_page(file: Path, app_ready: str) -> Page:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Unreadable("not a text file (UTF-8)") from None
    report = read_report(text)
    if report is not None:
        switches = [switch_from_report(item) for item in report.switches if item.candidate]
        headings = {
            normalize_text(h["text"]) for h in report.headings if not h["text"].startswith("‹")
        }
        return Page(report.fields["page"], switches, headings, report)
    if LOOKS_LIKE_HTML.search(text):
        return page_in_html(text, app_ready)
    raise Unreadable(
        'neither a diagnostics report (copied with "Copy diagnostics" in the popup) nor a saved'
        " settings page (HTML)"
    )


def time_of(at: dict | None) -> str:
    return (
        f"{at['date']} between {at['hour']:02d}:00 and {at['hour']:02d}:59 UTC"
        if at
        else "unknown time"
    )


def known(value: object, unknown: str = "?") -> str:
    """A field of a report as printed: "?" where it could not be read."""
    return unknown if value is None else str(value)


def report_summary(report: Report) -> list[str]:
    """What the report says, field by field, for the maintainer."""
    f = report.fields
    result = known(f["outcome"]) + (f" ({f['reason']})" if f["reason"] else "")
    lines = [
        f"  report from extension {known(f['extension'])}, {known(f['browser'])}"
        f" (language {known(f['browserLanguage'])}),"
        f" page language {known(f['pageLanguage'], 'unknown')}",
        f"  result: {result} for rule {known(f['rule'])},"
        f" found by {known(f['foundBy'], 'nothing')}, {time_of(f['at'])}",
        f"  front end (site.frontEnds): {known(f.get('frontEnd'), 'not told apart')}",
    ]
    if f["appFound"] is False:
        lines.append(
            "  the settings app (site.appReady) was not on the page: nothing in it could be"
            " described; LinkedIn may have changed the page's frame, or it did not finish loading"
        )
    else:
        outside = f["switchLikeOutside"]
        lines.append(
            f"  settings app: {known(f['headingCount'])} heading(s),"
            f" {known(f['switchCount'])} switch-like element(s)"
            + (f"; {outside} more outside it (not described)" if outside else "")
        )
    for index, heading in enumerate(report.headings):
        level = f"h{heading['level']}" if heading["level"] else "heading"
        text = heading["text"]
        lines.append(f"  heading {index + 1}: {level} {shown(text)}{known_or_not(text)}")
    for item in report.switches:
        lines += switch_summary(item)
    if f["strategies"]:
        tried = ", ".join(f"{name} {count}" for name, count in f["strategies"])
        lines.append(f"  the extension's steps matched on the whole page: {tried}")
    lines += hub_summary(report.hub_unknown)
    lines += [f"  could not read: {note}" for note in report.notes]
    return lines


def hub_summary(rows: list[dict]) -> list[str]:
    """The privacy hub's rows no rule knows: a setting LinkedIn added, for a new rule."""
    if not rows:
        return []
    count = f"{len(rows)} setting{'s' * (len(rows) != 1)}"
    return [f"  the hub lists {count} no rule knows (nothing was clicked there):"] + [
        f"    {shown(row['text'])}{known_or_not(row['text'])} at {row['path']}" for row in rows
    ]


def known_or_not(text: str) -> str:
    if text == "‹other›":
        return ""
    return " (unknown text)" if text.startswith("‹") else " (known text)"


def switch_summary(item: ReportedSwitch) -> list[str]:
    under = {None: "under no heading", UNREAD: "its heading not read"}.get(
        item.heading, f"under heading {(item.heading or 0) + 1}"
    )
    flags = "".join(f", {flag}" for flag in ("disabled", "busy") if getattr(item, flag))
    lines = [f"  {describe_switch(item)}{flags}, {under}"]
    if not item.candidate:
        lines.append("    not a switch the rule's steps look at")
    elif item.name:
        said = f"{shown(item.name)}{known_or_not(item.name)}"
        lines.append(f"    its text (what label-text steps compare): {said}")
    else:
        lines.append("    it has no text")
    for target in item.labelled_by:
        where = {"outside": "an element outside the settings app", "missing": "no such element"}
        said = where.get(target.target) or (
            shown(target.text) + known_or_not(target.text) if target.text else "?"
        )
        lines.append(f"    aria-labelledby {shown(target.id)} -> {said}")
    if item.aria_label:
        lines.append(f"    aria-label -> {shown(item.aria_label)}{known_or_not(item.aria_label)}")
    if item.title:
        lines.append(f"    title -> {shown(item.title)}{known_or_not(item.title)}")
    lines += [f"    <label> -> {shown(label)}{known_or_not(label)}" for label in item.labels]
    if item.disagreeing_mirrors:
        lines.append(
            f"    its state mirrors disagree ({', '.join(item.disagreeing_mirrors)}): the extension"
            " cannot read it (unreadable-state) and leaves it alone"
        )
    matched = ", ".join(item.matched_by) or "no step"
    lines.append(f"    matched in the member's browser by: {matched}")
    return lines


# ---------------------------------------------------------------- matching


def step_name(step: dict) -> str:
    return f"label-text:{step['lang']}" if step["by"] == "label-text" else step["by"]


def matches(switch: Switch, step: dict) -> bool:
    if step["by"] == "aria-labelledby":
        return step["id"] in switch.labelled_by
    if step["by"] == "element-id":
        return step["id"] == switch.element_id
    return normalize_text(step["text"]) in switch.labels


def setting_name(rule_id: str) -> str | None:
    """The setting's English name, as the popup shows it (the message rule_<id>_name)."""
    messages = json.loads(ENGLISH_MESSAGES.read_text(encoding="utf-8"))
    entry = messages.get(f"rule_{rule_id.replace('-', '_')}_name")
    return entry["message"] if entry else None


def step_hits(step: dict, rule: dict, page: Page) -> list[Switch]:
    if step["by"] == "only-switch":
        # Every switch-like element of the app region, once a heading of the rule shows there.
        wanted = {normalize_text(text) for texts in rule["headings"].values() for text in texts}
        return [s for s in page.switches if s.in_app] if wanted & page.app_headings else []
    return [s for s in page.switches if matches(s, step)]


def shape_hints(rule: dict, page: Page) -> list[str]:
    """For each label-text step, the unknown labels that have its text's shape: likely its text."""
    hints = []
    for step in rule["switch"]:
        if step["by"] != "label-text":
            continue
        shape = text_shape(step["text"])
        for switch in page.switches:
            if shape in switch.unknown_labels and normalize_text(step["text"]) not in switch.labels:
                hints.append(
                    f"  {step_name(step)}: {switch.description} has an unknown label of this"
                    f" step's shape {shape}: likely this text (ask the member to confirm it)"
                )
    return hints


def advice(rule: dict, page: Page, decided: tuple[str, list[Switch]] | None) -> list[str]:
    """What a maintainer does next, for a report no precise step of the rule reads."""
    page_level = decided is not None and decided[0] in PAGE_LEVEL_STEPS
    if page.report is None or (decided is not None and not page_level):
        return []
    unknown = [switch for switch in page.switches if switch.unknown_labels and not switch.labels]
    if len(page.switches) == 1 and unknown:
        carried = (
            f" Only the page-level step ({decided[0]}) finds it: the precise steps need a fix."
            if page_level
            else ""
        )
        return [
            f"  in short: one switch, labelled by an unknown text {unknown[0].unknown_labels[0]}."
            f"{carried} LinkedIn has probably reworded its label (or renamed its key). Ask the"
            " member for the wording they see next to the switch, or read it on your own"
            " account; add it as a label-text step (and the new aria-labelledby key, if the page"
            " has one), then run check-rules on this report again: a step whose text has the"
            " label's shape is named."
        ]
    if not page.switches:
        return [
            "  in short: no switch in the settings app: the setting is not offered to this member,"
            " or it is rendered in a new way (see the switch-like elements above)"
        ]
    return []


# What the engine's sense check (extension/lib/sense.js) reads: the same words and pairs of
# characters in unspaced scripts, the same threshold. A switch that only the page-level step
# finds is acted on only when its text reads "same".
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
WORD_PARTS = re.compile(r"[\w'\u30fc]+")
MIN_SHARED = 0.3


def text_tokens(text: str) -> set[str]:
    tokens: set[str] = set()
    for word in WORD_PARTS.findall(text):
        word = word.replace("_", "")
        if not UNSPACED.search(word):
            tokens.update(part for part in word.split("'") if len(part) >= 2)
            continue
        if len(word) == 1:
            tokens.add(word)
        tokens.update(word[index : index + 2] for index in range(len(word) - 1))
    return tokens


def same_word(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 2)


def shared_part(known: str, text: str) -> float:
    wanted, found = text_tokens(known), text_tokens(text)
    if not wanted:
        return 0
    return sum(any(same_word(token, other) for other in found) for token in wanted) / len(wanted)


def has_negation(text: str, negation: str) -> bool:
    if UNSPACED.search(negation):
        return negation in text
    wanted = " ".join(WORD_PARTS.findall(negation))
    return bool(wanted) and f" {wanted} " in f" {' '.join(WORD_PARTS.findall(text))} "


def sense_of(texts: list[str], known: list[str], negations: list[str]) -> str:
    """How a switch's texts read against the rule's own texts, as the engine reads them:
    "same", "negated" or "unrelated" (normalized texts)."""
    read = [text for text in texts if text]
    if not read:
        return "unrelated"
    added = [n for n in negations if not any(has_negation(text, n) for text in known)]
    if any(has_negation(text, n) for text in read for n in added):
        return "negated"
    return (
        "same" if any(shared_part(text, read[0]) >= MIN_SHARED for text in known) else "unrelated"
    )


def rule_sense(rule: dict, negations: dict) -> tuple[list[str], list[str]]:
    """The rule's known texts (label texts and headings) and every language's negations."""
    labels = [step["text"] for step in rule["switch"] if "text" in step]
    headings = [text for texts in rule["headings"].values() for text in texts]
    said = [word for words in negations.values() for word in words]
    return [normalize_text(t) for t in labels + headings], [normalize_text(w) for w in said]


def page_level_verdict(rule: dict, found: Switch, negations: dict) -> str:
    """What the engine does with the one switch only the page-level step finds."""
    if not found.labels:
        return (
            "its text is withheld in a report (only its shape is there), so whether it reads in "
            "the setting's sense is the extension's to say: see the result's reason"
        )
    sense = sense_of(found.labels, *rule_sense(rule, negations))
    if sense == "same":
        return "its text reads in the setting's sense: the extension acts on it"
    return (
        f"its text reads {sense}: the extension reports ambiguous (unsure-sense) and clicks nothing"
    )


def check_rule(rule: dict, page: Page, negations: dict | None = None) -> list[str]:
    name = setting_name(rule["id"])
    lines = [f"rule {rule['id']!r}" + (f" ({name}):" if name else ":")]
    decided = None
    for step in rule["switch"]:
        hits = step_hits(step, rule, page)
        lines.append(f"  {step_name(step):<24} {len(hits)} match(es)")
        if hits and decided is None:
            decided = (step_name(step), hits)
    if decided is None:
        lines.append("  verdict: no step finds the switch: the extension reports not-found")
    elif len(decided[1]) > 1:
        lines.append(f"  verdict: {decided[0]} finds {len(decided[1])} switches: ambiguous")
    else:
        lines.append(
            f"  verdict: {decided[0]} finds exactly one switch: {decided[1][0].description}"
        )
        if decided[0] in PAGE_LEVEL_STEPS:
            lines.append(f"  sense: {page_level_verdict(rule, decided[1][0], negations or {})}")
    return lines + shape_hints(rule, page) + advice(rule, page, decided)


def page_is_rules(path: str, rule: dict) -> bool:
    """Whether the path is the rule's page under any address form (its last segment one of
    the rule's slugs; the build checked that the forms are the site's)."""
    return path.rstrip("/").rsplit("/", 1)[-1] in rule.get("slugs", []) or path in rule["pages"]


def check_files(
    files: list[Path], rules: list[dict], app_ready: str = "main", negations: dict | None = None
) -> list[str]:
    """What check-rules prints for each file; Unreadable names the first file it cannot read."""
    report = []
    for file in files:
        try:
            page = read_page(file, app_ready)
        except Unreadable as error:
            raise Unreadable(f"{file}: {error}") from None
        kind = "diagnostics report" if page.report else "saved page"
        report.append(
            f"{file}: {kind}, {len(page.switches)} switch-like element(s)"
            + (f" on {page.path}" if page.path else "")
        )
        if page.report:
            report += report_summary(page.report)
        relevant = [r for r in rules if page.path is None or page_is_rules(page.path, r)]
        if not relevant:
            report.append("  no rule is for this page")
        for rule in relevant:
            report += check_rule(rule, page, negations)
    return report
