"""The static gate for the extension's JavaScript (`npm run lint:js`, which scripts/test runs):
ESLint names a misspelled free name, Prettier refuses a line over 100 characters, tsc refuses a
message whose payload the message catalogue (extension/lib/messages.js) does not know, and the
real tree passes all three. The tools come from `npm ci`: without them these tests fail."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "node_modules" / ".bin"


def tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is missing from node_modules: run `npm ci` (needs Node.js 20)"
    return str(path)


def run(command: list[str], cwd: Path = ROOT, stdin: str | None = None) -> tuple[int, str]:
    result = subprocess.run(
        command, cwd=cwd, input=stdin, capture_output=True, text=True, check=False
    )
    return result.returncode, result.stdout + result.stderr


def test_eslint_names_a_misspelled_free_name() -> None:
    module = "extension/lib/text.js"
    source = (ROOT / module).read_text(encoding="utf-8")
    assert "normalizeText" in source
    eslint = [tool("eslint"), "--stdin", "--stdin-filename", module]
    assert run(eslint, stdin=source) == (0, "")
    code, output = run(eslint, stdin=source + "\nconsole.log(normalizeTxet);\n")
    assert code == 1, output
    assert "'normalizeTxet' is not defined" in output and "no-undef" in output


def test_prettier_refuses_a_line_over_100_characters() -> None:
    prettier = [tool("prettier"), "--stdin-filepath", "extension/lib/probe.js"]
    short = 'export const WORDS = ["one", "two"];\n'
    assert run(prettier, stdin=short) == (0, short)
    words = ", ".join(f'"word {n}"' for n in range(12))
    long = f"export const WORDS = [{words}];\n"
    assert len(long) > 101
    code, formatted = run(prettier, stdin=long)
    assert code == 0 and formatted != long
    assert max(len(line) for line in formatted.splitlines()) <= 100


def typecheck(tmp_path: Path, probe: str) -> tuple[int, str]:
    """tsc over `probe` (a module beside the real extension/) with the gate's options."""
    config = json.loads((ROOT / "tsconfig.json").read_text(encoding="utf-8"))
    config["compilerOptions"]["typeRoots"] = [str(ROOT / "node_modules" / "@types")]
    config["include"] = ["probe.js", str(ROOT / "globals.d.ts")]
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    lib = (ROOT / "extension" / "lib").as_posix()
    imports = (
        f'import {{ api }} from "{lib}/api.js";\n'
        f'import {{ FROM_PAGES, FROM_CONTENT }} from "{lib}/messages.js";\n'
    )
    (tmp_path / "probe.js").write_text(imports + probe, encoding="utf-8")
    return run([tool("tsc"), "-p", str(tmp_path / "tsconfig.json")], cwd=tmp_path)


def test_tsc_refuses_a_payload_the_message_catalogue_does_not_know(tmp_path: Path) -> None:
    right = (
        "api.runtime.sendMessage({ type: FROM_PAGES.optOutNow, tabId: 1 });\n"
        'api.runtime.sendMessage({ type: FROM_CONTENT.progress, phase: "switching" });\n'
        "api.runtime.sendMessage({ type: FROM_PAGES.getStatus }).then((s) => s.automatic);\n"
    )
    assert typecheck(tmp_path, right) == (0, "")
    code, output = typecheck(
        tmp_path, "api.runtime.sendMessage({ type: FROM_PAGES.optOutNow, tabid: 1 });\n"
    )
    assert code != 0 and "'tabid' does not exist in type 'OptOutNowMessage'" in output, output
    code, output = typecheck(
        tmp_path, 'api.runtime.sendMessage({ type: FROM_CONTENT.progress, phase: "done" });\n'
    )
    assert code != 0 and '"done"' in output, output
    code, output = typecheck(
        tmp_path,
        "api.runtime.sendMessage({ type: FROM_PAGES.getStatus }).then((s) => s.automatik);\n",
    )
    assert code != 0 and "'automatik' does not exist on type 'PopupStatus'" in output, output


def test_the_real_tree_passes_the_gate() -> None:
    npm = shutil.which("npm")
    assert npm, "npm is missing: install Node.js 20 (the README's first command needs it)"
    for name in ("eslint", "prettier", "tsc"):
        tool(name)
    code, output = run([npm, "run", "--silent", "lint:js"])
    assert code == 0, output
