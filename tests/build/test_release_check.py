"""`python build.py release --check`: the real release passes every store's checks, and each
test breaks one package of a copy of it the way a real mistake would, and expects the one line
naming the package, the store and the rule (exit status 1, no traceback)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

import build
from tools.build import make, release, storecheck
from tools.build.output import zip_bytes

ROOT = Path(__file__).resolve().parents[2]
VERSION = make.read_version()
CHROME = f"linkedin-ai-optout-{VERSION}-chrome.zip"
FIREFOX = f"linkedin-ai-optout-{VERSION}-firefox.zip"
SOURCE = f"linkedin-ai-optout-{VERSION}-source.zip"
ERROR = "build.py release --check: error: "

Files = dict[str, bytes]


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "release"
    release.release(out, build.store_packages)
    return out


@pytest.fixture
def folder(released: Path, tmp_path: Path) -> Path:
    """A copy of the release to break."""
    return Path(shutil.copytree(released, tmp_path / "release"))


def check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", "release", "--check", "--out", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def error_line(folder: Path) -> str:
    """The one line of a failed check, without its prefix."""
    result = check(folder)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(ERROR)
    return lines[0].removeprefix(ERROR)


def rewrite(folder: Path, name: str, change: Callable[[Files], None]) -> None:
    """Changes the files of one package of the release, and packs it again."""
    with zipfile.ZipFile(folder / name) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    change(files)
    (folder / name).write_bytes(zip_bytes(files))


def edit_json(files: Files, name: str, change: Callable[[dict], None]) -> None:
    data = json.loads(files[name])
    change(data)
    files[name] = json.dumps(data, ensure_ascii=False, indent=2).encode()


def edit_manifest(folder: Path, name: str, change: Callable[[dict], None]) -> None:
    rewrite(folder, name, lambda files: edit_json(files, "manifest.json", change))


def set_message(folder: Path, name: str, key: str, text: str) -> None:
    def change(messages: dict) -> None:
        messages[key]["message"] = text

    rewrite(folder, name, lambda files: edit_json(files, "_locales/en/messages.json", change))


def png(size: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (size, size), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_real_release_passes_every_check(released: Path) -> None:
    result = check(released)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    stores = {line.split(": ")[2] for line in lines[:-1]}
    assert stores == {"Chrome Web Store", "Microsoft Edge Add-ons", "addons.mozilla.org"}
    assert all(line.startswith("ok: ") for line in lines[:-1])
    assert f"ok: {SOURCE}: addons.mozilla.org: rebuild: both store packages rebuilt byte for " in (
        result.stdout
    )
    assert lines[-1].endswith(": every check passed")


# ---------------------------------------------------------------- Chrome Web Store


def test_chrome_a_package_without_its_128_px_icon_is_refused(folder: Path) -> None:
    def drop_icon(files: Files) -> None:
        edit_json(files, "manifest.json", lambda m: m["icons"].pop("128"))
        del files["icons/icon-128.png"]

    rewrite(folder, CHROME, drop_icon)
    assert error_line(folder) == (
        f"{CHROME}: Chrome Web Store: icons: no 128 px icon (the manifest declares 16, 32, 48)"
    )


def test_chrome_a_128_px_icon_of_the_wrong_size_is_refused(folder: Path) -> None:
    rewrite(folder, CHROME, lambda files: files.update({"icons/icon-128.png": png(96)}))
    assert error_line(folder) == (
        f"{CHROME}: Chrome Web Store: icons: icons/icon-128.png is 96x96, not 128x128"
    )


def test_chrome_a_description_over_132_characters_is_refused(folder: Path) -> None:
    set_message(folder, CHROME, "extDescription", "Switches it off. " * 8 + "Nothing leaves.")
    assert error_line(folder) == (
        f"{CHROME}: Chrome Web Store: description: 151 characters in en, over the 132 the "
        "store shows"
    )


def test_chrome_a_version_the_store_refuses(folder: Path) -> None:
    edit_manifest(folder, CHROME, lambda m: m.update(version="0.01.0"))
    assert error_line(folder) == (
        f"{CHROME}: Chrome Web Store: version: '0.01.0' is not a version the store accepts"
    )


def test_chrome_a_remote_script_is_refused(folder: Path) -> None:
    def add_script(files: Files) -> None:
        page = files["popup/popup.html"].decode()
        remote = '<script src="https://cdn.example.com/x.js"></script></head>'
        files["popup/popup.html"] = page.replace("</head>", remote).encode()

    rewrite(folder, CHROME, add_script)
    assert error_line(folder) == (
        f"{CHROME}: Chrome Web Store: remote code: popup/popup.html has '<script src=\"https://'"
    )


def test_a_missing_package_is_named(folder: Path) -> None:
    (folder / FIREFOX).unlink()
    assert error_line(folder) == f"{FIREFOX}: missing from {folder} (run build.py release)"


# ---------------------------------------------------------------- Microsoft Edge Add-ons


def test_edge_a_listing_naming_chrome_is_refused(folder: Path) -> None:
    def mention_chrome(files: Files) -> None:
        listing = files["store/listing/en.toml"].decode()
        files["store/listing/en.toml"] = listing.replace(
            'description = """\n', 'description = """\nWorks in Chrome too.\n', 1
        ).encode()

    rewrite(folder, SOURCE, mention_chrome)
    assert error_line(folder) == (
        f"{CHROME}: Microsoft Edge Add-ons: listing: store/listing/en.toml: description names "
        "'Chrome' (Edge's listing names no other browser)"
    )


def test_edge_a_package_name_naming_chrome_is_refused(folder: Path) -> None:
    """The Chrome Web Store takes the name; Edge shows the same package's name, and refuses it."""
    set_message(folder, CHROME, "extName", "LinkedIn AI Opt-Out for Chrome")
    assert error_line(folder) == (
        f"{CHROME}: Microsoft Edge Add-ons: listing: name (en) names 'Chrome' (Edge's listing "
        "names no other browser)"
    )


