"""The benchmark: how fast the setting goes off, what the extension costs a LinkedIn page,
how big it is. `python -m bench` (see bench/__main__.py); not part of the test suite's
pass/fail, only its smoke run is (tests/bench/test_bench_smoke.py)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
