"""build.py: rendering per browser, rule validation, reproducible packages, lint."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import build
from tools.build import make, output

ROOT = Path(__file__).resolve().parents[2]
FIREFOX_ONLY_KEYS = {"browser_specific_settings"}


def manifest(out: Path, browser: str) -> dict:
    return json.loads((out / browser / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    make.build(out=out)
    return out


def test_builds_both_browsers_with_packages(built: Path) -> None:
    version = make.read_version()
    for browser in make.BROWSERS:
        assert (built / browser / "manifest.json").is_file()
        package = built / f"linkedin-ai-optout-{version}-{browser}.zip"
        with zipfile.ZipFile(package) as archive:
            names = set(archive.namelist())
        assert {"manifest.json", "content.js", "background.js"} <= names
        assert "_locales/en/messages.json" in names


def test_shipped_messages_are_the_sources_without_the_translators_descriptions(built: Path) -> None:
    sources = sorted((ROOT / "extension" / "_locales").glob("*/messages.json"))
    assert len(sources) == 8
    for source in sources:
        expected = json.loads(source.read_text(encoding="utf-8"))
        assert any("description" in message for message in expected.values()), source
        for message in expected.values():
            message.pop("description", None)
        for browser in ("chrome", "firefox"):
            shipped = built / browser / "_locales" / source.parent.name / "messages.json"
            assert json.loads(shipped.read_text(encoding="utf-8")) == expected, shipped


def test_version_comes_from_pyproject(built: Path) -> None:
    for browser in make.BROWSERS:
        assert manifest(built, browser)["version"] == make.read_version()


def test_chrome_manifest_has_no_firefox_keys(built: Path) -> None:
    chrome = manifest(built, "chrome")
    assert chrome["background"] == {"service_worker": "background.js"}
    assert not FIREFOX_ONLY_KEYS & chrome.keys()


def test_firefox_manifest_has_gecko_settings_and_no_service_worker(built: Path) -> None:
    firefox = manifest(built, "firefox")
    assert firefox["background"] == {"scripts": ["background.js"]}
    gecko = firefox["browser_specific_settings"]["gecko"]
    assert gecko["strict_min_version"] == "140.0"
    assert gecko["data_collection_permissions"] == {"required": ["none"]}
    assert firefox["browser_specific_settings"]["gecko_android"]["strict_min_version"] == "142.0"
    assert "minimum_chrome_version" not in firefox


def test_permissions_are_the_fewest(built: Path) -> None:
    for browser in make.BROWSERS:
        data = manifest(built, browser)
        assert data["permissions"] == ["storage", "alarms"]
        assert data["host_permissions"] == ["https://www.linkedin.com/*"]
        assert "optional_permissions" not in data
        [content] = data["content_scripts"]
        assert content["matches"] == ["https://www.linkedin.com/mypreferences/*"]


def test_rules_live_in_the_background_and_the_content_script_knows_no_site(built: Path) -> None:
    for browser in ("chrome", "firefox"):
        background = (built / browser / "background.js").read_text(encoding="utf-8")
        content = (built / browser / "content.js").read_text(encoding="utf-8")
        assert "allowDataForGenerativeAI" in background
        for site_word in ("allowDataForGenerativeAI", "linkedin.com", "mypreferences"):
            assert site_word not in content
        for script in (background, content):
            assert "fetch(" not in script and "XMLHttpRequest" not in script
            assert "innerHTML" not in script


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    packages_one = make.build(out=first)
    packages_two = make.build(out=second)
    for a, b in zip(packages_one, packages_two, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    with zipfile.ZipFile(packages_one[0]) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {output.ZIP_TIMESTAMP}


def test_one_browser_only(tmp_path: Path) -> None:
    assert build.main(["--browser", "firefox", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "firefox").is_dir()
    assert not (tmp_path / "chrome").exists()


# ---------------------------------------------------------------- bad rules


def rule_dir(tmp_path: Path, edit) -> Path:
    """A copy of the real rule folder with linkedin.json changed by `edit(document)`."""
    rules = tmp_path / "rules"
    shutil.copytree(make.RULES_DIR, rules)
    source = rules / "linkedin.json"
    document = json.loads(source.read_text(encoding="utf-8"))
    edit(document)
    source.write_text(json.dumps(document), encoding="utf-8")
    return rules


def build_error(tmp_path: Path, rules: Path, capsys: pytest.CaptureFixture[str]) -> str:
    out = tmp_path / "dist"
    make.build(out=out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code = build.main(["--out", str(out), "--rules", str(rules)])
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert code == 1
    assert after == before, "a failed build must leave dist/ as it was"
    return capsys.readouterr().err


def test_missing_field_names_file_rule_and_field(tmp_path, capsys) -> None:
    rules = rule_dir(tmp_path, lambda d: d["rules"][0].pop("pages"))
    error = build_error(tmp_path, rules, capsys)
    assert "linkedin.json" in error and "rule 'ai-training'" in error and "pages: missing" in error


def test_wrong_type_names_the_field(tmp_path, capsys) -> None:
    def edit(document: dict) -> None:
        document["rules"][0]["pages"] = "/mypreferences/d/settings/data-for-ai-improvement"

    error = build_error(tmp_path, rule_dir(tmp_path, edit), capsys)
    assert "rule 'ai-training': pages:" in error and "is not of type 'array'" in error


def test_unknown_step_is_named(tmp_path, capsys) -> None:
    def edit(document: dict) -> None:
        document["rules"][0]["switch"][1] = {"by": "xpath", "path": "//input"}

    error = build_error(tmp_path, rule_dir(tmp_path, edit), capsys)
    assert "rule 'ai-training': switch[1].by: unknown step 'xpath'" in error


def test_step_missing_its_argument(tmp_path, capsys) -> None:
    def edit(document: dict) -> None:
        document["rules"][0]["switch"][0] = {"by": "aria-labelledby"}

    error = build_error(tmp_path, rule_dir(tmp_path, edit), capsys)
    assert "rule 'ai-training': switch[0].id: missing" in error


def test_invalid_json_names_file_and_line(tmp_path, capsys) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(make.RULES_DIR, rules)
    (rules / "linkedin.json").write_text('{"site": {,}', encoding="utf-8")
    error = build_error(tmp_path, rules, capsys)
    assert "linkedin.json: invalid JSON at line 1" in error


def test_two_rules_claiming_one_switch_fail(tmp_path, capsys) -> None:
    def edit(document: dict) -> None:
        copy = json.loads(json.dumps(document["rules"][0]))
        copy["id"] = "ai-training-again"
        document["rules"].append(copy)

    error = build_error(tmp_path, rule_dir(tmp_path, edit), capsys)
    assert "rule 'ai-training-again'" in error and "already claimed by rule 'ai-training'" in error


def test_page_outside_injected_paths_fails(tmp_path, capsys) -> None:
    def edit(document: dict) -> None:
        document["rules"][0]["pages"].append("/feed")

    error = build_error(tmp_path, rule_dir(tmp_path, edit), capsys)
    assert "rule 'ai-training': pages[2]" in error and "outside site.settingsPaths" in error


def test_command_line_reports_errors_without_traceback(tmp_path: Path) -> None:
    rules = rule_dir(tmp_path, lambda d: d["rules"][0].pop("saveError"))
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "--out",
            str(tmp_path / "d"),
            "--rules",
            str(rules),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("build.py: error: ")
    assert "saveError: missing" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- lint


def test_firefox_build_passes_web_ext_lint(built: Path) -> None:
    assert make.web_ext_command(), "web-ext is missing: run `npm ci`"
    report = make.lint_firefox(built / "firefox")
    problems = [
        (kind, item["code"]) for kind in ("errors", "warnings", "notices") for item in report[kind]
    ]
    assert problems == []


# ---------------------------------------------------------------- modules and bundles


def test_every_bundle_is_a_classic_script_with_its_modules_inside_one_function(built: Path) -> None:
    for browser in make.BROWSERS:
        for name in make.BUNDLES.values():
            script = built / browser / name
            check = subprocess.run(
                ["node", "-e", CLASSIC_SCRIPT_CHECK, str(script)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert check.returncode == 0, f"{script}: {check.stderr}"
            text = script.read_text(encoding="utf-8")
            assert text.count('(() => {\n"use strict";') == 1, script
            assert text.rstrip().endswith("})();"), script


# Compiles the file as a classic script (what the browser runs): an import or export left
# in it is a syntax error.
CLASSIC_SCRIPT_CHECK = (
    "new (require('node:vm').Script)(require('node:fs').readFileSync(process.argv[1], 'utf8'))"
)


def extension_copy(tmp_path: Path, edits: dict[str, object]) -> Path:
    """A copy of extension/ with modules changed: path -> edit(text) (a new text for a new file)."""
    copy = tmp_path / "extension"
    shutil.copytree(make.EXTENSION, copy)
    for name, edit in edits.items():
        module = copy / name
        text = module.read_text(encoding="utf-8") if module.exists() else ""
        module.write_text(edit(text) if callable(edit) else str(edit), encoding="utf-8")
    return copy


def module_error(tmp_path: Path, edits: dict[str, object]) -> str:
    out = tmp_path / "dist"
    with pytest.raises(make.BuildError) as error:
        make.build(out=out, extension_dir=extension_copy(tmp_path, edits))
    assert not out.exists(), "a failed build writes nothing"
    return str(error.value)


def test_an_import_cycle_fails_naming_the_modules(tmp_path: Path) -> None:
    error = module_error(
        tmp_path,
        {"engine/switches.js": lambda text: 'import { watchDom } from "./watch.js";\n' + text},
    )
    assert "import cycle: engine/switches.js -> engine/watch.js -> engine/switches.js" in error


def test_an_import_of_a_missing_file_fails_naming_the_importer(tmp_path: Path) -> None:
    error = module_error(
        tmp_path, {"engine/run.js": lambda text: text.replace('"./watch.js"', '"./wait.js"')}
    )
    assert "engine/run.js:" in error and '"./wait.js"' in error


def test_an_import_of_a_name_no_module_exports_fails(tmp_path: Path) -> None:
    error = module_error(
        tmp_path,
        {"engine/run.js": lambda text: text.replace("{ watchDom }", "{ watchDom, watchAll }")},
    )
    assert "engine/run.js:" in error and '"watchAll"' in error


def test_an_unused_export_fails_naming_it(tmp_path: Path) -> None:
    def edit(text: str) -> str:
        return text + "\nexport function squeeze(text) {\n  return text.trim();\n}\n"

    error = module_error(tmp_path, {"lib/text.js": edit})
    assert "lib/text.js: unused export 'squeeze'" in error


def test_a_module_no_bundle_imports_fails(tmp_path: Path) -> None:
    error = module_error(tmp_path, {"lib/orphan.js": "export const ORPHAN = 1;\n"})
    assert "lib/orphan.js: not imported by any entry of BUNDLES" in error


def test_a_default_export_is_refused(tmp_path: Path) -> None:
    error = module_error(
        tmp_path, {"lib/text.js": lambda text: text + "\nexport default normalizeText;\n"}
    )
    assert "lib/text.js:" in error and "write imports as" in error