def test_edge_a_name_over_45_characters_is_refused(folder: Path) -> None:
    """48 characters: within the Chrome Web Store's 75, over Edge's 45."""
    set_message(folder, CHROME, "extName", "LinkedIn AI Opt-Out: Generative AI data settings")
    assert error_line(folder) == (
        f"{CHROME}: Microsoft Edge Add-ons: name: 48 characters in en ('LinkedIn AI Opt-Out: "
        "Generative AI data settings'), over the 45 the store accepts"
    )


def test_edge_a_compressed_file_in_the_package_is_refused(folder: Path) -> None:
    rewrite(folder, CHROME, lambda files: files.update({"rules/data.json.gz": b"\x1f\x8b"}))
    assert error_line(folder) == (
        f"{CHROME}: Microsoft Edge Add-ons: compressed file: rules/data.json.gz (Edge refuses "
        "a package holding one)"
    )


# ---------------------------------------------------------------- addons.mozilla.org


def gecko(manifest: dict) -> dict:
    return manifest["browser_specific_settings"]["gecko"]


def test_amo_a_package_without_data_collection_permissions_is_refused(folder: Path) -> None:
    edit_manifest(folder, FIREFOX, lambda m: gecko(m).pop("data_collection_permissions"))
    assert error_line(folder) == (
        f"{FIREFOX}: addons.mozilla.org: browser_specific_settings.gecko."
        "data_collection_permissions: missing (required for new add-ons since November 2025; "
        '{"required": ["none"]} when nothing is collected)'
    )


def test_amo_a_minimum_version_below_140_is_refused(folder: Path) -> None:
    edit_manifest(folder, FIREFOX, lambda m: gecko(m).update(strict_min_version="128.0"))
    assert error_line(folder) == (
        f"{FIREFOX}: addons.mozilla.org: browser_specific_settings.gecko.strict_min_version: "
        "'128.0'; data_collection_permissions needs Firefox 140 or later"
    )


def test_amo_an_android_minimum_below_142_is_refused(folder: Path) -> None:
    edit_manifest(folder, FIREFOX, lambda m: m["browser_specific_settings"].pop("gecko_android"))
    assert error_line(folder) == (
        f"{FIREFOX}: addons.mozilla.org: browser_specific_settings.gecko_android."
        "strict_min_version: None; data_collection_permissions needs Firefox for Android 142 "
        "or later"
    )


def test_amo_a_package_without_its_id_is_refused(folder: Path) -> None:
    edit_manifest(folder, FIREFOX, lambda m: gecko(m).pop("id"))
    assert error_line(folder) == (
        f"{FIREFOX}: addons.mozilla.org: browser_specific_settings.gecko.id: missing (signing "
        "needs it)"
    )


def test_amo_eval_in_a_script_is_refused(folder: Path) -> None:
    def add_eval(files: Files) -> None:
        files["background.js"] += b"\neval(atob(self.payload));\n"

    rewrite(folder, FIREFOX, add_eval)
    assert error_line(folder) == (
        f"{FIREFOX}: addons.mozilla.org: remote code: background.js has 'eval('"
    )


def test_a_package_over_the_size_limit_is_refused(released: Path) -> None:
    """200 MB of zip is too slow to write for a test: the rule, given the size."""
    package = storecheck.read_package(released / FIREFOX)
    oversized = storecheck.Package(package.path, 200 * storecheck.MB + 1, {}, {})
    with pytest.raises(storecheck.CheckFailed) as raised:
        storecheck.check_size(storecheck.AMO, oversized)
    assert str(raised.value) == "size: 209,715,201 bytes, over the store's 200 MB"


def test_amo_a_source_package_that_does_not_rebuild_identically_is_refused(
    folder: Path,
) -> None:
    """The source package's popup stylesheet differs from the one in the packages."""

    def change_style(files: Files) -> None:
        files["extension/popup/popup.css"] += b"\n/* not what was released */\n"

    rewrite(folder, SOURCE, change_style)
    assert error_line(folder) == (
        f"{SOURCE}: addons.mozilla.org: rebuild: {CHROME} built from the source package "
        "differs from the released one"
    )


def test_a_messages_file_that_is_not_json_is_one_line(folder: Path) -> None:
    rewrite(folder, CHROME, lambda files: files.update({"_locales/de/messages.json": b"{oops"}))
    assert error_line(folder).startswith(
        f"{CHROME}: Chrome Web Store: _locales/de/messages.json: not JSON (Expecting property"
    )
