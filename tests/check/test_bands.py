"""Run bands: each figure from the summary, derived from calls, or unknown."""

from __future__ import annotations

import pytest

from core.check.bands import RunCall, RunFigures, evaluate_run
from core.config import CuratorConfig
from core.models import Verdict

CONFIG = CuratorConfig()
GOOD = {"status": "completed", "coverage": 0.9}


def extraction(round_: int | None, new: int | None = 3, queries: int | None = 1) -> RunCall:
    return RunCall("extraction", round_, new, None, queries)


def enrichment(round_: int | None, entity: str | None) -> RunCall:
    return RunCall("enrichment", round_, None, entity, None)


def run(calls: list[RunCall], summary, config=CONFIG, *, bare: bool = False):
    return evaluate_run(RunFigures.of(calls, bare=bare), summary, config)


def band(calls, summary, rule):
    outcome = run(calls, summary)
    return next(b for b in outcome.bands if b.rule == rule), outcome


def test_good_run_passes_every_band() -> None:
    calls = [extraction(1), extraction(2), enrichment(1, "e1"), enrichment(1, "e2")]
    outcome = run(calls, GOOD)
    assert outcome.verdict is Verdict.PASS
    assert outcome.findings == []
    assert all(b.status is Verdict.PASS for b in outcome.bands)
    assert len(outcome.bands) == 8


@pytest.mark.parametrize("status", ["failed", "aborted"])
def test_run_that_did_not_complete_fails(status: str) -> None:
    result, outcome = band([], GOOD | {"status": status, "stop_reason": "budget"}, "run.status")
    assert result.status is Verdict.FAIL
    assert outcome.findings[0].message == f"run {status}: budget"


def test_summary_figures_win_over_derived_ones() -> None:
    calls = [extraction(1), extraction(2)]
    result, _ = band(calls, GOOD | {"discovery_rounds": 4}, "band.discovery_rounds")
    assert (result.value, result.source, result.status) == (4, "summary", Verdict.FAIL)


def test_discovery_rounds_derived_from_highest_extraction_round() -> None:
    calls = [extraction(1), extraction(4, new=1)]
    result, _ = band(calls, GOOD, "band.discovery_rounds")
    assert (result.value, result.source, result.status) == (4, "derived", Verdict.FAIL)


def test_enrichment_iterations_derived_from_highest_enrichment_round() -> None:
    ok, _ = band([enrichment(3, "a")], GOOD, "band.enrichment_iterations")
    bad, _ = band([enrichment(4, "a")], GOOD, "band.enrichment_iterations")
    assert ok.status is Verdict.PASS and bad.status is Verdict.FAIL


def test_batch_size_counts_enrichment_calls_in_one_round() -> None:
    fifteen = [enrichment(1, f"e{i}") for i in range(15)]
    ok, _ = band(fifteen, GOOD, "band.enrichment_batch_size")
    bad, _ = band([*fifteen, enrichment(1, "e15")], GOOD, "band.enrichment_batch_size")
    assert (ok.value, ok.status) == (15, Verdict.PASS)
    assert (bad.value, bad.status) == (16, Verdict.FAIL)


def test_attempts_per_entity() -> None:
    calls = [enrichment(1, "e1"), enrichment(2, "e1"), enrichment(3, "e1")]
    result, outcome = band(calls, GOOD, "band.attempts_per_entity")
    assert (result.value, result.status) == (3, Verdict.FAIL)
    assert "attempts per entity 3 > 2" in outcome.findings[0].message


def test_additional_queries_sum_when_no_summary_figure() -> None:
    calls = [extraction(1, queries=15), extraction(2, queries=6)]
    result, _ = band(calls, GOOD, "band.additional_queries")
    assert (result.value, result.source, result.status) == (21, "derived", Verdict.FAIL)


def test_coverage_below_threshold_fails_and_is_unknown_without_summary() -> None:
    low, _ = band([], GOOD | {"coverage": 0.4}, "band.coverage")
    unknown, outcome = band([], {"status": "completed"}, "band.coverage")
    assert low.status is Verdict.FAIL
    assert unknown.status is Verdict.UNKNOWN and outcome.verdict is Verdict.UNKNOWN


def test_circuit_breaker_fails_when_discovery_goes_on_after_two_empty_rounds() -> None:
    calls = [extraction(1, new=0), extraction(2, new=0), extraction(3, new=2)]
    result, outcome = band(calls, GOOD, "band.circuit_breaker")
    assert result.status is Verdict.FAIL
    assert "round 3 ran after 2 rounds with no new entities" in outcome.findings[0].message


def test_circuit_breaker_passes_when_empty_rounds_are_not_consecutive_or_last() -> None:
    apart = [extraction(1, new=0), extraction(2, new=3), extraction(3, new=0)]
    stopped = [extraction(1, new=4), extraction(2, new=0), extraction(3, new=0)]
    assert band(apart, GOOD, "band.circuit_breaker")[0].status is Verdict.PASS
    assert band(stopped, GOOD, "band.circuit_breaker")[0].status is Verdict.PASS


def test_new_entities_summed_over_calls_of_a_round() -> None:
    calls = [
        extraction(1, new=0),
        extraction(1, new=2),
        extraction(2, new=0),
        extraction(3, new=0),
        extraction(4, new=0),
    ]
    result, _ = band(calls, GOOD, "band.circuit_breaker")
    assert result.status is Verdict.FAIL  # rounds 2 and 3 were empty, round 4 still ran


@pytest.mark.parametrize(
    ("calls", "rule"),
    [
        ([extraction(None)], "band.discovery_rounds"),
        ([extraction(1, new=None)], "band.circuit_breaker"),
        ([enrichment(None, "e1")], "band.enrichment_batch_size"),
        ([enrichment(1, None)], "band.attempts_per_entity"),
        ([extraction(1, queries=None)], "band.additional_queries"),
    ],
)
def test_missing_metadata_makes_a_derived_figure_unknown(calls, rule) -> None:
    result, outcome = band(calls, GOOD, rule)
    assert result.status is Verdict.UNKNOWN
    assert outcome.verdict is Verdict.UNKNOWN


def test_bare_run_is_unknown_on_every_band_never_pass() -> None:
    outcome = run([extraction(1)], None, bare=True)
    assert outcome.verdict is Verdict.UNKNOWN
    assert {b.status for b in outcome.bands} == {Verdict.UNKNOWN}


def test_configured_limits_and_severities_apply() -> None:
    config = CuratorConfig.model_validate(
        {
            "bands": {"max_discovery_rounds": 5},
            "rules": {"band.coverage": "warn", "run.status": "off"},
        }
    )
    outcome = run([extraction(4, new=1)], {"status": "failed", "coverage": 0.1}, config)
    assert outcome.verdict is Verdict.PASS
    assert [f.rule for f in outcome.findings] == ["band.coverage"]
    assert outcome.findings[0].severity == "warn"
    assert "run.status" not in {b.rule for b in outcome.bands}
