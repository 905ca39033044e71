"""Statistics for eval: paired bootstrap confidence intervals and percentiles.

The bootstrap resamples *examples* with replacement, the same draws for the candidate and the
baseline (paired), and recomputes each metric from its per-example components. Draws come from
a ``random.Random`` seeded with ``"<seed>:<task>"``, so intervals are repeatable run to run.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from core.eval.metrics import Component

Interval = tuple[float, float]


@dataclass(frozen=True, slots=True)
class PairedInterval:
    """95% percentile intervals of the candidate, the baseline and their difference."""

    candidate: Interval | None
    baseline: Interval | None
    delta: Interval | None


def draw_resamples(
    n: int, resamples: int, seed: str, max_draws: int | None = None
) -> list[list[int]]:
    """``resamples`` lists of ``n`` example indices drawn with replacement.

    With ``max_draws``, fewer resamples are drawn when ``resamples × n`` would exceed it (at
    least 100), which bounds the pure-Python bootstrap's time on very large sets.
    """
    if n == 0 or resamples == 0:
        return []
    if max_draws is not None:
        resamples = min(resamples, max(100, max_draws // n))
    rng = random.Random(seed)
    population = range(n)
    return [rng.choices(population, k=n) for _ in range(resamples)]


def paired_bootstrap(
    candidate: Sequence[Component],
    baseline: Sequence[Component],
    draws: Sequence[Sequence[int]],
    level: float = 0.95,
) -> PairedInterval:
    """Intervals of a Σnum/Σden metric for both sides and for candidate − baseline."""
    c_num, c_den = _columns(candidate)
    b_num, b_den = _columns(baseline)
    c_stats: list[float] = []
    b_stats: list[float] = []
    d_stats: list[float] = []
    for idx in draws:
        c = _ratio(sum(map(c_num.__getitem__, idx)), _den_sum(c_den, idx))
        b = _ratio(sum(map(b_num.__getitem__, idx)), _den_sum(b_den, idx))
        if c is not None:
            c_stats.append(c)
        if b is not None:
            b_stats.append(b)
        if c is not None and b is not None:
            d_stats.append(c - b)
    return PairedInterval(
        _interval(c_stats, level), _interval(b_stats, level), _interval(d_stats, level)
    )


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) with linear interpolation between ranks; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _interval(stats: list[float], level: float) -> Interval | None:
    if not stats:
        return None
    tail = (1 - level) / 2 * 100
    return (percentile(stats, tail), percentile(stats, 100 - tail))  # type: ignore[return-value]


def _columns(components: Sequence[Component]) -> tuple[list[float], list[float] | None]:
    """Numerators and denominators; denominators None when all are 1 (shares and means)."""
    denominators = [c[1] for c in components]
    all_ones = all(d == 1 for d in denominators)
    return [c[0] for c in components], None if all_ones else denominators


def _den_sum(denominators: list[float] | None, idx: Sequence[int]) -> float:
    return len(idx) if denominators is None else sum(map(denominators.__getitem__, idx))


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None
