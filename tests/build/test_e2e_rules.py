"""The end-to-end tests build the extension with a shorter overall time limit per visit and a
shorter settle (harness/rules.py), so that visits do not wait as long as the shipped timings
make a member's browser wait. The shipped build keeps 20 s and 1.5 s, and the builds differ in
those numbers only."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.e2e_rules import E2E_LIMIT_MS, E2E_SETTLE_MS, SHIPPED_SETTLE, rules_with_timing
from tools.build import make

SHIPPED_LIMIT_MS = 20_000
SHIPPED_SETTLE_MS = 1_500


def built_files(out: Path) -> dict[str, bytes]:
    return {
        str(file.relative_to(out)): file.read_bytes()
        for file in sorted(out.rglob("*"))
        if file.is_file() and file.suffix != ".zip"
    }


def written_forms(number: int) -> tuple[bytes, bytes]:
    """A number as a decimal and in a bundler's short form (20000, 2e4; 1500, 15e2)."""
    digits = str(number).rstrip("0")
    zeros = len(str(number)) - len(digits)
    return str(number).encode(), f"{digits}e{zeros}".encode()


def test_the_shipped_rules_give_a_visit_20_s_and_a_settle_of_1_5_s() -> None:
    timing = make.load_rules().site["timing"]
    assert (timing["limitMs"], timing["settleMs"]) == (SHIPPED_LIMIT_MS, SHIPPED_SETTLE_MS)


@pytest.mark.parametrize(
    ("settle_ms", "differences"),
    [
        (E2E_SETTLE_MS, {"limitMs": E2E_LIMIT_MS, "settleMs": E2E_SETTLE_MS}),
        (SHIPPED_SETTLE, {"limitMs": E2E_LIMIT_MS}),
    ],
    ids=["e2e-settle", "shipped-settle"],
)
def test_an_e2e_build_differs_from_the_shipped_one_in_its_timings_only(
    tmp_path: Path, settle_ms: int | None, differences: dict[str, int]
) -> None:
    assert E2E_LIMIT_MS < SHIPPED_LIMIT_MS and E2E_SETTLE_MS < SHIPPED_SETTLE_MS
    shipped = make.load_rules()
    e2e = make.load_rules(rules_with_timing(tmp_path / "rules", E2E_LIMIT_MS, settle_ms))
    assert e2e.site["timing"] == {**shipped.site["timing"], **differences}
    assert {**e2e.site, "timing": None} == {**shipped.site, "timing": None}
    assert e2e.rules == shipped.rules

    make.build(out=tmp_path / "shipped")
    make.build(out=tmp_path / "e2e", rules_dir=tmp_path / "rules")
    shipped_files, e2e_files = built_files(tmp_path / "shipped"), built_files(tmp_path / "e2e")
    assert shipped_files.keys() == e2e_files.keys()
    changed = [name for name in shipped_files if shipped_files[name] != e2e_files[name]]
    assert changed, "the timings must reach the build"
    shipped_values = {"limitMs": SHIPPED_LIMIT_MS, "settleMs": SHIPPED_SETTLE_MS}
    replacements = [
        pair
        for key, value in differences.items()
        for pair in zip(written_forms(value), written_forms(shipped_values[key]), strict=True)
    ]
    for name in changed:
        text = e2e_files[name]
        for e2e_form, shipped_form in replacements:
            text = text.replace(e2e_form, shipped_form)
        assert text == shipped_files[name], f"{name}: differs in more than the timings"
