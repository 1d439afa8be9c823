"""Rule files: loaded, checked against extension/rules/schema.json, and proved safe to run.

The schema says what each field looks like; this module also checks what a schema cannot:
rule ids unique, every path inside the site's settings areas, every CSS selector one a browser
accepts, and no two rules on one page whose steps can find the same switch (on a page that
re-renders, two rules switching one element would save it off, on, off, on).
Every problem is one line naming the file, the rule and the field.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jsonschema
from cssselect import ExpressionError, HTMLTranslator, SelectorError
from referencing.exceptions import Unresolvable

from tools.build.sources import ROOT, BuildError, read_json, shown
from tools.text import normalize_text

RULES_DIR = ROOT / "extension" / "rules"
SCHEMA = RULES_DIR / "schema.json"

# Where the content script may ever run, per site: LinkedIn's settings, nowhere else. This
# is the bound the rule data is checked against, so it lives here and not in the rule data:
# a rule file that could widen it could also ask for the whole site. A new site (or a new
# settings area) is a change to this table, reviewed as code.
SETTINGS_AREAS = {
    "https://www.linkedin.com": ("/mypreferences/", "/psettings/"),
}

# Step kinds that do not look for one particular element but take whatever switch the page
# shows (issue 13's `only-switch`): such a step can find the switch of any other rule on the
# same page, so a rule that has one may share none of its pages.
PAGE_LEVEL_STEPS = frozenset({"only-switch"})

# Schema fields marked `"format": "css-selector"` must hold a selector browsers accept.
SELECTOR_FORMAT = "css-selector"

# The rule format this build reads (the files' `formatVersion`); background/ruleset.js reads
# the same one. A file of another format is refused, never guessed at.
RULE_FORMAT_VERSION = 1

# Class names a build makes anew (CSS modules' hashes such as `_134c2e1f` or `b90c5754`,
# `Button_root__a1B2c`, `css-1x2y3z`) and ids a framework numbers (`ember260`, `:r5:`): a rule
# anchored on one breaks with the site's next build.
GENERATED_CLASS = re.compile(
    r"^_?[0-9a-f]{6,}$|^_?(?=[a-z0-9]*\d)[a-z0-9]{8}$|__[A-Za-z0-9]{5}$|^css-[a-z0-9]{5,}$"
)
GENERATED_ID = re.compile(r"ember\d+$|^:r[0-9a-z]+:$")
CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


@dataclass(frozen=True)
class RuleSet:
    """All rule files merged: one site description and its rules."""

    site: dict
    rules: list[dict]


# ---------------------------------------------------------------- messages


def field_path(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


def rule_label(rule: object, index: int) -> str:
    rule_id = rule.get("id") if isinstance(rule, dict) else None
    return f"rule {rule_id!r}" if isinstance(rule_id, str) else f"rule #{index + 1}"


def describe_error(file: Path, document: object, error: jsonschema.ValidationError) -> str:
    path = list(error.absolute_path)
    where = ""
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        where = f"{rule_label(document['rules'][path[1]], path[1])}: "
        path = path[2:]
    if error.validator == "required":
        path = [*path, error.message.split("'")[1]]
        reason = "missing"
    elif error.validator == "enum" and path and path[-1] == "by":
        allowed = ", ".join(error.validator_value)
        reason = f"unknown step {error.instance!r} (known steps: {allowed})"
    elif error.validator == "format" and error.validator_value == SELECTOR_FORMAT:
        reason = f"{error.instance!r} is not a CSS selector browsers accept: {error.cause}"
    else:
        reason = error.message
    return f"{shown(file)}: {where}{field_path(path)}: {reason}"


# ---------------------------------------------------------------- selectors


class BrowserSelectors(HTMLTranslator):
    """cssselect's own parser and translation, refusing what it accepts but browsers do not."""

    def xpath_contains_function(self, xpath, function):
        raise ExpressionError(":contains() is cssselect's own; browsers do not know it")

    def xpath_attrib_different(self, xpath, name, value):
        raise ExpressionError("[name!=value] is cssselect's own; browsers do not know it")

    def xpath_element(self, selector):
        if selector.namespace not in (None, "*"):
            raise ExpressionError(f"the namespace prefix {selector.namespace}| is undeclared")
        return super().xpath_element(selector)

    def xpath_attrib(self, selector):
        if selector.namespace not in (None, "*"):
            raise ExpressionError(f"the namespace prefix {selector.namespace}| is undeclared")
        return super().xpath_attrib(selector)


