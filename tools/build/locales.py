"""The extension's messages: every language complete and well formed, and every key the code
uses present in all of them.

Keys the code uses are found in the sources under extension/, whatever bundles them:
  - `t("key")` and `getMessage("key")`, and the keys an argument can evaluate to
    (`t(a ? "one" : "two")`, `t(TABLE[x] ?? "fallback")`);
  - lookup tables: `t(FAILURE_DETAIL[reason])` needs every value of FAILURE_DETAIL, and
    `getMessage(badge.title)` with `const badge = BADGES[...]` every `title` in BADGES;
  - a constant holding a key: `const detail = a ? "one" : "two"; … t(detail)`;
  - `data-i18n*="key"` in HTML, `__MSG_key__` in the manifest;
  - the keys each rule needs (`rule_<id>_name`, `rule_<id>_explanation`), the only keys the
    code may build at run time (`t(`rule_${…}_name`)`); any other key built at run time is
    refused, since no build could check it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from tools.build.sources import BuildError, read_json, read_text, shown

DEFAULT_LOCALE = "en"
RULE_MESSAGE_PARTS = ("name", "explanation")
MESSAGE_FUNCTIONS = frozenset({"t", "getMessage"})
# A message's placeholders are written $NAME$ (any case); "$$" is a literal dollar sign.
PLACEHOLDER_USE = re.compile(r"\$([A-Za-z0-9_@]+)\$")
MANIFEST_MESSAGE = re.compile(r"__MSG_(\w+)__")
NOT_SOURCES = ("_locales", "rules")


def rule_messages(rules: list[dict]) -> dict[str, str]:
    """The messages that name each rule's setting and explain it: key -> rule id."""
    return {
        f"rule_{rule['id'].replace('-', '_')}_{part}": rule["id"]
        for rule in rules
        for part in RULE_MESSAGE_PARTS
    }


# ---------------------------------------------------------------- catalogs


def placeholders_used(message: str) -> set[str]:
    return {name.lower() for name in PLACEHOLDER_USE.findall(message.replace("$$", ""))}


def check_entry(file: Path, key: str, entry: object) -> None:
    """One message as the browsers read it: a `message` text, and a `content` for each
    placeholder it uses."""
    where = f"{shown(file)}: {key}"
    if not isinstance(entry, dict):
        raise BuildError(f'{where}: not an object with a "message"')
    if "message" not in entry:
        raise BuildError(f"{where}.message: missing")
    if not isinstance(entry["message"], str):
        raise BuildError(f"{where}.message: not a string")
    placeholders = entry.get("placeholders", {})
    if not isinstance(placeholders, dict):
        raise BuildError(f"{where}.placeholders: not an object")
    for name, placeholder in placeholders.items():
        if not isinstance(placeholder, dict) or not isinstance(placeholder.get("content"), str):
            raise BuildError(f"{where}.placeholders.{name}.content: missing")
    defined = {name.lower() for name in placeholders}
    for name in sorted(placeholders_used(entry["message"]) - defined):
        raise BuildError(
            f"{where}.message: uses ${name.upper()}$, which {key}.placeholders does not define"
        )


def read_catalog(file: Path) -> dict:
    catalog = read_json(file)
    if not isinstance(catalog, dict):
        raise BuildError(f"{shown(file)}: (top level): not an object of messages")
    for key, entry in catalog.items():
        check_entry(file, key, entry)
    return catalog


def compare_with_reference(file: Path, catalog: dict, reference: dict) -> None:
    """A translation has every message of the default language, with the same placeholders."""
    for key in reference.keys() - catalog.keys():
        raise BuildError(f"{shown(file)}: {key}: missing (it is in {DEFAULT_LOCALE})")
    for key in sorted(catalog.keys() - reference.keys()):
        raise BuildError(f"{shown(file)}: {key}: not in {DEFAULT_LOCALE}")
    for key, entry in catalog.items():
        ours = {name.lower() for name in entry.get("placeholders", {})}
        theirs = {name.lower() for name in reference[key].get("placeholders", {})}
        if ours != theirs:
            raise BuildError(f"{shown(file)}: {key}.placeholders: differ from {DEFAULT_LOCALE}")
        used = placeholders_used(entry["message"])
        wanted = placeholders_used(reference[key]["message"])
        for name in sorted(wanted - used):
            raise BuildError(
                f"{shown(file)}: {key}.message: leaves out ${name.upper()}$, which "
                f"{DEFAULT_LOCALE} shows"
            )
        for name in sorted(used - wanted):
            raise BuildError(
                f"{shown(file)}: {key}.message: shows ${name.upper()}$, which "
                f"{DEFAULT_LOCALE} does not"
            )


