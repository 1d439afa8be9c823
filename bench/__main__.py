"""python -m bench [--runs N | --quick] [--json PATH]: run the benchmark, print its table
and write every figure to dist/bench.json."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench import ROOT
from bench.browser import BenchError
from bench.report import render, targets_json
from bench.run import run

QUICK_RUNS = 3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark the built extension in headless Chromium against fixture pages.",
    )
    parser.add_argument("--runs", type=int, default=30, help="runs per fixture (default: 30)")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_RUNS} runs each: a smoke run, not figures"
    )
    parser.add_argument(
        "--json", type=Path, default=ROOT / "dist" / "bench.json", help="where to write the JSON"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = QUICK_RUNS
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        results = run(args.runs, quick=args.quick)
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    results["targets"] = targets_json(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(render(results))
    print(f"\nWritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
