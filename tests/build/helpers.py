"""Helpers several build tests share: a copy of what the listing check reads, its one-line
problem, a message changed in a copy, and a new shell's environment."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from tools.build import listing

ROOT = Path(__file__).resolve().parents[2]


def listing_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of what the listing check reads, as the current folder (messages name files from
    the folder the build runs in)."""
    for folder in ("store", "extension/_locales"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "PRIVACY.md", tmp_path / "PRIVACY.md")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def listing_problem(root: Path) -> str:
    """The one line the listing check refuses `root` with."""
    with pytest.raises(listing.ListingError) as raised:
        listing.check(root)
    return str(raised.value)


def set_message(root: Path, language: str, key: str, text: str) -> None:
    file = root / "extension" / "_locales" / language / "messages.json"
    messages = json.loads(file.read_text(encoding="utf-8"))
    messages[key]["message"] = text
    file.write_text(json.dumps(messages, ensure_ascii=False), encoding="utf-8")


def new_shell_environment() -> dict[str, str]:
    """The environment of a new shell: no virtual environment active (pip's cache is kept)."""
    venv = os.environ.get("VIRTUAL_ENV") or sys.prefix
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["PATH"] = os.pathsep.join(
        p for p in env["PATH"].split(os.pathsep) if not p.startswith((venv, sys.prefix))
    )
    return env
