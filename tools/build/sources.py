"""Reading the build's source files so that a bad one stops the build with a clear reason.

Every read names the file and says what is wrong with it (missing, a folder, a link to
nothing, not UTF-8, not JSON, a key given twice) instead of ending in a traceback.
"""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path

from PIL import Image, UnidentifiedImageError

ROOT = Path(__file__).resolve().parents[2]  # the repository: tools/build/sources.py


class BuildError(Exception):
    """A problem in the sources, worded for the person who has to fix it."""


def shown(path: Path) -> str:
    """A path as a person finds it: relative to the current folder when under it."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def read_bytes(path: Path) -> bytes:
    if path.is_symlink() and not path.exists():
        raise BuildError(f"{shown(path)}: a link to {path.readlink()}, which does not exist")
    if path.is_dir():
        raise BuildError(f"{shown(path)}: a folder where a file should be")
    if not path.exists():
        raise BuildError(f"{shown(path)}: missing")
    try:
        return path.read_bytes()
    except OSError as error:
        raise BuildError(f"{shown(path)}: cannot be read ({error.strerror})") from None


def read_text(path: Path) -> str:
    data = read_bytes(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BuildError(
            f"{shown(path)}: not UTF-8 text "
            f"(byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(f"the key {key!r} appears twice in one object")
    return dict(pairs)


def read_json(path: Path) -> object:
    """JSON that means what it says: a key given twice is an error, not 'the last one wins'."""
    text = read_text(path)
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        raise BuildError(
            f"{shown(path)}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except ValueError as error:
        raise BuildError(f"{shown(path)}: {error}") from None


def read_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    try:
        document = tomllib.loads(read_text(pyproject))
    except tomllib.TOMLDecodeError as error:
        raise BuildError(f"{shown(pyproject)}: invalid TOML: {error}") from None
    version = document.get("project", {}).get("version")
    if version is None:
        raise BuildError(f"{shown(pyproject)}: project.version: missing")
    if not isinstance(version, str) or not version.strip():
        raise BuildError(f"{shown(pyproject)}: project.version: not a version string")
    return version


def check_icon(path: Path, min_size: int) -> None:
    """The one source image the toolbar and store icons are scaled down from."""
    data = read_bytes(path)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise BuildError(f"{shown(path)}: not an image the build can read") from None
    if width != height or width < min_size:
        raise BuildError(
            f"{shown(path)}: {width}x{height} pixels; the icon must be square and at least "
            f"{min_size} pixels wide"
        )
