"""Which rule strategies would match a page: `python build.py check-rules FILE…`.

FILE is either the diagnostics a member copied from the popup ("Copy diagnostics") or a saved
copy of a settings page (HTML). For every rule whose page it is, each `switch` step is tried
the way the content script tries it (extension/engine/switches.js), so a maintainer can fix a
rule and confirm it before building."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

DIAGNOSTICS_MARK = "--- machine-readable ---"
# The settings' English names live with every other text the extension shows.
ENGLISH_MESSAGES = Path(__file__).resolve().parent / "extension/_locales/en/messages.json"
APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})


def normalize_text(text: str) -> str:
    """The engine's normalizeText: case, spacing, apostrophes and Unicode forms do not count."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(APOSTROPHES).split()).lower()


@dataclass
class Switch:
    """A switch-like element as the engine sees it: its label ids and its label texts."""

    labelled_by: list[str]
    labels: list[str]
    description: str
    element_id: str | None = None
    in_app: bool = True  # inside the site's app region (site.appReady)


@dataclass
class Page:
    path: str | None
    switches: list[Switch] = field(default_factory=list)
    # Normalized headings inside the app region, for the page-level step (only-switch).
    app_headings: set[str] = field(default_factory=set)


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
    headings = [
        n for n in builder.nodes if n.tag in HEADINGS or n.attrs.get("role") == "heading"
    ]
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


def switches_in_diagnostics(summary: dict) -> list[Switch]:
    found = []
    for item in summary["outline"]["switches"]:
        if item.get("role") != "switch" and not (
            item.get("tag") == "input" and item.get("type") == "checkbox"
        ):
            continue
        ids = [label["id"] for label in item["labelledBy"]]
        labels = []
        if item["labelledBy"]:
            labels.append(" ".join(label["text"] or "" for label in item["labelledBy"]))
        if item.get("ariaLabel"):
            labels.append(item["ariaLabel"])
        labels += item["labels"]
        description = f"<{item['tag']} role={item.get('role')} aria-labelledby={ids}>"
        normalized = [t for t in map(normalize_text, labels) if t]
        found.append(Switch(ids, normalized, description, item.get("id")))
    return found


def read_page(file: Path, app_ready: str) -> Page:
    text = file.read_text(encoding="utf-8")
    if DIAGNOSTICS_MARK in text:
        summary = json.loads(text.split(DIAGNOSTICS_MARK, 1)[1].strip().splitlines()[0])
        headings = {normalize_text(h) for h in summary["outline"]["headings"]}
        return Page(summary["path"], switches_in_diagnostics(summary), headings)
    return page_in_html(text, app_ready)


# ---------------------------------------------------------------- matching


def step_name(step: dict) -> str:
    return f"label-text:{step['lang']}" if step["by"] == "label-text" else step["by"]


def matches(switch: Switch, step: dict) -> bool:
    if step["by"] == "aria-labelledby":
        return step["id"] in switch.labelled_by
    if step["by"] == "element-id":
        return step["id"] == switch.element_id
    # Diagnostics cut labels to 80 characters ("…", which NFKC turns into "..."): a cut
    # label matches by its start.
    wanted = normalize_text(step["text"])
    return any(
        label == wanted or (label.endswith("...") and wanted.startswith(label[:-3]))
        for label in switch.labels
    )


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


def check_rule(rule: dict, page: Page) -> list[str]:
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
    return lines


def check_files(files: list[Path], rules: list[dict], app_ready: str = "main") -> list[str]:
    report = []
    for file in files:
        page = read_page(file, app_ready)
        report.append(
            f"{file}: {len(page.switches)} switch-like element(s)"
            + (f" on {page.path}" if page.path else "")
        )
        relevant = [r for r in rules if page.path is None or page.path in r["pages"]]
        if not relevant:
            report.append("  no rule is for this page")
        for rule in relevant:
            report += check_rule(rule, page)
    return report