def check_locales(extension_dir: Path, rule_keys: dict[str, str]) -> None:
    """Every language is well formed and has every message of the default language, which has
    every message the code and the rules use."""
    locales = extension_dir / "_locales"
    reference_file = locales / DEFAULT_LOCALE / "messages.json"
    reference = read_catalog(reference_file)
    for key, use in sorted(message_uses(extension_dir).items()):
        if key not in reference:
            raise BuildError(f"{shown(reference_file)}: {key}: missing (used in {use})")
    for key, rule_id in sorted(rule_keys.items()):
        if key not in reference:
            raise BuildError(f"{shown(reference_file)}: {key}: missing (rule {rule_id!r} needs it)")
    for folder in sorted(locales.iterdir()):
        if folder.name != DEFAULT_LOCALE and not folder.name.startswith("."):
            file = folder / "messages.json"
            compare_with_reference(file, read_catalog(file), reference)


# ---------------------------------------------------------------- keys in the code


def source_files(extension_dir: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(
        file
        for file in extension_dir.rglob("*")
        if file.name.endswith(suffixes)
        and file.relative_to(extension_dir).parts[0] not in NOT_SOURCES
        and file.is_file()
    )


def message_uses(extension_dir: Path) -> dict[str, str]:
    """Every message key the sources name, with where (file and line) it is first named."""
    uses: dict[str, str] = {}
    for file in source_files(extension_dir, (".js", ".html", ".j2", ".json")):
        text = read_text(file)
        place = shown(file)
        for match in MANIFEST_MESSAGE.finditer(text):
            uses.setdefault(match.group(1), f"{place}:{line_of(text, match.start())}")
        if file.name.endswith((".html", ".html.j2")):
            for key, line in html_message_keys(text):
                uses.setdefault(key, f"{place}:{line}")
    scripts = [
        Script(file, tokenize(read_text(file))) for file in source_files(extension_dir, (".js",))
    ]
    tables = {name: table for script in scripts for name, table in script.tables().items()}
    for script in scripts:
        for key, place in script.message_keys(tables):
            uses.setdefault(key, place)
    return uses


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


class I18nAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.keys: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("data-i18n") and value:
                self.keys.append((value, self.getpos()[0]))


def html_message_keys(html: str) -> list[tuple[str, int]]:
    parser = I18nAttributes()
    parser.feed(html)
    parser.close()
    return parser.keys


# ---------------------------------------------------------------- JavaScript, lightly


@dataclass(frozen=True)
class Token:
    kind: str  # name, string, template, number, regex, punct
    text: str  # a string's or template's text without its quotes
    line: int


TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<name>[A-Za-z_$][\w$]*)
  | (?P<number>\.?\d[\w.]*)
  | (?P<punct>\?\?=?|\?\.|\.\.\.|[=!]==?|=>|&&=?|\|\|=?|[-+*/%<>&|^]=?|[{}()\[\];,.?:~!=@\#])
    """,
    re.VERBOSE | re.DOTALL,
)
REGEX = re.compile(r"/(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[a-z]*")
# After these a "/" starts a regular expression, not a division.
BEFORE_EXPRESSION = frozenset(
    {
        "return",
        "typeof",
        "case",
        "do",
        "else",
        "in",
        "of",
        "new",
        "delete",
        "void",
        "throw",
        "instanceof",
        "yield",
        "await",
    }
)
OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = frozenset(OPENERS.values())
# Where a string is what an expression evaluates to: `"k"`, `a ? "k" : "k"`, `x ?? "k"`.
BEFORE_RESULT = frozenset({None, "?", ":", "??", "||"})
AFTER_RESULT = frozenset({None, ":", "??", "||"})


def regex_may_start(previous: Token | None) -> bool:
    if previous is None:
        return True
    if previous.kind == "punct":
        return previous.text not in (")", "]", "}")
    return previous.kind == "name" and previous.text in BEFORE_EXPRESSION


def template_end(text: str, start: int) -> int:
    """The index after the template literal that opens at start, `${…}` and all."""
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
        elif char == "`":
            return index + 1
        elif text.startswith("${", index):
            index = substitution_end(text, index + 2)
        else:
            index += 1
    return len(text)


def substitution_end(text: str, index: int) -> int:
    """The index after the `}` that closes a template's `${`, starting inside it."""
    depth = 1
    while index < len(text) and depth:
        char = text[index]
        if char == "`":
            index = template_end(text, index)
            continue
        if char in "\"'":
            match = TOKEN.match(text, index)
            index = match.end() if match and match.lastgroup == "string" else index + 1
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        index += 1
    return index


def tokenize(text: str) -> list[Token]:
    """Names, strings, templates and punctuation; comments and regular expressions skipped.
    Enough of JavaScript to follow message keys, and lenient: what it does not know is one
    character of punctuation."""
    tokens: list[Token] = []
    position, line = 0, 1
    while position < len(text):
        previous = tokens[-1] if tokens else None
        end, kind = None, "punct"
        if text[position] == "`":
            end, kind = template_end(text, position), "template"
        elif text[position] == "/" and text[position : position + 2] not in ("//", "/*"):
            match = REGEX.match(text, position) if regex_may_start(previous) else None
            if match:
                end, kind = match.end(), "regex"
        if end is None:
            match = TOKEN.match(text, position)
            end, kind = (match.end(), match.lastgroup) if match else (position + 1, "punct")
        value = text[position:end]
        if kind in ("string", "template"):
            tokens.append(Token(kind, value[1:-1], line))
        elif kind not in ("space", "comment"):
            tokens.append(Token(kind, value, line))
        line += value.count("\n")
        position = end
    return tokens


def template_parts(template: str) -> list[str]:
    """The fixed text of a template literal around its `${…}`: `a${x}b` -> ["a", "b"]."""
    parts, current, depth, index = [], "", 0, 0
    while index < len(template):
        if depth == 0 and template.startswith("${", index):
            parts.append(current)
            current, depth, index = "", 1, index + 2
            continue
        char = template[index]
        if depth:
            depth += {"{": 1, "}": -1}.get(char, 0)
        else:
            current += char
        index += 1
    return [*parts, current]


def is_rule_message_template(template: str) -> bool:
    parts = template_parts(template)
    return len(parts) == 2 and parts[0] == "rule_" and parts[1][1:] in RULE_MESSAGE_PARTS


@dataclass
class Script:
    file: Path
    tokens: list[Token]

    def text(self, index: int) -> str | None:
        return self.tokens[index].text if 0 <= index < len(self.tokens) else None

    def closing(self, index: int) -> int:
        """The index of the bracket that closes the one at index."""
        depth = 0
        for position in range(index, len(self.tokens)):
            token = self.tokens[position]
            if token.kind == "punct" and token.text in OPENERS:
                depth += 1
            elif token.kind == "punct" and token.text in CLOSERS:
                depth -= 1
                if depth == 0:
                    return position
        return len(self.tokens)

    def expression_end(self, start: int) -> int:
        """Where the expression starting at start ends: a ',' or ';' or a closing bracket
        of its own depth."""
        depth = 0
        for position in range(start, len(self.tokens)):
            token = self.tokens[position]
            if token.kind != "punct":
                continue
            if token.text in OPENERS:
                depth += 1
            elif token.text in CLOSERS:
                if depth == 0:
                    return position
                depth -= 1
            elif depth == 0 and token.text in (",", ";"):
                return position
        return len(self.tokens)

    def declarations(self) -> dict[str, list[range]]:
        """`const|let|var NAME = expression`: NAME -> the token ranges of its expressions."""
        found: dict[str, list[range]] = {}
        for index, token in enumerate(self.tokens[:-3]):
            if (
                token.kind == "name"
                and token.text in ("const", "let", "var")
                and self.tokens[index + 1].kind == "name"
                and self.text(index + 2) == "="
            ):
                start = index + 3
                found.setdefault(self.tokens[index + 1].text, []).append(
                    range(start, self.expression_end(start))
                )
        return found

    def parameters(self) -> set[str]:
        """Names functions in this file take as parameters (their values come from callers)."""
        names: set[str] = set()
        for index, token in enumerate(self.tokens):
            if token.text == "=>" and self.text(index - 1) != ")":
                names.add(self.tokens[index - 1].text)
                continue
            if token.text == "=>":
                depth, start = 0, index - 1
                while start > 0:
                    text = self.tokens[start].text
                    depth += {")": 1, "(": -1}.get(text, 0)
                    if depth == 0:
                        break
                    start -= 1
            elif token.kind == "name" and token.text == "function":
                start = index + 1 + (self.tokens[index + 1].kind == "name")
                if self.text(start) != "(":
                    continue
            else:
                continue
            for position in range(start, self.closing(start)):
                if self.tokens[position].kind == "name":
                    names.add(self.tokens[position].text)
        return names

    def tables(self) -> dict[str, Table]:
        """Constants that are object literals: NAME -> its string values by column."""
        found = {}
        for name, spans in self.declarations().items():
            for span in spans:
                if self.text(span.start) == "{" and self.closing(span.start) == span.stop - 1:
                    found[name] = Table(self.file, self.columns(span.start))
        return found

    def columns(self, start: int) -> dict[str | None, list[Token]]:
        """An object literal's string values: its own under None, and those of the objects
        it holds under their property names."""
        columns: dict[str | None, list[Token]] = {}
        depth = 0
        for position in range(start, self.closing(start) + 1):
            token = self.tokens[position]
            if token.kind == "punct" and token.text in OPENERS:
                depth += 1
            elif token.kind == "punct" and token.text in CLOSERS:
                depth -= 1
            elif (
                token.kind == "string"
                and self.text(position - 1) == ":"
                and self.text(position + 1) in (",", "}")
                and depth in (1, 2)
            ):
                column = None if depth == 1 else self.tokens[position - 2].text
                columns.setdefault(column, []).append(token)
        return columns

    def message_keys(self, tables: dict[str, Table]) -> Iterator[tuple[str, str]]:
        """(key, file:line) for every key a message function of this script can be called with."""
        declarations = self.declarations()
        parameters = self.parameters()
        for index, token in enumerate(self.tokens[:-1]):
            if not (
                token.kind == "name"
                and token.text in MESSAGE_FUNCTIONS
                and self.text(index + 1) == "("
                and self.text(index - 1) not in ("function",)
                and (self.text(index - 1) != "." or token.text == "getMessage")
            ):
                continue
            start = index + 2
            argument = range(start, self.expression_end(start))
            yield from self.keys_in(argument, None, tables, declarations, parameters, set())

    def keys_in(self, span, member, tables, declarations, parameters, followed):
        """The keys an expression can evaluate to; `member` is the property read from it."""
        depth = 0
        for position in span:
            token = self.tokens[position]
            if token.kind == "punct" and token.text in OPENERS:
                depth += 1
                continue
            if token.kind == "punct" and token.text in CLOSERS:
                depth -= 1
                continue
            if depth:
                continue
            before = self.text(position - 1) if position > span.start else None
            after = self.text(position + 1) if position + 1 < span.stop else None
            result = before in BEFORE_RESULT and after in AFTER_RESULT
            if token.kind == "string" and result and member is None:
                yield token.text, f"{shown(self.file)}:{token.line}"
            elif token.kind == "template" and result and member is None:
                if not is_rule_message_template(token.text):
                    raise BuildError(
                        f"{shown(self.file)}:{token.line}: `{token.text}`: a message key made "
                        f"at run time that the build cannot check; use a table of whole keys"
                    )
            elif token.kind == "name" and before != "." and before != "?.":
                yield from self.keys_of_name(
                    position, span, member, tables, declarations, parameters, followed
                )

    def keys_of_name(self, position, span, member, tables, declarations, parameters, followed):
        name = self.tokens[position].text
        after = position + 1
        indexed = self.text(after) == "[" and after < span.stop
        if indexed:
            after = self.closing(after) + 1
        if self.text(after) in (".", "?.") and after + 1 < span.stop:
            member = self.tokens[after + 1].text
        if indexed and name in tables:
            table = tables[name]
            for value in table.columns.get(member, []):
                yield value.text, f"{shown(table.file)}:{value.line}"
        elif not indexed and name in declarations and name not in parameters:
            if name in followed:
                return
            for declared in declarations[name]:
                yield from self.keys_in(
                    declared, member, tables, declarations, parameters, followed | {name}
                )


@dataclass(frozen=True)
class Table:
    file: Path
    columns: dict[str | None, list[Token]]
