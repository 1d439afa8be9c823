"""The store listing (store/) and the privacy policy (PRIVACY.md): the build refuses a listing
that lacks a field or a text over a store's limit, with one line naming the file and field;
the forms agree with the manifest; the privacy policy names every stored key and its limit."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.build.helpers import listing_copy, listing_problem, set_message
from tools.build import listing, make

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("de", "en", "es", "fr", "it", "ja", "nl", "pt_BR")


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return listing_copy(tmp_path, monkeypatch)


problem = listing_problem


def test_the_listing_has_every_language_and_passes() -> None:
    listing.check(ROOT)
    assert tuple(listing.languages(ROOT)) == LANGUAGES
    for language in LANGUAGES:
        assert (ROOT / "store" / "listing" / f"{language}.toml").is_file()


def test_a_listing_without_its_description_fails(root: Path) -> None:
    (root / "store/listing/de.toml").write_text("# no description\n", encoding="utf-8")
    assert problem(root) == "store/listing/de.toml: description: missing"


def test_a_language_without_a_listing_fails(root: Path) -> None:
    (root / "store/listing/ja.toml").unlink()
    assert problem(root) == "store/listing/ja.toml: missing"


def test_a_short_description_over_132_characters_fails(root: Path) -> None:
    set_message(root, "fr", "extDescription", "x" * 133)
    assert problem(root) == (
        "extension/_locales/fr/messages.json: extDescription: 133 characters, over the Chrome "
        "Web Store's limit of 132 for the short description"
    )


def test_a_short_description_of_132_characters_passes(root: Path) -> None:
    set_message(root, "fr", "extDescription", "x" * 132)
    listing.check(root)


def test_a_name_over_50_characters_fails_for_addons_mozilla_org(root: Path) -> None:
    set_message(root, "nl", "extName", "n" * 51)
    assert problem(root) == (
        "extension/_locales/nl/messages.json: extName: 51 characters, over addons.mozilla.org's "
        "limit of 50 for the name"
    )


def test_a_description_over_16000_characters_fails(root: Path) -> None:
    file = root / "store/listing/it.toml"
    url = tomllib.loads((root / "store/chrome-web-store.toml").read_text())["privacy_policy_url"]
    file.write_text(f'description = "{"d" * 16_000} {url}"\n', encoding="utf-8")
    assert problem(root) == (
        f"store/listing/it.toml: description: {16_001 + len(url):,} characters, over the Chrome "
        "Web Store's limit of 16,000 for the description"
    )


def test_a_description_without_the_privacy_policy_link_fails(root: Path) -> None:
    (root / "store/listing/es.toml").write_text('description = "Sin enlace."\n', encoding="utf-8")
    assert problem(root).startswith(
        "store/listing/es.toml: description: does not link the privacy policy (https://"
    )


def test_every_shared_text_is_a_line_of_its_listing() -> None:
    for language in LANGUAGES:
        messages = json.loads(
            (ROOT / "extension" / "_locales" / language / "messages.json").read_text("utf-8")
        )
        shared = [key for key in messages if key.startswith("listing")]
        assert len(shared) == 11, language
        description = (ROOT / "store" / "listing" / f"{language}.toml").read_text("utf-8")
        for key in shared:
            assert messages[key]["message"] in description, (language, key)


def test_a_first_run_text_differing_from_the_listing_fails(root: Path) -> None:
    set_message(root, "fr", "listingNever1", "Elle n’active jamais rien.")
    assert problem(root) == (
        "store/listing/fr.toml: description: has no line with the text of listingNever1 in "
        "extension/_locales/fr/messages.json (the first-run page shows it: the two must be "
        "the same)"
    )


def test_a_listing_line_edited_alone_fails(root: Path) -> None:
    file = root / "store/listing/en.toml"
    edited = file.read_text("utf-8").replace("What it never does", "What it will never do")
    file.write_text(edited, encoding="utf-8")
    assert "text of listingNeverTitle in extension/_locales/en/messages.json" in problem(root)


def test_a_form_without_a_justification_fails(root: Path) -> None:
    form = root / "store/chrome-web-store.toml"
    text = form.read_text(encoding="utf-8")
    form.write_text(re.sub(r'(?ms)^storage = """.*?"""\n', "", text), encoding="utf-8")
    assert problem(root) == "store/chrome-web-store.toml: justification.storage: missing"


def test_build_stops_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    """`python build.py` from a checkout whose German listing lacks its description."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for entry in ROOT.iterdir():
        if entry.name in {"store", "dist", "build.py", "tools", ".git"}:
            continue
        (checkout / entry.name).symlink_to(entry)
    # Copied, not linked: the build finds the checkout from where its modules are.
    shutil.copy(ROOT / "build.py", checkout / "build.py")
    shutil.copytree(ROOT / "tools", checkout / "tools", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copytree(ROOT / "store", checkout / "store")
    (checkout / "store/listing/de.toml").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "build.py", "--out", str(out)],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == "build.py: error: store/listing/de.toml: description: missing\n"
    assert not out.exists()


