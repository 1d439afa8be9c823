"""The end-to-end tests build the extension with a shorter overall time limit per visit
(harness/rules.py), so that visits which must wait it out do not take 20 s each. The shipped
build keeps 20 s, and the two builds differ in that number only."""

from __future__ import annotations

from pathlib import Path

import build
from harness.rules import E2E_LIMIT_MS, rules_with_limit

SHIPPED_LIMIT_MS = 20_000


def built_files(out: Path) -> dict[str, bytes]:
    return {
        str(file.relative_to(out)): file.read_bytes()
        for file in sorted(out.rglob("*"))
        if file.is_file() and file.suffix != ".zip"
    }


def written_forms(number: int) -> tuple[bytes, bytes]:
    """A number as a decimal and in a bundler's short form (20000, 2e4)."""
    return str(number).encode(), f"{number:.0e}".replace("+0", "").encode()


def test_the_shipped_rules_give_a_visit_20_s() -> None:
    assert build.load_rules().site["timing"]["limitMs"] == SHIPPED_LIMIT_MS


def test_the_e2e_build_differs_from_the_shipped_one_in_the_limit_only(tmp_path: Path) -> None:
    assert E2E_LIMIT_MS < SHIPPED_LIMIT_MS
    shipped = build.load_rules()
    e2e = build.load_rules(rules_with_limit(tmp_path / "rules", E2E_LIMIT_MS))
    assert e2e.site["timing"] == {**shipped.site["timing"], "limitMs": E2E_LIMIT_MS}
    assert {**e2e.site, "timing": None} == {**shipped.site, "timing": None}
    assert e2e.rules == shipped.rules

    build.build(out=tmp_path / "shipped")
    build.build(out=tmp_path / "e2e", rules_dir=tmp_path / "rules")
    shipped_files, e2e_files = built_files(tmp_path / "shipped"), built_files(tmp_path / "e2e")
    assert shipped_files.keys() == e2e_files.keys()
    changed = [name for name in shipped_files if shipped_files[name] != e2e_files[name]]
    assert changed, "the limit must reach the build"
    replacements = list(
        zip(written_forms(E2E_LIMIT_MS), written_forms(SHIPPED_LIMIT_MS), strict=True)
    )
    for name in changed:
        text = e2e_files[name]
        for e2e_form, shipped_form in replacements:
            text = text.replace(e2e_form, shipped_form)
        assert text == shipped_files[name], f"{name}: differs in more than the limit"