SELECTOR_TRANSLATOR = BrowserSelectors()
FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks(SELECTOR_FORMAT, raises=SelectorError)
def is_css_selector(value: object) -> bool:
    """Parsed and translated by cssselect: what it cannot understand, rule data may not use."""
    if isinstance(value, str):
        SELECTOR_TRANSLATOR.css_to_xpath(value)
    return True


# ---------------------------------------------------------------- one file


def schema_validator(schema_file: Path) -> jsonschema.Draft202012Validator:
    schema = read_json(schema_file)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as error:
        raise BuildError(
            f"{shown(schema_file)}: {field_path(error.absolute_path)}: not a valid JSON Schema "
            f"({error.message})"
        ) from None
    return jsonschema.Draft202012Validator(schema, format_checker=FORMATS)


def check_format_version(file: Path, document: object) -> None:
    """A rule file says which format it is in; a build reads only its own."""
    version = document.get("formatVersion") if isinstance(document, dict) else None
    if version == RULE_FORMAT_VERSION:
        return
    said = "missing" if version is None else f"{version!r}"
    raise BuildError(
        f"{shown(file)}: formatVersion: {said}: this build reads rule format "
        f"{RULE_FORMAT_VERSION} only (a file of another format is never guessed at)"
    )


def load_rule_file(file: Path, validator: jsonschema.Draft202012Validator) -> dict:
    document = read_json(file)
    check_format_version(file, document)
    try:
        errors = list(validator.iter_errors(document))
    except Unresolvable as error:
        raise BuildError(f"{shown(SCHEMA)}: cannot resolve a reference ({error})") from None
    if errors:
        first = min(errors, key=lambda e: list(map(str, e.absolute_path)))
        raise BuildError(describe_error(file, document, first))
    check_rule_consistency(file, document)
    return document


def check_rule_consistency(file: Path, document: dict) -> None:
    """What a schema cannot say about one file: unique ids, paths inside the settings areas."""
    site = document["site"]
    areas = SETTINGS_AREAS.get(site["origin"])
    if areas is None:
        raise BuildError(
            f"{shown(file)}: site.origin: no settings areas are known for {site['origin']!r} "
            f"(SETTINGS_AREAS in tools/build/rules.py)"
        )
    for index, pattern in enumerate(site["settingsPaths"]):
        if not pattern.rstrip("*").startswith(areas):
            raise BuildError(
                f"{shown(file)}: site.settingsPaths[{index}]: {pattern!r} reaches beyond the "
                f"site's settings areas ({', '.join(areas)})"
            )
    prefixes = [pattern.rstrip("*") for pattern in site["settingsPaths"]]
    for index, form in enumerate(site["pageForms"]):
        check_plain_path(f"{shown(file)}: site.pageForms[{index}]", form.rstrip("/"), prefixes)
    check_selectors(file, document)
    rule_pages = {
        form + slug
        for rule in document["rules"]
        for slug in rule["slugs"]
        for form in site["pageForms"]
    }
    check_hubs(file, site, prefixes, rule_pages)
    seen_ids: set[str] = set()
    for rule in document["rules"]:
        rule_id = rule["id"]
        if rule_id in seen_ids:
            raise BuildError(f"{shown(file)}: rule {rule_id!r}: id: used by another rule")
        seen_ids.add(rule_id)
        check_page_level_last(file, rule)
        check_step_ids(file, rule)
        for page_index, page in enumerate(rule["pages"]):
            where = f"{shown(file)}: rule {rule_id!r}: pages[{page_index}]"
            check_plain_path(where, page, prefixes)
            check_page_form(where, page, rule["slugs"], site["pageForms"])


def check_page_form(where: str, page: str, slugs: list[str], forms: list[str]) -> None:
    """A rule's page is one of the site's forms followed by one of the rule's slugs."""
    if not any(page == form + slug for form in forms for slug in slugs):
        raise BuildError(
            f"{where}: {page!r} is not one of site.pageForms followed by one of the rule's "
            f"slugs ({', '.join(slugs)})"
        )


def generated_class_in(selector: str) -> str | None:
    """The first class a selector names that looks made by a build, or None."""
    for name in CLASS_IN_SELECTOR.findall(selector):
        if GENERATED_CLASS.search(name):
            return name
    return None