# ---------------------------------------------------------------- forms against the package


@pytest.fixture(scope="module")
def manifests(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("dist")
    make.build(out=out)
    return {
        browser: json.loads((out / browser / "manifest.json").read_text(encoding="utf-8"))
        for browser in make.BROWSERS
    }


def form(name: str) -> dict:
    return tomllib.loads((ROOT / "store" / name).read_text(encoding="utf-8"))


def test_every_permission_has_a_justification_and_no_more(manifests: dict[str, dict]) -> None:
    chrome = manifests["chrome"]
    justification = form("chrome-web-store.toml")["justification"]
    assert set(justification) == {*chrome["permissions"], "host_permissions"}
    hosts = justification["host_permissions"]
    matches = [match for script in chrome["content_scripts"] for match in script["matches"]]
    for pattern in [*chrome["host_permissions"], *matches]:
        assert pattern in hosts


def test_nothing_is_collected_as_the_manifest_declares(manifests: dict[str, dict]) -> None:
    assert form("chrome-web-store.toml")["data_usage"]["collected"] == []
    gecko = manifests["firefox"]["browser_specific_settings"]["gecko"]
    assert gecko["data_collection_permissions"] == {"required": ["none"]}
    assert form("addons.mozilla.org.toml")["data_collection"] == "none"


def test_the_amo_license_is_the_projects() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert form("addons.mozilla.org.toml")["license"] == project["license"] == "MIT"


# ---------------------------------------------------------------- the privacy policy


def stored_keys() -> dict[str, set[str]]:
    """Every key the extension may keep in storage.local and storage.session: the keys of
    DEFAULTS in extension/background/storage.js, which refuses any other key."""
    source = (ROOT / "extension/background/storage.js").read_text(encoding="utf-8")
    keys: dict[str, set[str]] = {}
    for area in ("local", "session"):
        block = re.search(rf"^  {area}: {{\n(.*?)^  }},", source, re.MULTILINE | re.DOTALL)
        keys[area] = set(re.findall(r"^    (\w+):", block.group(1), re.MULTILINE))
    return keys


def policy_section(heading_words: str) -> str:
    policy = (ROOT / "PRIVACY.md").read_text(encoding="utf-8")
    start = policy.index(heading_words)
    end = policy.find("\n## ", start)
    return policy[start:end]


def documented_keys(table_text: str) -> set[str]:
    return set(re.findall(r"^\| `(\w+)`", table_text, re.MULTILINE))


def test_the_privacy_policy_names_exactly_what_is_stored() -> None:
    stored = policy_section("## What it stores")
    local, session = stored.split("(`storage.session`)")
    keys = stored_keys()
    assert keys["local"] == {
        "history", "latest", "chosen", "automatic", "lastSweep", "repaired",
        "recheck", "switchedBackOn", "hubUnknown",
    }  # fmt: skip
    assert documented_keys(local) == keys["local"]
    assert documented_keys(session) == keys["session"] == {"run"}


def test_the_privacy_policy_states_the_history_limit_the_code_keeps() -> None:
    storage = (ROOT / "extension/background/storage.js").read_text(encoding="utf-8")
    limit = re.search(r"HISTORY_LIMIT = (\d+)", storage).group(1)
    days = int(re.search(r"PROOF_KEPT_DAYS = (\d+)", storage).group(1))
    stored = policy_section("## What it stores")
    assert f"the last {limit} visits" in stored
    assert days >= 730 and "at least 2 years" in stored


def test_the_privacy_policy_is_linked_from_readme_and_listing() -> None:
    assert "(PRIVACY.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    url = form("chrome-web-store.toml")["privacy_policy_url"]
    assert url.endswith("/PRIVACY.md")
    for language in LANGUAGES:
        description = tomllib.loads((ROOT / f"store/listing/{language}.toml").read_text())
        assert url in description["description"]
