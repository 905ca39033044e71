"""Run bands: each figure from the summary, derived from calls, or unknown."""

from __future__ import annotations

import pytest

from core.check.bands import RunCall, RunFigures, evaluate_run
from core.config import CuratorConfig
from core.models import BandStatus, Verdict

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
    assert all(b.status is BandStatus.PASS for b in outcome.bands)
    assert len(outcome.bands) == 8


@pytest.mark.parametrize("status", ["failed", "aborted"])
def test_run_that_did_not_complete_fails(status: str) -> None:
    result, outcome = band([], GOOD | {"status": status, "stop_reason": "budget"}, "run.status")
    assert result.status is BandStatus.FAIL
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
    assert ok.status is BandStatus.PASS and bad.status is BandStatus.FAIL


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
    unknown, outcome = band([extraction(1)], {"status": "completed"}, "band.coverage")
    assert low.status is BandStatus.FAIL
    assert unknown.status is BandStatus.UNKNOWN and outcome.verdict is Verdict.UNKNOWN


def test_circuit_breaker_fails_when_discovery_goes_on_after_two_empty_rounds() -> None:
    calls = [extraction(1, new=0), extraction(2, new=0), extraction(3, new=2)]
    result, outcome = band(calls, GOOD, "band.circuit_breaker")
    assert result.status is BandStatus.FAIL
    assert "round 3 ran after 2 rounds with no new entities" in outcome.findings[0].message


def test_circuit_breaker_passes_when_empty_rounds_are_not_consecutive_or_last() -> None:
    apart = [extraction(1, new=0), extraction(2, new=3), extraction(3, new=0)]
    stopped = [extraction(1, new=4), extraction(2, new=0), extraction(3, new=0)]
    assert band(apart, GOOD, "band.circuit_breaker")[0].status is BandStatus.PASS
    assert band(stopped, GOOD, "band.circuit_breaker")[0].status is BandStatus.PASS


def test_new_entities_summed_over_calls_of_a_round() -> None:
    calls = [
        extraction(1, new=0),
        extraction(1, new=2),
        extraction(2, new=0),
        extraction(3, new=0),
        extraction(4, new=0),
    ]
    result, _ = band(calls, GOOD, "band.circuit_breaker")
    assert result.status is BandStatus.FAIL  # rounds 2 and 3 were empty, round 4 still ran


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
    assert result.status is BandStatus.UNKNOWN
    assert outcome.verdict is Verdict.UNKNOWN


def test_bare_story_line_is_unknown_on_every_band_never_pass() -> None:
    outcome = run([RunCall("planning", None, None, None, None)], None, bare=True)
    assert outcome.verdict is Verdict.UNKNOWN
    assert {b.status for b in outcome.bands} == {BandStatus.UNKNOWN}


def test_bare_extraction_line_leaves_the_enrichment_bands_not_applicable() -> None:
    outcome = run([extraction(1)], None, bare=True)
    status = {b.rule: b.status for b in outcome.bands}
    assert outcome.verdict is Verdict.UNKNOWN
    assert status["band.discovery_rounds"] is BandStatus.UNKNOWN
    assert status["run.status"] is BandStatus.UNKNOWN
    assert status["band.enrichment_batch_size"] is BandStatus.NOT_APPLICABLE
    assert status["band.attempts_per_entity"] is BandStatus.NOT_APPLICABLE


@pytest.mark.parametrize("bare", [True, False])
def test_run_of_other_tasks_has_no_band_and_passes(bare: bool) -> None:
    chat = [RunCall("unknown", None, None, None, None), RunCall("support", 2, None, None, 1)]
    outcome = run(chat, None, bare=bare)
    assert outcome.verdict is Verdict.PASS
    assert {b.status for b in outcome.bands} == {BandStatus.NOT_APPLICABLE}
    assert len(outcome.bands) == 8 and outcome.findings == []
    assert all(b.value is None and b.source == "" for b in outcome.bands)


def test_summary_figure_makes_a_band_apply_to_a_run_of_other_tasks() -> None:
    chat = [RunCall("unknown", None, None, None, None)]
    outcome = run(chat, {"status": "aborted", "coverage": 0.9, "discovery_rounds": 9})
    status = {b.rule: b.status for b in outcome.bands}
    assert outcome.verdict is Verdict.FAIL
    assert [f.rule for f in outcome.findings] == ["run.status", "band.discovery_rounds"]
    assert status["band.coverage"] is BandStatus.PASS
    assert status["band.circuit_breaker"] is BandStatus.NOT_APPLICABLE
    assert status["band.enrichment_iterations"] is BandStatus.NOT_APPLICABLE


def test_band_measures_only_runs_with_its_tasks() -> None:
    """An enrichment-only run has no discovery; a planned run's missing phase measured zero."""
    enrich_only = run([enrichment(1, "e1")], GOOD)
    status = {b.rule: b.status for b in enrich_only.bands}
    assert status["band.discovery_rounds"] is BandStatus.NOT_APPLICABLE
    assert status["band.additional_queries"] is BandStatus.NOT_APPLICABLE
    assert status["band.enrichment_batch_size"] is BandStatus.PASS
    assert enrich_only.verdict is Verdict.PASS
    planned = run([RunCall("planning", None, None, None, None), extraction(1)], GOOD)
    batch = next(b for b in planned.bands if b.rule == "band.enrichment_batch_size")
    assert (batch.status, batch.value) == (BandStatus.PASS, 0)


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
