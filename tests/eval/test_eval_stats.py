"""Bootstrap intervals and percentiles."""

from __future__ import annotations

from core.eval.stats import draw_resamples, paired_bootstrap, percentile


def test_percentile_interpolates_linearly() -> None:
    # p50 of [1, 2, 3, 4]: rank 1.5 -> 2 + 0.5·(3 − 2) = 2.5
    assert percentile([4, 1, 3, 2], 50) == 2.5
    # p95: rank 3·0.95 = 2.85 -> 3 + 0.85·(4 − 3) = 3.85
    assert percentile([1, 2, 3, 4], 95) == 3.85
    assert percentile([7], 95) == 7
    assert percentile([], 50) is None


def _components() -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    # candidate right on 24 of 30 examples (0.8), baseline on 15 of 30 (0.5), paired
    candidate = [(1.0, 1.0) if i % 5 else (0.0, 1.0) for i in range(30)]
    baseline = [(1.0, 1.0) if i % 2 else (0.0, 1.0) for i in range(30)]
    return candidate, baseline


def test_bootstrap_interval_contains_the_point_estimate() -> None:
    candidate, baseline = _components()
    draws = draw_resamples(30, 1000, "0:planning")
    interval = paired_bootstrap(candidate, baseline, draws)
    assert interval.candidate and interval.baseline and interval.delta
    assert interval.candidate[0] <= 0.8 <= interval.candidate[1]
    assert interval.baseline[0] <= 0.5 <= interval.baseline[1]
    assert interval.delta[0] <= 0.3 <= interval.delta[1]
    assert interval.delta[0] < interval.delta[1]


def test_bootstrap_is_deterministic_with_the_seed() -> None:
    candidate, baseline = _components()
    first = paired_bootstrap(candidate, baseline, draw_resamples(30, 1000, "0:planning"))
    again = paired_bootstrap(candidate, baseline, draw_resamples(30, 1000, "0:planning"))
    other = paired_bootstrap(candidate, baseline, draw_resamples(30, 1000, "1:planning"))
    assert first == again
    assert first != other


def test_bootstrap_of_constant_data_is_a_point_and_undefined_is_none() -> None:
    ones = [(1.0, 1.0)] * 10
    zeros = [(0.0, 1.0)] * 10
    interval = paired_bootstrap(zeros, ones, draw_resamples(10, 200, "s"))
    assert interval.delta == (-1.0, -1.0)
    undefined = [(0.0, 0.0)] * 10  # e.g. precision with nothing predicted
    assert paired_bootstrap(undefined, ones, draw_resamples(10, 200, "s")).delta is None
    assert draw_resamples(0, 1000, "s") == [] and draw_resamples(5, 0, "s") == []


def test_draw_budget_caps_resamples_for_large_sets() -> None:
    assert len(draw_resamples(50, 1000, "s", max_draws=100_000)) == 1000
    assert len(draw_resamples(500, 1000, "s", max_draws=100_000)) == 200  # 100 000 ÷ 500
    assert len(draw_resamples(5000, 1000, "s", max_draws=100_000)) == 100  # floor of 100
