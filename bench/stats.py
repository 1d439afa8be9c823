"""Summaries of repeated measurements."""

from __future__ import annotations

import statistics


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (the "inclusive" method)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: list[float]) -> dict[str, float | int | list[float] | None]:
    """Median, 95th percentile, extremes and the values themselves (milliseconds)."""
    if not values:
        return {"n": 0, "median": None, "p95": None, "min": None, "max": None, "values": []}
    return {
        "n": len(values),
        "median": round(statistics.median(values), 3),
        "p95": round(percentile(values, 0.95), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "values": [round(value, 3) for value in values],
    }


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def spread(values: list[float]) -> dict[str, float | int | list[float] | None]:
    """Median with its interquartile range and extremes (milliseconds)."""
    if not values:
        return {"n": 0, "median": None, "q1": None, "q3": None, "min": None, "max": None,
                "values": []}  # fmt: skip
    return {
        "n": len(values),
        "median": round(statistics.median(values), 3),
        "q1": round(percentile(values, 0.25), 3),
        "q3": round(percentile(values, 0.75), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "values": [round(value, 3) for value in values],
    }