def refuse_generated_class(where: str, selector: str) -> None:
    name = generated_class_in(selector)
    if name is not None:
        raise BuildError(
            f"{where}: {selector!r} names the class {name!r}, which looks generated (a hash "
            f"the site's next build replaces): anchor on role, aria-*, label references, "
            f"componentkey/data-testid or the texts"
        )


def check_selectors(file: Path, document: dict) -> None:
    """No selector of the rule data names a class that looks generated."""
    site = document["site"]
    refuse_generated_class(f"{shown(file)}: site.appReady", site["appReady"])
    for index, mirror in enumerate(site.get("stateMirrors", [])):
        for field in ("within", "at"):
            if field in mirror:
                where = f"{shown(file)}: site.stateMirrors[{index}].{field}"
                refuse_generated_class(where, mirror[field])
        if "onClass" in mirror:
            where = f"{shown(file)}: site.stateMirrors[{index}].onClass"
            refuse_generated_class(where, "." + mirror["onClass"])
    for index, hub in enumerate(site.get("hubs", [])):
        refuse_generated_class(f"{shown(file)}: site.hubs[{index}].row", hub["row"])
    for rule in document["rules"]:
        refuse_generated_class(f"{shown(file)}: rule {rule['id']!r}: saveError", rule["saveError"])


def check_step_ids(file: Path, rule: dict) -> None:
    """No step anchors on an id a framework numbers (`ember260`, `:r5:`)."""
    for index, step in enumerate(rule["switch"]):
        if "id" in step and GENERATED_ID.search(step["id"]):
            raise BuildError(
                f"{shown(file)}: rule {rule['id']!r}: switch[{index}].id: {step['id']!r} looks "
                f"numbered by the site's framework, and changes with each render or build"
            )


def check_plain_path(where: str, path: str, prefixes: list[str]) -> None:
    if posixpath.normpath(path) != path:
        raise BuildError(f"{where}: {path!r} is not a plain path ('.', '..' or '//')")
    if not any(path.startswith(prefix) for prefix in prefixes):
        raise BuildError(
            f"{where}: {path!r} is outside site.settingsPaths, so the content script "
            f"would never run there"
        )


def check_hubs(file: Path, site: dict, prefixes: list[str], rule_pages: set[str]) -> None:
    """Hub pages and the pages their rows may name as not switches: plain paths inside the
    settings paths; a page no rule has (a rule's page is known, never "not a switch"); and an
    unconfirmed language only one the section's headings have."""
    for index, hub in enumerate(site.get("hubs", [])):
        where = f"{shown(file)}: site.hubs[{index}]"
        for field in ("pages", "notSwitches"):
            for path_index, path in enumerate(hub[field]):
                check_plain_path(f"{where}.{field}[{path_index}]", path, prefixes)
        for path_index, path in enumerate(hub["notSwitches"]):
            if path in rule_pages:
                raise BuildError(
                    f"{where}.notSwitches[{path_index}]: {path!r} is a rule's page: a rule "
                    f"switches it, so it cannot be listed as holding no switch"
                )
        for lang_index, lang in enumerate(hub.get("unconfirmed", [])):
            if lang not in hub["section"]:
                raise BuildError(
                    f"{where}.unconfirmed[{lang_index}]: {lang!r} has no heading in section"
                )


def check_page_level_last(file: Path, rule: dict) -> None:
    """A page-level step only after every precise one: it takes whatever switch the page
    shows, so a precise step after it would never be reached."""
    steps = rule["switch"]
    for index, step in enumerate(steps[:-1]):
        if step["by"] in PAGE_LEVEL_STEPS:
            raise BuildError(
                f"{shown(file)}: rule {rule['id']!r}: switch[{index}]: {step['by']!r} takes "
                f"whatever switch the page shows, so it must be the last step (of {len(steps)})"
            )


# ---------------------------------------------------------------- all files


@dataclass(frozen=True)
class Placed:
    """A rule with the file it came from."""

    file: Path
    rule: dict


