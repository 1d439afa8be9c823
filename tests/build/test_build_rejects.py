"""build.py refuses rule data the engine cannot run safely and sources it cannot build from.

Each case copies the build and the extension's sources to a scratch folder, breaks one thing,
runs `python build.py` there and expects: exit status 1, one line on stderr naming the file
and the field, no traceback, and the output folder of an earlier build exactly as it was.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.build import make

ROOT = Path(__file__).resolve().parents[2]
RULE_FILE = "extension/rules/linkedin.json"
SCHEMA_FILE = "extension/rules/schema.json"
EN = "extension/_locales/en/messages.json"
DE = "extension/_locales/de/messages.json"
ICON = "extension/icons/icon.png"
AI_PAGE = "/mypreferences/d/settings/data-for-ai-improvement"
RESEARCH_PAGE = "/mypreferences/d/settings/policy-and-academic-research"
COOKIES_PAGE = "/mypreferences/d/member-cookies"


# ---------------------------------------------------------------- scratch copies


def copy_project(target: Path) -> Path:
    """The build (build.py and tools/), pyproject.toml, extension/, and the store
    listing with the privacy policy it links (store/, PRIVACY.md), which every build checks."""
    target.mkdir()
    for file in [ROOT / "build.py", ROOT / "pyproject.toml", ROOT / "package.json"]:
        shutil.copy2(file, target / file.name)
    shutil.copytree(ROOT / "tools", target / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "PRIVACY.md", target / "PRIVACY.md")
    shutil.copytree(ROOT / "extension", target / "extension")
    shutil.copytree(ROOT / "store", target / "store")
    if (ROOT / "node_modules").is_dir():
        (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def snapshot(folder: Path) -> dict[str, object]:
    """Everything under folder: file bytes, link targets, folders."""
    state: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            state[name] = ("link", str(path.readlink()))
        elif path.is_dir():
            state[name] = "folder"
        else:
            state[name] = path.read_bytes()
    return state


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(project / "build.py"), *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def earlier_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("earlier") / "out"
    make.build(out=out)
    return out


@dataclass
class Scratch:
    project: Path
    place: Path  # holds out/, the earlier build, and anything a case puts beside it

    @property
    def out(self) -> Path:
        return self.place / "out"


@pytest.fixture
def scratch(tmp_path: Path, earlier_build: Path) -> Scratch:
    place = tmp_path / "place"
    place.mkdir()
    shutil.copytree(earlier_build, place / "out", symlinks=True)
    return Scratch(copy_project(tmp_path / "project"), place)


# ---------------------------------------------------------------- ways to break things


def edit_json(relative: str, change: Callable[[dict], object]) -> Callable[[Scratch], None]:
    def breaker(scratch: Scratch) -> None:
        file = scratch.project / relative
        document = json.loads(file.read_text(encoding="utf-8"))
        change(document)
        file.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")

    return breaker


def edit_rules(change: Callable[[dict], object]) -> Callable[[Scratch], None]:
    return edit_json(RULE_FILE, change)


def edit_every_locale(change: Callable[[dict], object]) -> Callable[[Scratch], None]:
    def breaker(scratch: Scratch) -> None:
        for file in sorted((scratch.project / "extension/_locales").glob("*/messages.json")):
            edit_json(file.relative_to(scratch.project).as_posix(), change)(scratch)

    return breaker


def write(relative: str, data: bytes) -> Callable[[Scratch], None]:
    def breaker(scratch: Scratch) -> None:
        (scratch.project / relative).write_bytes(data)

    return breaker


def remove(relative: str) -> Callable[[Scratch], None]:
    def breaker(scratch: Scratch) -> None:
        path = scratch.project / relative
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()

    return breaker


def make_folder(relative: str) -> Callable[[Scratch], None]:
    """A folder where a file should be."""

    def breaker(scratch: Scratch) -> None:
        path = scratch.project / relative
        if path.exists():
            path.unlink()
        (path / "inside").mkdir(parents=True)

    return breaker


def dangling_link(relative: str) -> Callable[[Scratch], None]:
    def breaker(scratch: Scratch) -> None:
        path = scratch.project / relative
        if path.exists():
            path.unlink()
        path.symlink_to(scratch.project / "nowhere.json")

    return breaker


def edit_script(anchor: str, replacement: str) -> Callable[[Scratch], None]:
    """Replaces anchor in the one extension script that holds it."""

    def breaker(scratch: Scratch) -> None:
        scripts = [
            file
            for file in (scratch.project / "extension").rglob("*.js")
            if anchor in file.read_text(encoding="utf-8")
        ]
        assert len(scripts) == 1, f"{anchor!r} is in {scripts}"
        text = scripts[0].read_text(encoding="utf-8")
        scripts[0].write_text(text.replace(anchor, replacement, 1), encoding="utf-8")

    return breaker


def png(width: int, height: int) -> bytes:
    """A white RGBA PNG of that size."""
    rows = b"".join(b"\x00" + b"\xff" * 4 * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def allow_step_kind(kind: str) -> Callable[[Scratch], None]:
    """The schema of a later version that knows one more step kind."""

    def change(schema: dict) -> None:
        schema["$defs"]["step"]["properties"]["by"]["enum"].append(kind)

    return edit_json(SCHEMA_FILE, change)


def both(*breakers: Callable[[Scratch], None]) -> Callable[[Scratch], None]:
    def breaker(scratch: Scratch) -> None:
        for each in breakers:
            each(scratch)

    return breaker


def rule(document: dict, rule_id: str) -> dict:
    return next(r for r in document["rules"] if r["id"] == rule_id)


def share_page(rule_id: str, page: str, *steps: dict) -> Callable[[dict], None]:
    """Rule rule_id also runs on page, with these steps added before its last (page-level)."""

    def change(document: dict) -> None:
        rule(document, rule_id)["pages"].append(page)
        rule(document, rule_id)["slugs"].append(page.rsplit("/", 1)[1])
        rule(document, rule_id)["switch"][-1:-1] = steps

    return change


def second_rule_file(change: Callable[[dict], object]) -> Callable[[Scratch], None]:
    """more.json beside linkedin.json: the same site and one rule, changed by `change`."""

    def breaker(scratch: Scratch) -> None:
        rules = scratch.project / "extension/rules"
        document = json.loads((rules / "linkedin.json").read_text(encoding="utf-8"))
        extra = json.loads(json.dumps(rule(document, "research")))
        extra["id"] = "research-elsewhere"
        extra["pages"] = ["/mypreferences/d/settings/research-elsewhere"]
        extra["slugs"] = ["research-elsewhere"]
        extra["switch"] = [{"by": "aria-labelledby", "id": "researchElsewhere"}]
        document["rules"] = [extra]
        change(document)
        (rules / "more.json").write_text(json.dumps(document), encoding="utf-8")

    return breaker


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Case:
    id: str
    breaker: Callable[[Scratch], None]
    expected: tuple[str, ...]  # all in the one line of stderr
    args: tuple[str, ...] = ()  # instead of `--out <place>/out`


def case(id: str, breaker: Callable[[Scratch], object], *expected: str, args: tuple[str, ...] = ()):
    return pytest.param(Case(id, breaker, expected, args), id=id)


def out_is(relative: str) -> tuple[str, ...]:
    return ("--out", f"@place/{relative}")


def set_key(key: str, value: object) -> Callable[[dict], None]:
    def change(document: dict) -> None:
        document[key] = value

    return change


CASES = [
    # -------- the rule format, the addresses, anchors that survive the site's next build
    case(
        "unknown-rule-format",
        edit_rules(set_key("formatVersion", 2)),
        f"{RULE_FILE}: formatVersion: 2: this build reads rule format 1 only",
    ),
    case(
        "rule-format-missing",
        edit_rules(lambda d: d.pop("formatVersion")),
        f"{RULE_FILE}: formatVersion: missing: this build reads rule format 1 only",
    ),
    case(
        "hashed-class-in-a-save-error-selector",
        edit_rules(lambda d: rule(d, "research").update(saveError="._134c2e1f [role=alert]")),
        f"{RULE_FILE}: rule 'research': saveError: '._134c2e1f [role=alert]' names the class "
        "'_134c2e1f', which looks generated",
    ),
    case(
        "hashed-class-in-a-state-mirror",
        edit_rules(lambda d: d["site"]["stateMirrors"][0].update(within=".b90c5754")),
        f"{RULE_FILE}: site.stateMirrors[0].within: '.b90c5754' names the class 'b90c5754'",
    ),
    case(
        "numbered-id-in-a-step",
        edit_rules(
            lambda d: rule(d, "research")["switch"].insert(
                0, {"by": "element-id", "id": "adToggle_ember260"}
            )
        ),
        f"{RULE_FILE}: rule 'research': switch[0].id: 'adToggle_ember260' looks numbered by the "
        "site's framework",
    ),
    case(
        "slug-that-is-not-a-path-segment",
        edit_rules(lambda d: rule(d, "research")["slugs"].append("policy/research")),
        f"{RULE_FILE}: rule 'research': slugs[1]: 'policy/research' does not match",
    ),
    case(
        "page-not-of-the-site-forms",
        edit_rules(
            lambda d: rule(d, "research")["pages"].append(
                "/mypreferences/x/policy-and-academic-research"
            )
        ),
        f"{RULE_FILE}: rule 'research': pages[1]: '/mypreferences/x/policy-and-academic-research' "
        "is not one of site.pageForms followed by one of the rule's slugs",
    ),
    case(
        "wrong-address-that-is-a-right-one",
        edit_rules(lambda d: rule(d, "ai-training")["wrongSlugs"].append("ads-by-age")),
        f"{RULE_FILE}: rule 'ai-training': wrongSlugs[2]: 'ads-by-age' is a slug of rule "
        "'ads-by-age': a right address cannot be a wrong one",
    ),
    case(
        "template-syntax-error",
        write("extension/templates/manifest.json.j2", b'{"name": "{{ version "}\n'),
        "extension/templates/manifest.json.j2:1: ",
    ),
    # -------- two rules that can find one switch
    case(
        "same-aria-labelledby-key",
        edit_rules(
            share_page(
                "share-with-partners",
                RESEARCH_PAGE,
                {"by": "aria-labelledby", "id": "allowAnonymizedDataResearch"},
            )
        ),
        f"{RULE_FILE}: rule 'share-with-partners': switch[1]: the switch labelled by "
        f"'allowAnonymizedDataResearch' on {RESEARCH_PAGE} is already claimed by rule "
        f"'research' (switch[0])",
    ),
    case(
        "same-element-id",
        edit_rules(
            share_page(
                "research", COOKIES_PAGE, {"by": "element-id", "id": "nonEssentialCookieConsent"}
            )
        ),
        f"{RULE_FILE}: rule 'non-essential-cookies': switch[0]: the element with id "
        f"'nonEssentialCookieConsent' on {COOKIES_PAGE} is already claimed by rule 'research'",
    ),
    case(
        "same-label-text-as-the-engine-normalizes-it",
        edit_rules(
            share_page(
                "share-with-partners",
                AI_PAGE,
                {
                    "by": "label-text",
                    "lang": "fr",
                    # other case, spacing, apostrophe shape and Unicode form (full-width IA)
                    "text": " UTILISER mes  données pour entraîner des modèles d'ＩＡ de "
                    "création de contenu",
                },
            )
        ),
        f"{RULE_FILE}: rule 'share-with-partners': switch[1]: the switch whose label reads "
        '"utiliser mes données pour entraîner des modèles d\'ia de création de contenu" on '
        f"{AI_PAGE} is already claimed by rule 'ai-training' (switch[3])",
    ),
    case(
        "same-label-text-in-another-language",  # the engine ignores the step's language
        edit_rules(
            share_page(
                "share-with-partners",
                AI_PAGE,
                {
                    "by": "label-text",
                    "lang": "nl",
                    "text": "Use my data for training content creation AI models",
                },
            )
        ),
        f"{RULE_FILE}: rule 'share-with-partners': switch[1]:",
        "already claimed by rule 'ai-training' (switch[1])",
    ),
    case(
        "page-level-step-on-a-shared-page",
        edit_rules(share_page("ads-by-age", RESEARCH_PAGE)),
        f"{RULE_FILE}: rule 'research': switch[1]: 'only-switch' takes whatever switch "
        f"{RESEARCH_PAGE} shows, and rule 'ads-by-age' switches one there too",
    ),
    case(
        "page-level-step-before-a-precise-one",
        edit_rules(lambda d: rule(d, "research")["switch"].reverse()),
        f"{RULE_FILE}: rule 'research': switch[0]: 'only-switch' takes whatever switch the "
        "page shows, so it must be the last step (of 2)",
    ),
    case(
        "step-kind-the-overlap-check-does-not-know",
        both(
            allow_step_kind("xpath"),
            edit_rules(lambda d: rule(d, "research")["switch"].insert(0, {"by": "xpath"})),
        ),
        f"{RULE_FILE}: rule 'research': switch[0]: step 'xpath': "
        "tools/build/rules.py (step_target) does not know what it finds",
    ),
    case(
        "two-files-claim-one-switch",
        second_rule_file(
            lambda d: d["rules"][0].update(
                pages=[AI_PAGE],
                slugs=["data-for-ai-improvement"],
                switch=[{"by": "aria-labelledby", "id": "allowDataForGenerativeAI"}],
            )
        ),
        "extension/rules/more.json: rule 'research-elsewhere': switch[0]: the switch labelled "
        f"by 'allowDataForGenerativeAI' on {AI_PAGE} is already claimed by rule 'ai-training'",
    ),
    case(
        "same-rule-id-in-two-files",
        second_rule_file(lambda d: d["rules"][0].update(id="research")),
        "extension/rules/more.json: rule 'research': id: also defined in "
        "extension/rules/linkedin.json",
    ),
    case(
        "same-rule-id-in-one-file",
        edit_rules(lambda d: rule(d, "ads-by-age").update(id="research")),
        f"{RULE_FILE}: rule 'research': id: used by another rule",
    ),
    case(
        "two-files-two-sites",
        second_rule_file(lambda d: d["site"]["timing"].update(limitMs=30000)),
        "extension/rules/more.json: site: differs from the site in "
        "extension/rules/linkedin.json; keep one site per build",
    ),
    # -------- selectors
    case(
        "app-ready-selector-does-not-parse",
        edit_rules(lambda d: d["site"].update(appReady="main >")),
        f"{RULE_FILE}: site.appReady: 'main >' is not a CSS selector browsers accept: "
        "Expected selector, got <EOF at 6>",
    ),
    case(
        "save-error-selector-does-not-parse",
        edit_rules(lambda d: rule(d, "research").update(saveError='[role="alert"')),
        f"{RULE_FILE}: rule 'research': saveError: '[role=\"alert\"' is not a CSS selector "
        "browsers accept: Expected ']', got <EOF at 13>",
    ),
    case(
        "save-error-selector-only-cssselect-knows",
        edit_rules(lambda d: rule(d, "research").update(saveError='div:contains("failed")')),
        f"{RULE_FILE}: rule 'research': saveError: ",
        ":contains() is cssselect's own; browsers do not know it",
    ),
    case(
        "save-error-selector-unknown-pseudo-class",
        edit_rules(lambda d: rule(d, "research").update(saveError="div:alert")),
        f"{RULE_FILE}: rule 'research': saveError: 'div:alert' is not a CSS selector browsers "
        "accept: The pseudo-class :alert is unknown",
    ),
    case(
        "hub-row-selector-does-not-parse",
        edit_rules(lambda d: d["site"]["hubs"][0].update(row="a[href")),
        f"{RULE_FILE}: site.hubs[0].row: 'a[href' is not a CSS selector browsers accept",
    ),
    case(
        "hub-without-its-section",
        edit_rules(lambda d: d["site"]["hubs"][0].pop("section")),
        f"{RULE_FILE}: site.hubs[0].section: missing",
    ),
    case(
        "hub-page-outside-the-settings",
        edit_rules(lambda d: d["site"]["hubs"][0]["pages"].append("/feed")),
        f"{RULE_FILE}: site.hubs[0].pages[1]: '/feed' is outside site.settingsPaths",
    ),
    case(
        "hub-lists-a-rule-page-as-no-switch",
        edit_rules(lambda d: d["site"]["hubs"][0]["notSwitches"].append(AI_PAGE)),
        f"{RULE_FILE}: site.hubs[0].notSwitches[3]: '{AI_PAGE}' is a rule's page",
    ),
    case(
        "hub-unconfirmed-language-without-heading",
        edit_rules(lambda d: d["site"]["hubs"][0]["unconfirmed"].append("sv")),
        f"{RULE_FILE}: site.hubs[0].unconfirmed[7]: 'sv' has no heading in section",
    ),
    # -------- paths
    case(
        "settings-paths-the-whole-site",
        edit_rules(lambda d: d["site"].update(settingsPaths=["/*"])),
        f"{RULE_FILE}: site.settingsPaths[0]: '/*' reaches beyond the site's settings areas "
        "(/mypreferences/, /psettings/)",
    ),
    case(
        "settings-paths-the-feed",
        edit_rules(lambda d: d["site"]["settingsPaths"].append("/feed/*")),
        f"{RULE_FILE}: site.settingsPaths[1]: '/feed/*' reaches beyond",
    ),
    case(
        "settings-paths-a-prefix-without-its-slash",
        edit_rules(lambda d: d["site"].update(settingsPaths=["/mypreferences*"])),
        f"{RULE_FILE}: site.settingsPaths[0]: '/mypreferences*' reaches beyond",
    ),
    case(
        "page-outside-the-settings",
        edit_rules(lambda d: rule(d, "research")["pages"].append("/feed")),
        f"{RULE_FILE}: rule 'research': pages[1]: '/feed' is outside site.settingsPaths, so the "
        "content script would never run there",
    ),
    case(
        "page-climbing-out-of-the-settings",
        edit_rules(lambda d: rule(d, "research")["pages"].append("/mypreferences/../feed")),
        f"{RULE_FILE}: rule 'research': pages[1]: '/mypreferences/../feed' is not a plain path",
    ),
    case(
        "site-with-no-known-settings-areas",
        edit_rules(lambda d: d["site"].update(origin="https://www.example.com")),
        f"{RULE_FILE}: site.origin: no settings areas are known for "
        "'https://www.example.com' (SETTINGS_AREAS in tools/build/rules.py)",
    ),
    # -------- the rule file itself
    case(
        "rule-file-not-utf8",
        write(RULE_FILE, b'{"site": "LinkedIn \xff"}'),
        f"{RULE_FILE}: not UTF-8 text (byte 0xff at offset 19)",
    ),
    case(
        "rule-file-not-json",
        write(RULE_FILE, b'{"site": {,}'),
        f"{RULE_FILE}: invalid JSON at line 1, column 11",
    ),
    case(
        "rule-file-key-given-twice",
        write(RULE_FILE, b'{"site": {}, "site": {}, "rules": []}'),
        f"{RULE_FILE}: the key 'site' appears twice in one object",
    ),
    case(
        "rule-file-is-a-folder",
        make_folder("extension/rules/more.json"),
        "extension/rules/more.json: a folder where a file should be",
    ),
    case(
        "rule-file-is-a-dangling-link",
        dangling_link(RULE_FILE),
        f"{RULE_FILE}: a link to ",
        "nowhere.json, which does not exist",
    ),
    case(
        "rule-missing-a-field",
        edit_rules(lambda d: rule(d, "research").pop("saveError")),
        f"{RULE_FILE}: rule 'research': saveError: missing",
    ),
    # -------- schema.json
    case(
        "schema-not-json",
        write(SCHEMA_FILE, b"{ not json"),
        f"{SCHEMA_FILE}: invalid JSON at line 1, column 3",
    ),
    case(
        "schema-not-a-json-schema",
        edit_json(SCHEMA_FILE, lambda s: s["properties"]["site"].update(type="objekt")),
        f"{SCHEMA_FILE}: properties.site.type: not a valid JSON Schema",
    ),
    case(
        "schema-is-a-folder",
        make_folder(SCHEMA_FILE),
        f"{SCHEMA_FILE}: a folder where a file should be",
    ),
    case(
        "schema-is-a-dangling-link",
        dangling_link(SCHEMA_FILE),
        f"{SCHEMA_FILE}: a link to ",
        "which does not exist",
    ),
    # -------- locales
    case("en-messages-missing", remove(EN), f"{EN}: missing"),
    case(
        "en-messages-not-json",
        write(EN, b'{"extName": {"message": "x"},}'),
        f"{EN}: invalid JSON at line 1, column 30",
    ),
    case("en-messages-a-folder", make_folder(EN), f"{EN}: a folder where a file should be"),
    case("en-messages-a-dangling-link", dangling_link(EN), f"{EN}: a link to "),
    case(
        "en-messages-not-an-object",
        write(EN, b"[]"),
        f"{EN}: (top level): not an object of messages",
    ),
    case(
        "translation-without-message",
        edit_json(DE, lambda m: m["sweepDone"].pop("message")),
        f"{DE}: sweepDone.message: missing",
    ),
    case(
        "translation-uses-an-undefined-placeholder",
        edit_json(DE, lambda m: m["sweepDone"].update(message="$OFF$ von $ALL$ sind aus.")),
        f"{DE}: sweepDone.message: uses $ALL$, which sweepDone.placeholders does not define",
    ),
    case(
        "translation-leaves-out-a-placeholder",
        edit_json(DE, lambda m: m["stateOffDetail"].update(message="Bestätigt")),
        f"{DE}: stateOffDetail.message: leaves out $TIME$, which en shows",
    ),
    case(
        "translation-defines-other-placeholders",
        edit_json(
            DE,
            lambda m: m["stateOffDetail"].update(
                message="Bestätigt $ZEIT$", placeholders={"zeit": {"content": "$1"}}
            ),
        ),
        f"{DE}: stateOffDetail.placeholders: differ from en",
    ),
    case(
        "placeholder-without-content",
        edit_json(DE, lambda m: m["stateOffDetail"]["placeholders"]["time"].pop("content")),
        f"{DE}: stateOffDetail.placeholders.time.content: missing",
    ),
    case(
        "translation-missing-a-message",
        edit_json(DE, lambda m: m.pop("recordOn")),
        f"{DE}: recordOn: missing (it is in en)",
    ),
    case(
        "language-without-messages",
        lambda s: (s.project / "extension/_locales/sv").mkdir(),
        "extension/_locales/sv/messages.json: missing",
    ),
    case(
        "message-the-code-uses-missing-everywhere",
        edit_every_locale(lambda m: m.pop("recordCopied")),
        f"{EN}: recordCopied: missing (used in extension/",
    ),
    case(
        "lookup-table-value-missing-everywhere",
        edit_script('"save-error": "failedSaveError",', '"save-error": "failedSaveErrorr",'),
        f"{EN}: failedSaveErrorr: missing (used in extension/",
    ),
    case(
        "lookup-table-gains-a-key-no-language-has",
        edit_script(
            '"timed-out": "failedTimedOut",', '"timed-out": "failedTimedOut", x: "failedX",'
        ),
        f"{EN}: failedX: missing (used in extension/",
    ),
    case(
        "lookup-table-column-value-missing-everywhere",
        edit_script('title: "badgeFailed"', 'title: "badgeBroken"'),
        f"{EN}: badgeBroken: missing (used in extension/",
    ),
    case(
        "constant-holding-a-key-missing-everywhere",
        edit_script('? "stateOnByMember"', '? "stateOnMember"'),
        f"{EN}: stateOnMember: missing (used in extension/",
    ),
    case(
        "key-made-at-run-time",
        edit_script('"save-error": "failedSaveError",', '"save-error": t(`failed${"Save"}`),'),
        '`failed${"Save"}`: a message key made at run time that the build cannot check',
    ),
    case(
        "rule-message-missing-everywhere",
        edit_every_locale(lambda m: m.pop("rule_research_name")),
        f"{EN}: rule_research_name: missing (rule 'research' needs it)",
    ),
    case(
        "html-message-missing-everywhere",
        edit_every_locale(lambda m: m.pop("optOutNow")),
        f"{EN}: optOutNow: missing (used in extension/popup/popup.html:",
    ),
    case(
        "manifest-message-missing-everywhere",
        edit_every_locale(lambda m: m.pop("actionTitle")),
        f"{EN}: actionTitle: missing (used in extension/templates/manifest.json.j2:",
    ),
    # -------- icon, version
    case("icon-missing", remove(ICON), f"{ICON}: missing"),
    case("icon-a-folder", make_folder(ICON), f"{ICON}: a folder where a file should be"),
    case("icon-a-dangling-link", dangling_link(ICON), f"{ICON}: a link to "),
    case("icon-not-an-image", write(ICON, b"not a picture"), f"{ICON}: not an image"),
    case(
        "icon-not-square",
        write(ICON, png(128, 100)),
        f"{ICON}: 128x100 pixels; the icon must be square and at least 128 pixels wide",
    ),
    case("pyproject-missing", remove("pyproject.toml"), "pyproject.toml: missing"),
    case(
        "pyproject-without-version",
        write("pyproject.toml", b'[project]\nname = "linkedin-ai-optout"\n'),
        "pyproject.toml: project.version: missing",
    ),
    case(
        "pyproject-not-toml",
        write("pyproject.toml", b"[project\n"),
        "pyproject.toml: invalid TOML",
    ),
    # -------- the output folder
    case(
        "out-names-a-file",
        lambda s: (s.place / "notes.txt").write_text("mine\n", encoding="utf-8"),
        "/place/notes.txt: a file, not a folder to build into",
        args=out_is("notes.txt"),
    ),
    case(
        "out-inside-a-file",
        lambda s: (s.place / "notes.txt").write_text("mine\n", encoding="utf-8"),
        "/place/notes.txt/dist: ",
        "notes.txt is a file, not a folder",
        args=out_is("notes.txt/dist"),
    ),
    case(
        "browser-folder-holds-a-folder-of-the-members",
        lambda s: (
            (s.out / "chrome/my-notes").mkdir()
            or (s.out / "chrome/my-notes/todo.txt").write_text("mine\n", encoding="utf-8")
        ),
        "/out/chrome/my-notes: not written by a build, and the build replaces ",
    ),
    case(
        "browser-folder-holds-a-file-of-the-members",
        lambda s: (s.out / "firefox/README.txt").write_text("mine\n", encoding="utf-8"),
        "/out/firefox/README.txt: not written by a build",
    ),
    case(
        "browser-folder-is-a-link",
        lambda s: (
            shutil.rmtree(s.out / "chrome")
            or (s.place / "mine").mkdir()
            or (s.out / "chrome").symlink_to(s.place / "mine")
        ),
        "/out/chrome: not a folder the build wrote; move it away",
    ),
    case(
        "package-is-a-folder",
        lambda s: (
            (s.out / f"{make.package_name(make.read_version(), 'chrome')}").unlink()
            or (s.out / f"{make.package_name(make.read_version(), 'chrome')}").mkdir()
        ),
        "-chrome.zip: not a package the build wrote; move it away",
    ),
    case(
        "rules-folder-missing",
        lambda s: None,
        "/place/no-rules: not a folder of rule files",
        args=("--out", "@place/out", "--rules", "@place/no-rules"),
    ),
]


@pytest.mark.parametrize("broken", CASES)
def test_build_rejects(broken: Case, scratch: Scratch) -> None:
    broken.breaker(scratch)
    before = snapshot(scratch.place)
    args = [arg.replace("@place", str(scratch.place)) for arg in broken.args]
    result = run_build(scratch.project, *(args or ["--out", str(scratch.out)]))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("build.py: error: "), result.stderr
    for expected in broken.expected:
        assert expected in lines[0]
    assert snapshot(scratch.place) == before, "a failed build must leave the output as it was"


# ---------------------------------------------------------------- what still builds


def test_shipped_rules_and_sources_build(scratch: Scratch) -> None:
    result = run_build(scratch.project, "--out", str(scratch.out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    version = make.read_version()
    assert result.stdout.splitlines() == [
        f"built {scratch.out / make.package_name(version, browser)}" for browser in make.BROWSERS
    ]
    assert [rule["id"] for rule in make.load_rules().rules][:2] == ["ai-training", "research"]


def test_every_shipped_rule_ends_with_the_page_level_step() -> None:
    assert all(r["switch"][-1] == {"by": "only-switch"} for r in make.load_rules().rules)


def test_rebuild_replaces_what_an_earlier_build_wrote(scratch: Scratch) -> None:
    """A file an earlier build wrote and this one does not (a renamed script) goes away."""
    (scratch.out / "chrome/old-script.js").write_text("old\n", encoding="utf-8")
    record = json.loads((scratch.out / make.BUILD_RECORD).read_text(encoding="utf-8"))
    record["chrome"].append("old-script.js")
    (scratch.out / make.BUILD_RECORD).write_text(json.dumps(record), encoding="utf-8")
    assert run_build(scratch.project, "--out", str(scratch.out)).returncode == 0
    assert not (scratch.out / "chrome/old-script.js").exists()
    assert (scratch.out / "chrome/manifest.json").is_file()


def test_folder_from_before_the_record_is_replaced_when_it_holds_only_built_files(
    scratch: Scratch,
) -> None:
    (scratch.out / make.BUILD_RECORD).unlink()
    assert run_build(scratch.project, "--out", str(scratch.out)).returncode == 0
    assert (scratch.out / make.BUILD_RECORD).is_file()


def test_member_folder_beside_the_browser_folders_is_kept(scratch: Scratch) -> None:
    (scratch.out / "my-notes").mkdir()
    (scratch.out / "my-notes/todo.txt").write_text("mine\n", encoding="utf-8")
    assert run_build(scratch.project, "--out", str(scratch.out)).returncode == 0
    assert (scratch.out / "my-notes/todo.txt").read_text(encoding="utf-8") == "mine\n"
