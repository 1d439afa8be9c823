"""The field check's builds: the e2e timings (a visit's limit at E2E_LIMIT_MS), and the short
limit for runs where a rule must wait its limit out to say not-found."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.e2e_rules import E2E_LIMIT_MS, E2E_SETTLE_MS, SHORT_LIMIT_MS
from tests.e2e.conftest import build_with_timing


@pytest.fixture(scope="session")
def fieldcheck_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_with_timing(tmp_path_factory, E2E_LIMIT_MS, E2E_SETTLE_MS)


@pytest.fixture(scope="session")
def fieldcheck_short_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_with_timing(tmp_path_factory, SHORT_LIMIT_MS, E2E_SETTLE_MS)