def step_target(step: dict) -> tuple[str, str] | None:
    """What a step finds on a page, as a key no two rules may share there; None when it
    finds the page's switch whatever it is. Extend this when a step kind is added."""
    kind = step["by"]
    if kind in PAGE_LEVEL_STEPS:
        return None
    if kind in ("aria-labelledby", "element-id"):
        return (kind, step["id"])
    if kind == "label-text":
        # The engine compares label text whatever the page's language: the language of the
        # step does not keep two rules apart.
        return (kind, normalize_text(step["text"]))
    raise BuildError(
        f"step {kind!r}: tools/build/rules.py (step_target) does not know what it finds"
    )


def describe_target(target: tuple[str, str]) -> str:
    kind, value = target
    return {
        "aria-labelledby": f"the switch labelled by {value!r}",
        "element-id": f"the element with id {value!r}",
        "label-text": f"the switch whose label reads {value!r}",
    }[kind]


def shared_page_name(slug: str, items: list[Placed]) -> str:
    """The page of a slug as the rules sharing it spell it (they share every form of it)."""
    pages = [page for item in items for page in item.rule["pages"] if page.endswith(f"/{slug}")]
    return pages[0] if pages else f"the page {slug!r}"


def check_overlaps(placed: list[Placed]) -> None:
    """No two rules on one page whose steps can find the same element: first the precise
    steps' claims, then the page-level steps (which claim the whole page)."""
    sharing: dict[str, list[Placed]] = {}
    for item in placed:
        for slug in item.rule["slugs"]:
            sharing.setdefault(slug, []).append(item)
    for slug, items in sharing.items():
        page = shared_page_name(slug, items)
        page_level: list[tuple[str, Placed, dict]] = []
        claims: dict[tuple[str, str], tuple[Placed, int]] = {}
        for item in items:
            for index, step in enumerate(item.rule["switch"]):
                where = f"{shown(item.file)}: rule {item.rule['id']!r}: switch[{index}]"
                try:
                    target = step_target(step)
                except BuildError as error:
                    raise BuildError(f"{where}: {error}") from None
                if target is None:
                    page_level.append((where, item, step))
                    continue
                owner, owner_index = claims.setdefault(target, (item, index))
                if owner is not item:
                    raise BuildError(
                        f"{where}: {describe_target(target)} on {page} is already claimed by "
                        f"rule {owner.rule['id']!r} (switch[{owner_index}])"
                    )
        for where, item, step in page_level:
            others = [other.rule["id"] for other in items if other is not item]
            if others:
                raise BuildError(
                    f"{where}: {step['by']!r} takes whatever switch {page} shows, and "
                    f"rule {others[0]!r} switches one there too"
                )


def check_wrong_slugs(placed: list[Placed]) -> None:
    """A wrong address is never a right one: no wrong slug is any rule's slug."""
    right = {slug: item.rule["id"] for item in placed for slug in item.rule["slugs"]}
    for item in placed:
        for index, slug in enumerate(item.rule.get("wrongSlugs", [])):
            if slug in right:
                raise BuildError(
                    f"{shown(item.file)}: rule {item.rule['id']!r}: wrongSlugs[{index}]: {slug!r} "
                    f"is a slug of rule {right[slug]!r}: a right address cannot be a wrong one"
                )


def load_rules(rules_dir: Path = RULES_DIR, schema_file: Path = SCHEMA) -> RuleSet:
    validator = schema_validator(schema_file)
    if not rules_dir.is_dir():
        raise BuildError(f"{shown(rules_dir)}: not a folder of rule files")
    files = sorted(p for p in rules_dir.glob("*.json") if p.name != schema_file.name)
    if not files:
        raise BuildError(f"{shown(rules_dir)}: no rule files (*.json)")
    documents = [(file, load_rule_file(file, validator)) for file in files]
    first_file, first = documents[0]
    for file, document in documents[1:]:
        if document["site"] != first["site"]:
            raise BuildError(
                f"{shown(file)}: site: differs from the site in {shown(first_file)}; keep one "
                f"site per build"
            )
    placed = [Placed(file, rule) for file, document in documents for rule in document["rules"]]
    seen: dict[str, Path] = {}
    for item in placed:
        rule_id = item.rule["id"]
        if rule_id in seen and seen[rule_id] != item.file:
            raise BuildError(
                f"{shown(item.file)}: rule {rule_id!r}: id: also defined in {shown(seen[rule_id])}"
            )
        seen[rule_id] = item.file
    check_overlaps(placed)
    check_wrong_slugs(placed)
    return RuleSet(site=first["site"], rules=[item.rule for item in placed])
