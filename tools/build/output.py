"""Writing the build's output: a folder replaced whole, a file replaced at once, and
reproducible zips with the packages' names."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "linkedin-ai-optout"
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def write_tree(target: Path, files: dict[str, bytes]) -> None:
    """Replace target with exactly these files; a failure leaves the old tree in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    staging.chmod(0o755)
    try:
        for name, data in files.items():
            file = staging / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A reproducible zip: sorted entries, fixed timestamps and permissions."""
    with tempfile.SpooledTemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                archive.writestr(info, files[name])
        buffer.seek(0)
        return buffer.read()


def write_atomically(target: Path, data: bytes) -> None:
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    partial.replace(target)


def package_name(version: str, browser: str) -> str:
    return f"{PACKAGE}-{version}-{browser}.zip"
